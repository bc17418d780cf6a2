"""`/api/v1/access-roads`: roads serving cemeteries, with condition and planned improvement."""

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
from api.schemas.cemeteries import (
    AccessRoadCreate,
    AccessRoadPublic,
    AccessRoadsPublic,
    AccessRoadUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import ACCESS_ROADS
from geo_assets.vocab import ROAD_CONDITION, ROAD_SURFACE, codes

router = APIRouter(prefix="/api/v1/access-roads", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "LineString", "coordinates": [[114.8315, -3.45], [114.832, -3.452]]},
    "properties": {
        "code": "AKS-01",
        "name": "Jalan masuk TPU",
        "cemetery_id": 1,
        "road_id": None,
        "condition": "poor",
        "surface": "tanah",
        "width_m": 4,
        "planned_improvement": "Pengaspalan",
        "improvement_cost_idr": 150000000,
        "cemetery_code": "TPU-01",
        "road_code": None,
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["AKS-01"])]


@router.get(
    "",
    summary="List access roads",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of access roads.", collection_example(EXAMPLE, router.prefix), AccessRoadsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_access_roads(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    near: inventory_adapter.NearQuery = None,
    radius_m: inventory_adapter.RadiusQuery = 500,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    kelurahan: inventory_adapter.KelurahanQuery = None,
    condition: Annotated[
        list[str] | None, Query(description=f"Condition: {', '.join(codes(ROAD_CONDITION))}.")
    ] = None,
    surface: Annotated[
        list[str] | None, Query(description=f"Surface: {', '.join(codes(ROAD_SURFACE))}.")
    ] = None,
    cemetery: Annotated[list[str] | None, Query(description="Cemetery id, code or name.")] = None,
    road: Annotated[str | None, Query(description="Road id, code or name.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Access roads matching every filter given, as a GeoJSON FeatureCollection."""
    query = inventory_adapter.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "condition": condition,
            "surface": surface,
            "cemetery": cemetery,
            "road": road,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, ACCESS_ROADS, query, account)


@router.get(
    "/{key}",
    summary="Read a access road",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The access road.", EXAMPLE, AccessRoadPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_access_road(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One access road by id or code."""
    return inventory_adapter.read_item(engine, ACCESS_ROADS, key, account)


@router.post(
    "",
    summary="Create a access road",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new access road.", EXAMPLE, AccessRoadPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_access_road(
    request: Request, body: AccessRoadCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a access road (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        ACCESS_ROADS,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a access road",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The access road after the change.", EXAMPLE, AccessRoadPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_access_road(
    key: KeyPath,
    body: AccessRoadUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        ACCESS_ROADS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a access road",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_access_road(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a access road (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, ACCESS_ROADS, key, if_match, account)
