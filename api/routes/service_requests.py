"""`/api/v1/service-requests`: fault reports and their work orders (read-only here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import inventory_adapter
from api.dependencies import EngineDep
from api.geojson import GeoJSONResponse, LimitQuery, OffsetQuery
from api.openapi import (
    ETAG_HEADER,
    ITEM_PROBLEMS,
    READ_PROBLEMS,
    collection_example,
    geojson_response,
)
from api.schemas.reports import ServiceRequestPublic, ServiceRequestsPublic
from api.security import ReaderDep
from geo_assets.inventory.catalog import SERVICE_REQUESTS
from geo_assets.vocab import REQUEST_STATUS, WORK_STATE, codes

router = APIRouter(prefix="/api/v1/service-requests", tags=["service requests"])
EXAMPLE = {
    "type": "Feature",
    "id": 12,
    "geometry": {"type": "Point", "coordinates": [114.8302, -3.4401]},
    "properties": {
        "service_code": "streetlight_out",
        "description": "Lampu mati",
        "status": "open",
        "requested_at": "2026-01-05T19:40:00+00:00",
        "lamp_id": 17,
        "work_state": "assigned",
        "due_at": "2026-01-08T19:40:00+00:00",
        "version": 2,
        "updated_at": "2026-01-06T08:00:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="The request's id.", examples=["12"])]


@router.get(
    "",
    summary="List service requests",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of service requests.",
            collection_example(EXAMPLE, router.prefix),
            ServiceRequestsPublic,
        ),
        **READ_PROBLEMS,
    },
)
def read_service_requests(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    near: inventory_adapter.NearQuery = None,
    radius_m: inventory_adapter.RadiusQuery = 500,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    kelurahan: inventory_adapter.KelurahanQuery = None,
    status: Annotated[
        list[str] | None, Query(description=f"Status: {', '.join(codes(REQUEST_STATUS))}.")
    ] = None,
    work_state: Annotated[
        list[str] | None, Query(description=f"Work-order state: {', '.join(codes(WORK_STATE))}.")
    ] = None,
    service_code: Annotated[list[str] | None, Query(description="Service code.")] = None,
    lamp: Annotated[str | None, Query(description="Lamp id or code.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Service requests matching every filter given; reporters' contacts only for staff/admin."""
    query = inventory_adapter.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "status": status,
            "work_state": work_state,
            "service_code": service_code,
            "lamp": lamp,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, SERVICE_REQUESTS, query, account)


@router.get(
    "/{key}",
    summary="Read a service request",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The service request.", EXAMPLE, ServiceRequestPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_service_request(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One service request by id."""
    return inventory_adapter.read_item(engine, SERVICE_REQUESTS, key, account)
