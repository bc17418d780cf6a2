"""`/api/v1/lamps`: street lights (PJU) as GeoJSON; status changes go through their events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api import crud
from api.dependencies import ConnectionDep, EngineDep, read_connection
from api.geojson import GeoJSONResponse, IfMatchHeader, LimitQuery, OffsetQuery, feature_collection
from api.openapi import (
    EDIT_PROBLEMS,
    ETAG_HEADER,
    ITEM_PROBLEMS,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    collection_example,
    geojson_response,
)
from api.schemas.common import geometry_dict, write_dict
from api.schemas.lamps import LAMP_EXAMPLE, LampCreate, LampPublic, LampsPublic, LampUpdate
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.lamps import create_lamp, nearest_lamps
from geo_assets.inventory.params import parse_point
from geo_assets.vocab import LAMP_STATUS, LAMP_TYPE, OWNERSHIP, codes

router = APIRouter(prefix="/api/v1/lamps", tags=["lamps"])

FEATURE_EXAMPLE: dict[str, Any] = {
    **LAMP_EXAMPLE,
    "id": 17,
    "properties": {
        **LAMP_EXAMPLE["properties"],
        "status": "working",
        "kelurahan_id": 6,
        "road_code": "JL-0003",
        "kelurahan_code": "63.72.04.1002",
        "kecamatan_code": "63.72.04",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[
    str, Path(description="The lamp's id or its code.", examples=["PJU-63.72.04-00017"])
]


@router.get(
    "",
    summary="List lamps",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of lamps.", collection_example(FEATURE_EXAMPLE, "/api/v1/lamps"), LampsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_lamps(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: crud.BBoxQuery = None,
    near: crud.NearQuery = None,
    radius_m: crud.RadiusQuery = 500,
    kecamatan: crud.KecamatanQuery = None,
    kelurahan: crud.KelurahanQuery = None,
    status: Annotated[
        list[str] | None,
        Query(
            description=f"Status (repeatable): {', '.join(codes(LAMP_STATUS))}.",
            examples=[["out", "damaged"]],
        ),
    ] = None,
    road: Annotated[str | None, Query(description="Road id, code or name.")] = None,
    lamp_type: Annotated[
        list[str] | None, Query(description=f"Lamp type: {', '.join(codes(LAMP_TYPE))}.")
    ] = None,
    ownership: Annotated[
        list[str] | None, Query(description=f"Owner: {', '.join(codes(OWNERSHIP))}.")
    ] = None,
    wattage: Annotated[list[int] | None, Query(description="Wattage in W.")] = None,
    office_id: Annotated[
        list[str] | None, Query(description="The office's own id (ID PJU of its survey).")
    ] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Lamps matching every filter given, as a GeoJSON FeatureCollection (by id, or nearest first
    with `near`)."""
    query = crud.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "status": status,
            "road": road,
            "lamp_type": lamp_type,
            "ownership": ownership,
            "wattage": wattage,
            "office_id": office_id,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return crud.read_list(request, engine, LAMPS, query, account)


@router.get(
    "/nearest",
    summary="Nearest lamps",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The nearest lamps, nearest first.",
            collection_example(
                {
                    **FEATURE_EXAMPLE,
                    "properties": {**FEATURE_EXAMPLE["properties"], "distance_m": 12.4},
                },
                "/api/v1/lamps/nearest",
            ),
            LampsPublic,
        ),
        **READ_PROBLEMS,
    },
)
def read_nearest_lamps(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    lon: Annotated[
        float,
        Query(ge=-180, le=180, examples=[114.8301], description="Longitude of the place (WGS 84)."),
    ],
    lat: Annotated[
        float,
        Query(ge=-90, le=90, examples=[-3.4402], description="Latitude of the place (WGS 84)."),
    ],
    limit: Annotated[int, Query(ge=1, le=100, description="How many lamps (at most 100).")] = 5,
) -> GeoJSONResponse:
    """The `limit` lamps nearest to lon/lat, each with `distance_m` in metres, ascending."""
    parse_point(f"{lon},{lat}", "lon/lat")
    with read_connection(engine) as connection:
        page = nearest_lamps(connection=connection, lon=lon, lat=lat, limit=limit)
    return feature_collection(request, page, limit, 0)


@router.get(
    "/{key}",
    summary="Read a lamp",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The lamp; its version is the ETag.", FEATURE_EXAMPLE, LampPublic, ETAG_HEADER
        ),
        **ITEM_PROBLEMS,
    },
)
def read_lamp(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One lamp by id or code, with its version as ETag."""
    return crud.read_item(engine, LAMPS, key, account)


@router.post(
    "",
    summary="Create a lamp",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new lamp.", FEATURE_EXAMPLE, LampPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_lamp_item(
    request: Request, body: LampCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a lamp (staff, admin); its first status event is recorded at once."""
    lamp_id = create_lamp(
        connection=connection,
        properties=write_dict(body.properties),
        geometry=geometry_dict(body.geometry),
        actor=account.username,
    )
    return crud.created(request, connection, LAMPS, lamp_id, account)


@router.patch(
    "/{key}",
    summary="Change a lamp",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The lamp after the change.", FEATURE_EXAMPLE, LampPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_lamp(
    key: KeyPath,
    body: LampUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or move the lamp (staff, admin); needs If-Match. The status
    is not changed here: post an event."""
    return crud.update_item(
        connection,
        LAMPS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a lamp",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_lamp(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a lamp without history (staff, admin); needs If-Match. A lamp with status events
    is kept: post a `decommissioned` event instead."""
    return crud.delete_item(connection, LAMPS, key, if_match, account)
