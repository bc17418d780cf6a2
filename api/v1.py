"""Everything under `/api/v1`, the offline `/docs`, and the request-size limit."""

from __future__ import annotations

from fastapi import FastAPI

from api.docs import install_docs
from api.limits import BodySizeLimit
from api.openapi import install_problem_docs
from api.routes import (
    access_roads,
    audit,
    auth,
    cemeteries,
    cemetery_blocks,
    interments,
    kecamatan,
    kelurahan,
    lamp_events,
    lamps,
    plots,
    prayer_rooms,
    roads,
    service_requests,
    stats,
)
from geo_assets.settings import Settings

ROUTERS = (
    auth,
    kecamatan,
    kelurahan,
    roads,
    lamps,
    lamp_events,
    cemeteries,
    cemetery_blocks,
    plots,
    interments,
    access_roads,
    prayer_rooms,
    service_requests,
    stats,
    audit,
)


def install_v1(app: FastAPI, settings: Settings) -> None:
    """Add the inventory API, its docs page and the body-size limit to `app`."""
    for module in ROUTERS:
        app.include_router(module.router)
    install_docs(app)
    install_problem_docs(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
