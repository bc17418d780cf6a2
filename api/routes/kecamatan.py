"""`/api/v1/kecamatan`: the city's districts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api import inventory_adapter
from api.dependencies import ConnectionDep, EngineDep
from api.geojson import GeoJSONResponse, IfMatchHeader, LimitQuery, OffsetQuery
from api.openapi import (
    EDIT_PROBLEMS,
    ETAG_HEADER,
    ITEM_PROBLEMS,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    collection_example,
    geojson_response,
)
from api.schemas.areas import (
    SQUARE,
    KecamatanCreate,
    KecamatanListPublic,
    KecamatanPublic,
    KecamatanUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import KECAMATAN

router = APIRouter(prefix="/api/v1/kecamatan", tags=["areas"])
EXAMPLE = {
    "type": "Feature",
    "id": 3,
    "geometry": {"type": "MultiPolygon", "coordinates": [SQUARE]},
    "properties": {
        "code": "63.72.04",
        "name": "Banjarbaru Utara",
        "official_area_km2": 24.4,
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["63.72.04"])]


@router.get(
    "",
    summary="List kecamatan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of kecamatan.", collection_example(EXAMPLE, router.prefix), KecamatanListPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_kecamatan_list(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """The districts, as (Multi)Polygons."""
    query = inventory_adapter.list_query(filters={}, bbox=bbox, limit=limit, offset=offset)
    return inventory_adapter.read_list(request, engine, KECAMATAN, query, account)


@router.get(
    "/{key}",
    summary="Read a kecamatan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The kecamatan.", EXAMPLE, KecamatanPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_kecamatan(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One district by id or code."""
    return inventory_adapter.read_item(engine, KECAMATAN, key, account)


@router.post(
    "",
    summary="Create a kecamatan",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new kecamatan.", EXAMPLE, KecamatanPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_kecamatan(
    request: Request, body: KecamatanCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a district (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        KECAMATAN,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a kecamatan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The kecamatan after the change.", EXAMPLE, KecamatanPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_kecamatan(
    key: KeyPath,
    body: KecamatanUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change a district (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        KECAMATAN,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a kecamatan",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_kecamatan(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a district without kelurahan (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, KECAMATAN, key, if_match, account)
