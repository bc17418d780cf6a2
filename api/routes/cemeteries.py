"""`/api/v1/cemeteries`: public cemeteries (TPU)."""

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
    CemeteriesPublic,
    CemeteryCreate,
    CemeteryPublic,
    CemeteryUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import CEMETERIES
from geo_assets.vocab import CEMETERY_KIND, codes

router = APIRouter(prefix="/api/v1/cemeteries", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Polygon", "coordinates": []},
    "properties": {
        "code": "TPU-01",
        "name": "TPU Guntung Manggis",
        "kind": "muslim",
        "capacity": 2400,
        "gate": {"type": "Point", "coordinates": [114.8315, -3.45]},
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["TPU-01"])]


@router.get(
    "",
    summary="List cemeteries",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of cemeteries.", collection_example(EXAMPLE, router.prefix), CemeteriesPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_cemeteries(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    near: inventory_adapter.NearQuery = None,
    radius_m: inventory_adapter.RadiusQuery = 500,
    kecamatan: inventory_adapter.KecamatanQuery = None,
    kelurahan: inventory_adapter.KelurahanQuery = None,
    kind: Annotated[
        list[str] | None, Query(description=f"Kind: {', '.join(codes(CEMETERY_KIND))}.")
    ] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Cemeteries matching every filter given, as a GeoJSON FeatureCollection."""
    query = inventory_adapter.list_query(
        filters={"kecamatan": kecamatan, "kelurahan": kelurahan, "kind": kind},
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, CEMETERIES, query, account)


@router.get(
    "/{key}",
    summary="Read a cemetery",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The cemetery.", EXAMPLE, CemeteryPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_cemetery(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One cemetery by id or code."""
    return inventory_adapter.read_item(engine, CEMETERIES, key, account)


@router.post(
    "",
    summary="Create a cemetery",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new cemetery.", EXAMPLE, CemeteryPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_cemetery(
    request: Request, body: CemeteryCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a cemetery (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        CEMETERIES,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a cemetery",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The cemetery after the change.", EXAMPLE, CemeteryPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_cemetery(
    key: KeyPath,
    body: CemeteryUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        CEMETERIES,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a cemetery",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_cemetery(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a cemetery (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, CEMETERIES, key, if_match, account)
