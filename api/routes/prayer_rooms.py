"""`/api/v1/prayer-rooms`: prayer rooms (musala), existing and planned."""

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
    PrayerRoomCreate,
    PrayerRoomPublic,
    PrayerRoomsPublic,
    PrayerRoomUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import PRAYER_ROOMS
from geo_assets.vocab import PRAYER_ROOM_STATUS, codes

router = APIRouter(prefix="/api/v1/prayer-rooms", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Point", "coordinates": [114.8318, -3.4495]},
    "properties": {
        "code": "MSL-01",
        "name": "Musala TPU",
        "cemetery_id": 1,
        "status": "planned",
        "capacity": 40,
        "estimated_cost_idr": 350000000,
        "planned_year": 2027,
        "cemetery_code": "TPU-01",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["MSL-01"])]


@router.get(
    "",
    summary="List prayer rooms",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of prayer rooms.", collection_example(EXAMPLE, router.prefix), PrayerRoomsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_prayer_rooms(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    near: inventory_adapter.NearQuery = None,
    radius_m: inventory_adapter.RadiusQuery = 500,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    kelurahan: inventory_adapter.KelurahanQuery = None,
    status: Annotated[
        list[str] | None,
        Query(description=f"Status (repeatable): {', '.join(codes(PRAYER_ROOM_STATUS))}."),
    ] = None,
    cemetery: Annotated[list[str] | None, Query(description="Cemetery id, code or name.")] = None,
    planned_year: Annotated[list[int] | None, Query(description="Planned year.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Prayer rooms matching every filter given, as a GeoJSON FeatureCollection."""
    query = inventory_adapter.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "status": status,
            "cemetery": cemetery,
            "planned_year": planned_year,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, PRAYER_ROOMS, query, account)


@router.get(
    "/{key}",
    summary="Read a prayer room",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The prayer room.", EXAMPLE, PrayerRoomPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_prayer_room(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One prayer room by id or code."""
    return inventory_adapter.read_item(engine, PRAYER_ROOMS, key, account)


@router.post(
    "",
    summary="Create a prayer room",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new prayer room.", EXAMPLE, PrayerRoomPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_prayer_room(
    request: Request, body: PrayerRoomCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a prayer room (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        PRAYER_ROOMS,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a prayer room",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The prayer room after the change.", EXAMPLE, PrayerRoomPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_prayer_room(
    key: KeyPath,
    body: PrayerRoomUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        PRAYER_ROOMS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a prayer room",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_prayer_room(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a prayer room (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, PRAYER_ROOMS, key, if_match, account)
