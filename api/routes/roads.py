"""`/api/v1/roads`: roads (ruas jalan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
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
    RoadCreate,
    RoadPublic,
    RoadsPublic,
    RoadUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import ROADS
from geo_assets.vocab import ROAD_CLASS, ROAD_SURFACE, codes

router = APIRouter(prefix="/api/v1/roads", tags=["roads"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "LineString", "coordinates": [[114.80, -3.44], [114.84, -3.45]]},
    "properties": {
        "code": "JL-0001",
        "name": "Jl. Jenderal A. Yani",
        "road_class": "arteri",
        "surface": "aspal",
        "width_m": 12,
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["JL-0001"])]


@router.get(
    "",
    summary="List roads",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of roads.", collection_example(EXAMPLE, router.prefix), RoadsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_roads(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    near: inventory_adapter.NearQuery = None,
    radius_m: inventory_adapter.RadiusQuery = 500,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    kelurahan: inventory_adapter.KelurahanQuery = None,
    road_class: Annotated[
        list[str] | None, Query(description=f"Class: {', '.join(codes(ROAD_CLASS))}.")
    ] = None,
    surface: Annotated[
        list[str] | None, Query(description=f"Surface: {', '.join(codes(ROAD_SURFACE))}.")
    ] = None,
    name: Annotated[list[str] | None, Query(description="Exact road name.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Roads matching every filter given, as a GeoJSON FeatureCollection."""
    query = inventory_adapter.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "road_class": road_class,
            "surface": surface,
            "name": name,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, ROADS, query, account)


@router.get(
    "/{key}",
    summary="Read a road",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The road.", EXAMPLE, RoadPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_road(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One road by id or code."""
    return inventory_adapter.read_item(engine, ROADS, key, account)


@router.post(
    "",
    summary="Create a road",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new road.", EXAMPLE, RoadPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_road(
    request: Request, body: RoadCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a road (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        ROADS,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a road",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The road after the change.", EXAMPLE, RoadPublic, ETAG_HEADER),
        **EDIT_PROBLEMS,
    },
)
def update_road(
    key: KeyPath,
    body: RoadUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        ROADS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a road",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_road(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a road (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, ROADS, key, if_match, account)
