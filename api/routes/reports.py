"""`/api/v1/reports`: the quarterly SPM report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import analysis_examples as ex
from api.dependencies import EngineDep, SettingsDep
from api.openapi import READ_PROBLEMS
from api.security import ReaderDep
from geo_assets.analysis.spm import spm_report
from geo_assets.analysis.spm_render import render

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


@router.get(
    "/spm",
    summary="Quarterly SPM achievement report",
    responses={
        200: {
            "description": "The report: JSON, a printable page, or a CSV table.",
            "content": {
                "application/json": {"schema": {"type": "object"}, "example": ex.SPM},
                "text/html": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **READ_PROBLEMS,
    },
)
def read_spm_report(
    engine: EngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    year: Annotated[int, Query(ge=2000, le=2100, description="Year, e.g. 2024.")],
    quarter: Annotated[int, Query(ge=1, le=4, description="Triwulan 1–4.")],
    format: Annotated[
        Literal["json", "html", "csv"], Query(description="json (default), printable html, or csv.")
    ] = "json",
) -> Response:
    """Per kecamatan and city: lamps, % working at quarter end, faults reported and repaired,
    median repair hours, % within SLA, coverage %, energy kWh; plus the year's trend."""
    report = spm_report(engine, year=year, quarter=quarter, settings=settings)
    headers = {}
    if format == "csv":
        headers["Content-Disposition"] = f'attachment; filename="spm-{year}-tw{quarter}.csv"'
    return Response(render(report, format), media_type=MEDIA_TYPES[format], headers=headers)
