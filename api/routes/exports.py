"""`/api/v1/exports`: files for planners: the budget proposal, and every exportable entity.

An entity's GeoJSON is streamed as PostgreSQL builds it (flat memory at any size); the other
formats are written to a temporary file first (a GeoPackage is a database, not a stream) and
that file is streamed, then removed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from api import analysis_examples as ex
from api.dependencies import ReadEngineDep, SettingsDep
from api.geojson import GEOJSON, GeoJSONResponse
from api.openapi import READ_PROBLEMS
from api.schemas.analysis import ProposalPublic
from api.schemas.exports import ExportedFeatures
from api.security import ReaderDep
from geo_assets.analysis.proposal import build_proposal
from geo_assets.analysis.proposal_io import summary_csv, write_geopackage
from geo_assets.io.export_queries import ExportFilters, parse_bbox
from geo_assets.io.exporter import export_features, stream_geojson
from geo_assets.io.names import EXPORT_ENTITIES
from geo_assets.io.xlsx_writer import MEDIA_TYPE as XLSX

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])

GPKG = "application/geopackage+sqlite3"
ENTITY_FORMATS = {
    "geojson": GEOJSON,
    "gpkg": GPKG,
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX,
}
# `proposal` has its own route above the entities' (it is built, not read from one table).
ENTITY_NAMES = [name for name in EXPORT_ENTITIES if name != "proposal"]
LAMP_EXPORT_EXAMPLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": 1,
            "geometry": {"type": "Point", "coordinates": [114.8312345, -3.4412345]},
            "properties": {
                "id": 1,
                "code": "PJU-63.72.04-00001",
                "status": "working",
                "status_label": "Menyala",
                "lamp_type": "led",
                "wattage": 60,
                "road_code": "JLN-0001",
                "road_name": "Jl. A. Yani",
                "kelurahan": "Loktabat Utara",
                "kecamatan": "Banjarbaru Utara",
            },
        }
    ],
}


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


@router.get(
    "/{entity}",
    summary="Every feature of an entity, as a file to download",
    # Documented as GeoJSON (its schema from ExportedFeatures); the answer itself is streamed.
    response_class=GeoJSONResponse,
    responses={
        200: {
            "description": "GeoJSON (RFC 7946, streamed), a GeoPackage, CSV or a workbook.",
            "model": ExportedFeatures,
            "content": {
                GEOJSON: {"example": LAMP_EXPORT_EXAMPLE},
                GPKG: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **READ_PROBLEMS,
    },
)
def export_entity(
    engine: ReadEngineDep,
    account: ReaderDep,
    entity: Annotated[str, PathParam(description=f"What to export: {', '.join(ENTITY_NAMES)}.")],
    format: Annotated[
        Literal["geojson", "gpkg", "csv", "xlsx"],
        Query(description="geojson (default, streamed), gpkg, csv or xlsx."),
    ] = "geojson",
    status: Annotated[
        str | None, Query(description="Only this status (or condition for access roads).")
    ] = None,
    kecamatan: Annotated[
        str | None, Query(description="Only inside this kecamatan (code or name).")
    ] = None,
    bbox: Annotated[
        str | None, Query(description="Only features touching x0,y0,x1,y1 (lon/lat).")
    ] = None,
    lang: Annotated[Literal["id", "en"], Query(description="Language of labels.")] = "id",
) -> Response:
    """The same file as `geo-assets export ENTITY`: id, code, status with its label, the
    kelurahan and kecamatan; never personal data. Sent as an attachment named after the
    entity."""
    filters = ExportFilters(
        status=status, kecamatan=kecamatan, bbox=parse_bbox(bbox) if bbox is not None else None
    )
    disposition = {"Content-Disposition": f'attachment; filename="{entity}.{format}"'}
    if format == "geojson":
        chunks = stream_geojson(engine, entity=entity, filters=filters, lang=lang)
        return StreamingResponse(chunks, media_type=GEOJSON, headers=disposition)
    folder = Path(tempfile.mkdtemp(prefix="geo-assets-export-"))
    try:
        path = folder / f"{entity}.{format}"
        export_features(engine, entity=entity, out=path, fmt=format, filters=filters, lang=lang)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        media_type=ENTITY_FORMATS[format],
        headers=disposition,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
