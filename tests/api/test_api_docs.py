"""The API documents itself: every route in OpenAPI with examples, and /docs works offline."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.main import create_app
from api.v1 import ROUTERS
from geo_assets.settings import Settings


def operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    """Every (path, method, operation) of the inventory API's routers."""
    ours = {route.path for router in ROUTERS for route in router.routes}
    for path, item in spec["paths"].items():
        if path in ours:
            for method, operation in item.items():
                yield path, method, operation


def test_every_route_is_documented_with_examples(client: TestClient) -> None:
    """Each operation has a summary, a description, described parameters, an example of its
    answer and of its problem responses."""
    spec = client.get("/openapi.json").json()
    found = list(operations(spec))
    assert len(found) >= 45
    for path, method, operation in found:
        where = f"{method.upper()} {path}"
        assert operation.get("summary") and operation.get("description"), where
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), f"{where} {parameter['name']}"
        responses = operation["responses"]
        success = next(code for code in responses if code.startswith("2"))
        if success != "204":
            content = responses[success]["content"]
            assert any(
                "example" in media
                or "examples" in media.get("schema", {})
                or "$ref" in media.get("schema", {})
                for media in content.values()
            ), where
        problems = [code for code in responses if code[0] in "45"]
        assert problems, where
        for code in problems:
            assert "example" in responses[code]["content"]["application/problem+json"], (
                where,
                code,
            )


def test_request_bodies_have_examples(client: TestClient) -> None:
    """Every Create schema carries an example body."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    creates = [name for name in schemas if name.endswith("Create")]
    assert len(creates) >= 11
    for name in creates:
        assert schemas[name].get("examples"), name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(city_url: str) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port; its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(database_url=city_url)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_docs_render_offline_in_chromium(served: str, browser) -> None:  # noqa: ANN001
    """/docs renders every operation in headless Chromium with no failed request, no request
    leaving this machine, and no console error."""
    failed: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(served) or request.url.startswith("data:")
            else outside.append(request.url)
        ),
    )
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"{served}/docs", wait_until="networkidle")
    assert response is not None and response.status == 200
    page.wait_for_selector(".opblock-summary", timeout=20_000)
    count = page.locator(".opblock").count()
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=10_000)
    title = page.locator(".info .title").inner_text()
    page.close()
    assert "geo-assets" in title
    assert count >= 45
    assert failed == [] and outside == [] and errors == []
