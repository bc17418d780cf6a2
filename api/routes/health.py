"""`/health`: is the database reachable, which versions, how many lamps; the read replica's
state and lag when one is configured.

The check opens a connection of its own, asynchronously and with a short timeout, outside the
pool and the thread pool: it answers at once even when every pooled connection is busy or the
database is down.
"""

from __future__ import annotations

import anyio
import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from api.replica_monitor import LAG_QUERY
from geo_assets.database import libpq_conninfo
from geo_assets.settings import Settings

router = APIRouter(tags=["health"])
# Lamps are counted exactly while the table is small; a province-sized table (a million rows
# and more) would take a second scan per probe, so above this the planner's estimate answers,
# which ANALYZE (and autovacuum) keep within a few percent.
EXACT_COUNT_BELOW = 200_000
PROBE = """
    WITH estimate AS (SELECT reltuples::bigint AS lamps FROM pg_class WHERE oid = 'lamp'::regclass)
    SELECT current_setting('server_version') AS postgresql,
           postgis_lib_version() AS postgis,
           CASE WHEN estimate.lamps < {exact_below} THEN (SELECT count(*) FROM lamp)
                ELSE estimate.lamps END AS lamps,
           estimate.lamps >= {exact_below} AS estimated
    FROM estimate
"""


async def _fetch(engine: Engine, settings: Settings, query: str) -> tuple:
    """One row of `query` on a connection of its own, within the health timeout."""
    timeout = settings.health_timeout
    async with await psycopg.AsyncConnection.connect(
        libpq_conninfo(engine),
        autocommit=True,
        connect_timeout=max(1, round(timeout)),
        options=f"-c statement_timeout={int(timeout * 1000)}",
    ) as connection:
        cursor = await connection.execute(query)
        row = await cursor.fetchone()
    assert row is not None  # both probes always return one row
    return tuple(row)


async def _probe(request: Request, settings: Settings) -> tuple[str, str, int, bool]:
    """Versions, the lamp count, and whether that count is the planner's estimate."""
    query = PROBE.format(exact_below=int(EXACT_COUNT_BELOW))
    postgresql, postgis, lamps, estimated = await _fetch(request.app.state.engine, settings, query)
    return postgresql, postgis, lamps, estimated


async def _replica_state(request: Request, settings: Settings) -> dict:
    """`{"configured": False}`, or whether the replica answers, is a standby, and its lag."""
    engine: Engine | None = getattr(request.app.state, "read_engine", None)
    if engine is None:
        return {"configured": False}
    try:
        with anyio.fail_after(settings.health_timeout):
            standby, lag = await _fetch(engine, settings, LAG_QUERY)
    except (TimeoutError, psycopg.Error) as exc:
        reason = (str(exc).strip().splitlines() or ["did not answer in time"])[0]
        return {"configured": True, "reachable": False, "serves_reads": False, "detail": reason}
    monitor = getattr(request.app.state, "replica_monitor", None)
    return {
        "configured": True,
        "reachable": True,
        "standby": standby,
        "lag_seconds": round(float(lag or 0.0), 3),
        # This worker's view (probed every second): False while reads fall back to the primary.
        "serves_reads": monitor.serves_reads if monitor is not None else True,
    }


def _unavailable(settings: Settings, reason: str) -> JSONResponse:
    return JSONResponse(
        {"status": "error", "database": False, "detail": reason},
        status_code=503,
        headers={"Retry-After": str(settings.retry_after_seconds)},
    )


@router.get("/health", summary="Service and database health")
async def read_health(request: Request) -> JSONResponse:
    """Database reachability, PostgreSQL and PostGIS versions, the lamp count (exact below
    200,000 lamps, else the planner's estimate: `lamps_estimated`), and the read replica's
    state (`configured`, `reachable`, `standby`, `lag_seconds`, `serves_reads`)."""
    settings: Settings = request.app.state.settings
    try:
        with anyio.fail_after(settings.health_timeout):
            postgresql, postgis, lamps, estimated = await _probe(request, settings)
    except TimeoutError:
        return _unavailable(
            settings, f"The database did not answer within {settings.health_timeout:g} s."
        )
    except psycopg.Error as exc:
        return _unavailable(settings, (str(exc).strip().splitlines() or ["unreachable"])[0])
    # A replica that does not answer only slows reads (they fall back to the primary): no 503.
    replica = await _replica_state(request, settings)
    return JSONResponse(
        {
            "status": "degraded" if replica.get("reachable") is False else "ok",
            "database": True,
            "postgresql": postgresql,
            "postgis": postgis,
            "lamps": lamps,
            "lamps_estimated": estimated,
            "replica": replica,
        }
    )
