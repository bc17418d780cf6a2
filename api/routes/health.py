"""`/health`: is the database reachable, which versions, how many lamps."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.dependencies import EngineDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service and database health")
def read_health(engine: EngineDep) -> JSONResponse:
    """Database reachability, PostgreSQL and PostGIS versions, and the lamp count."""
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("""
                SELECT current_setting('server_version') AS postgresql,
                       postgis_lib_version() AS postgis,
                       (SELECT count(*) FROM lamp) AS lamps
            """)
            ).one()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return JSONResponse(
            {"status": "error", "database": False, "detail": reason}, status_code=503
        )
    return JSONResponse(
        {
            "status": "ok",
            "database": True,
            "postgresql": row.postgresql,
            "postgis": row.postgis,
            "lamps": row.lamps,
        }
    )
