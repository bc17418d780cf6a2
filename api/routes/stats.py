"""`/api/v1/stats`: inventory figures."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api.dependencies import ReadEngineDep, SettingsDep, read_connection
from api.openapi import problems
from api.schemas.reports import StatsPublic
from api.security import ReaderDep
from geo_assets.inventory.stats import inventory_stats

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


@router.get("", summary="Inventory figures", response_model=StatsPublic, responses=problems(401))
def read_stats(engine: ReadEngineDep, settings: SettingsDep, account: ReaderDep) -> Response:
    """Lamps by status × kecamatan, lamps out or damaged longer than the SLA, plots by state
    per cemetery, prayer rooms by status."""
    with read_connection(engine) as connection:
        body = inventory_stats(connection=connection, sla_hours=settings.sla_hours)
    return Response(body, media_type="application/json")
