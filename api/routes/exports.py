"""`/api/v1/exports`: files for planners (the budget proposal)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import analysis_examples as ex
from api.dependencies import ReadEngineDep, SettingsDep
from api.geojson import GEOJSON, GeoJSONResponse
from api.openapi import READ_PROBLEMS
from api.schemas.analysis import ProposalPublic
from api.security import ReaderDep
from geo_assets.analysis.proposal import build_proposal
from geo_assets.analysis.proposal_io import summary_csv, write_geopackage
from geo_assets.io.xlsx_writer import MEDIA_TYPE as XLSX

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])

GPKG = "application/geopackage+sqlite3"


@router.get(
    "/proposal",
    summary="Budget proposal with costs and totals",
    # Documented as GeoJSON (its schema from ProposalPublic); gpkg and csv are the other formats.
    response_class=GeoJSONResponse,
    responses={
        200: {
            "description": "The proposal: GeoJSON, a GeoPackage, a CSV summary or a workbook.",
            "model": ProposalPublic,
            "content": {
                GEOJSON: {"example": ex.PROPOSAL},
                GPKG: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **READ_PROBLEMS,
    },
)
def export_proposal(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: Annotated[
        str | None, Query(description="Only this kecamatan (code or name).")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Budget year.")] = None,
    format: Annotated[
        Literal["geojson", "gpkg", "csv", "xlsx"],
        Query(
            description="geojson (RFC 7946, default), gpkg (a layer per category), csv summary, "
            "or xlsx (summary with totals and every item).",
        ),
    ] = "geojson",
) -> Response:
    """One feature per proposed item (new_lamp, lamp_repair, led_conversion, access_road,
    musala) with quantity, unit cost, cost in Rupiah, area, priority and reason; `totals`
    holds the sums."""
    collection = build_proposal(engine, kecamatan=kecamatan, year=year, settings=settings)
    name = "usulan-anggaran" + (f"-{year}" if year else "")
    if format == "geojson":
        body, media = json.dumps(collection, ensure_ascii=False).encode(), GEOJSON
    elif format == "csv":
        body, media = summary_csv(collection).encode("utf-8"), "text/csv; charset=utf-8"
    elif format == "xlsx":
        from geo_assets.reports.workbooks import proposal_workbook

        body, media = proposal_workbook(collection), XLSX
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{name}.gpkg"
            write_geopackage(collection, path)
            body, media = path.read_bytes(), GPKG
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )
