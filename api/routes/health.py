"""`/health`: is the database reachable, which versions, how many lamps.

The check opens a connection of its own, asynchronously and with a short timeout, outside the
pool and the thread pool: it answers at once even when every pooled connection is busy or the
database is down.
"""

from __future__ import annotations

import anyio
import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from geo_assets.database import libpq_conninfo
from geo_assets.settings import Settings

router = APIRouter(tags=["health"])
PROBE = """
    SELECT current_setting('server_version') AS postgresql,
           postgis_lib_version() AS postgis,
           (SELECT count(*) FROM lamp) AS lamps
"""


async def _probe(request: Request, settings: Settings) -> tuple[str, str, int]:
    timeout = settings.health_timeout
    async with await psycopg.AsyncConnection.connect(
        libpq_conninfo(request.app.state.engine),
        autocommit=True,
        connect_timeout=max(1, round(timeout)),
        options=f"-c statement_timeout={int(timeout * 1000)}",
    ) as connection:
        cursor = await connection.execute(PROBE)
        row = await cursor.fetchone()
    assert row is not None  # the probe always returns one row
    return row[0], row[1], row[2]


def _unavailable(settings: Settings, reason: str) -> JSONResponse:
    return JSONResponse(
        {"status": "error", "database": False, "detail": reason},
        status_code=503,
        headers={"Retry-After": str(settings.retry_after_seconds)},
    )


@router.get("/health", summary="Service and database health")
async def read_health(request: Request) -> JSONResponse:
    """Database reachability, PostgreSQL and PostGIS versions, and the lamp count."""
    settings: Settings = request.app.state.settings
    try:
        with anyio.fail_after(settings.health_timeout):
            postgresql, postgis, lamps = await _probe(request, settings)
    except TimeoutError:
        return _unavailable(
            settings, f"The database did not answer within {settings.health_timeout:g} s."
        )
    except psycopg.Error as exc:
        return _unavailable(settings, (str(exc).strip().splitlines() or ["unreachable"])[0])
    return JSONResponse(
        {
            "status": "ok",
            "database": True,
            "postgresql": postgresql,
            "postgis": postgis,
            "lamps": lamps,
        }
    )
