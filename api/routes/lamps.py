"""`/api/v1/lamps`: street lights (PJU) as GeoJSON; status changes go through their events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request

from api import inventory_adapter
from api.dependencies import ConnectionDep, ReadEngineDep, read_connection
from api.geojson import GeoJSONResponse, feature_collection
from api.openapi import (
    ETAG_HEADER,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    collection_example,
    geojson_response,
)
from api.resource_docs import ResourceDocs
from api.resource_router import ResourceRouter
from api.schemas.common import geometry_dict, write_dict
from api.schemas.lamps import LAMP_EXAMPLE, LampCreate, LampPublic, LampsPublic, LampUpdate
from api.security import EditorDep, ReaderDep
from geo_assets import entities
from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.lamps import create_lamp, nearest_lamps
from geo_assets.inventory.params import parse_point

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
DOCS = ResourceDocs(
    entity=entities.BY_NAME["lamps"],
    tag="lamps",
    example=FEATURE_EXAMPLE,
    key_example="PJU-63.72.04-00017",
    key_description="The lamp's id or its code.",
    schemas=(LampPublic, LampsPublic, LampCreate, LampUpdate),
    docs={
        "list": "Lamps matching every filter given, as a GeoJSON FeatureCollection (by id, or "
        "nearest first\nwith `near`).",
        "read": "One lamp by id or code, with its version as ETag.",
        "update": "Change some properties and/or move the lamp (staff, admin); needs If-Match. "
        "The status\nis not changed here: post an event.",
        "delete": "Delete a lamp without history (staff, admin); needs If-Match. A lamp with "
        "status events\nis kept: post a `decommissioned` event instead.",
    },
    answers={"read": "The lamp; its version is the ETag."},
)
# List, read, change and delete as every resource; `/nearest` before `/{key}`, and create
# (which records the first status event) are the lamp's own.
LAMP_ROUTES = ResourceRouter(DOCS)
router = LAMP_ROUTES.router
LAMP_ROUTES.add_list()


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
    engine: ReadEngineDep,
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


LAMP_ROUTES.add_read()


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
    return inventory_adapter.created(request, connection, LAMPS, lamp_id, account)


LAMP_ROUTES.add_update()
LAMP_ROUTES.add_delete()
