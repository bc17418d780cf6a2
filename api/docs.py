"""`/docs`: Swagger UI served from the project's own copy, so it works with no internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.headers import CSP, policy_for_page

STATIC_DIR = Path(__file__).resolve().parent / "static"
SWAGGER = "/static/swagger-ui"


def install_docs(app: FastAPI) -> None:
    """Serve the vendored Swagger UI assets and the /docs page that uses them."""
    app.mount(SWAGGER, StaticFiles(directory=STATIC_DIR / "swagger-ui"), name="swagger-ui")
    redirect_url = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def read_docs() -> HTMLResponse:
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=app.openapi_url or "/openapi.json",
                title=f"{app.title} — API",
                swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                swagger_css_url=f"{SWAGGER}/swagger-ui.css",
                swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
                oauth2_redirect_url=redirect_url,
                swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
            )
        )

    @app.get(redirect_url, include_in_schema=False)
    def read_docs_redirect() -> HTMLResponse:
        return _with_policy(get_swagger_ui_oauth2_redirect_html())


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    """The page with a Content-Security-Policy allowing its own inline start-up script only."""
    page.headers[CSP] = policy_for_page(bytes(page.body).decode("utf-8"))
    return page
