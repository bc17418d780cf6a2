"""The FastAPI application, built by `create_app(settings)`; nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.dependencies import connection_slots
from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.input_checks import reject_nul_characters
from api.routes import (
    analysis,
    exports,
    favicon,
    field,
    health,
    media,
    ogc_tiles,
    open311,
    reports,
    workorders,
)
from api.routes import maps as map_routes
from api.v1 import install_v1
from geo_assets import __version__
from geo_assets.database import make_server_engine
from geo_assets.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the engine is made in the lifespan and kept on `app.state`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Per worker process: pool and slots are sized from settings (`serve --workers N`).
        app.state.engine = make_server_engine(settings)
        app.state.db_slots = connection_slots(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="geo-assets",
        version=__version__,
        description="Street lights (PJU) and public cemeteries (TPU) of Banjarbaru.",
        lifespan=lifespan,
        docs_url=None,  # served from the project's own Swagger UI copy by install_v1
        dependencies=[Depends(reject_nul_characters)],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)  # CSP, nosniff, Referrer-Policy, no framing
    app.include_router(health.router)
    app.include_router(favicon.router)
    map_routes.install(app)
    install_v1(app, settings)
    # Residents' Open311, crews' field page and work orders, photos, then planners' analyses.
    for module in (open311, workorders, field, media, analysis, reports, exports):
        app.include_router(module.router)
    app.include_router(ogc_tiles.router)  # OGC API – Tiles under /ogc
    return app
