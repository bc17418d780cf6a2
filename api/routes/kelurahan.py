"""`/api/v1/kelurahan`: the city's sub-districts."""

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
    KelurahanCreate,
    KelurahanListPublic,
    KelurahanPublic,
    KelurahanUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import KELURAHAN

router = APIRouter(prefix="/api/v1/kelurahan", tags=["areas"])
EXAMPLE = {
    "type": "Feature",
    "id": 6,
    "geometry": {"type": "MultiPolygon", "coordinates": []},
    "properties": {
        "code": "63.72.04.1002",
        "name": "Mentaos",
        "kecamatan_id": 3,
        "kecamatan_code": "63.72.04",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["63.72.04.1002"])]


@router.get(
    "",
    summary="List kelurahan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of kelurahan.", collection_example(EXAMPLE, router.prefix), KelurahanListPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_kelurahan_list(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """The sub-districts, as (Multi)Polygons, optionally of some kecamatan."""
    query = inventory_adapter.list_query(
        filters={"kecamatan": kecamatan},
        bbox=bbox,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, KELURAHAN, query, account)


@router.get(
    "/{key}",
    summary="Read a kelurahan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The kelurahan.", EXAMPLE, KelurahanPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_kelurahan(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One kelurahan by id or code."""
    return inventory_adapter.read_item(engine, KELURAHAN, key, account)


@router.post(
    "",
    summary="Create a kelurahan",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new kelurahan.", EXAMPLE, KelurahanPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_kelurahan(
    request: Request, body: KelurahanCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a kelurahan (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        KELURAHAN,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a kelurahan",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The kelurahan after the change.", EXAMPLE, KelurahanPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_kelurahan(
    key: KeyPath,
    body: KelurahanUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        KELURAHAN,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a kelurahan",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_kelurahan(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a kelurahan (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, KELURAHAN, key, if_match, account)
