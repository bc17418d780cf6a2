"""Everything under `/api/v1`, the offline `/docs`, and the request-size limit."""

from __future__ import annotations

from fastapi import FastAPI

from api.docs import install_docs
from api.limits import BodySizeLimit
from api.openapi import install_problem_docs
from api.routes import audit, auth, interments, lamp_events, lamps, stats
from api.routes.inventory import ROUTERS as INVENTORY
from geo_assets.settings import Settings

ROUTERS = (
    auth.router,
    INVENTORY["kecamatan"],
    INVENTORY["kelurahan"],
    INVENTORY["roads"],
    lamps.router,
    lamp_events.router,
    INVENTORY["cemeteries"],
    INVENTORY["blocks"],
    INVENTORY["plots"],
    interments.router,
    INVENTORY["access-roads"],
    INVENTORY["prayer-rooms"],
    INVENTORY["service-requests"],
    stats.router,
    audit.router,
)


def install_v1(app: FastAPI, settings: Settings) -> None:
    """Add the inventory API, its docs page and the body-size limit to `app`."""
    for router in ROUTERS:
        app.include_router(router)
    install_docs(app)
    install_problem_docs(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
