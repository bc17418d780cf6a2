"""`/api/v1/plots`: grave plots (petak)."""

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
    PlotCreate,
    PlotPublic,
    PlotsPublic,
    PlotUpdate,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import PLOTS
from geo_assets.vocab import PLOT_STATUS, codes

router = APIRouter(prefix="/api/v1/plots", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Polygon", "coordinates": []},
    "properties": {
        "code": "TPU-01-A-1-1",
        "block_id": 1,
        "row_number": 1,
        "plot_number": 1,
        "status": "available",
        "block_code": "TPU-01-A",
        "cemetery_code": "TPU-01",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["TPU-01-A-1-1"])]


@router.get(
    "",
    summary="List plots",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of plots.", collection_example(EXAMPLE, router.prefix), PlotsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_plots(
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
        Query(description=f"Status (repeatable): {', '.join(codes(PLOT_STATUS))}."),
    ] = None,
    cemetery: Annotated[list[str] | None, Query(description="Cemetery id, code or name.")] = None,
    block: Annotated[list[str] | None, Query(description="Block id or code.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Plots matching every filter given, as a GeoJSON FeatureCollection."""
    query = inventory_adapter.list_query(
        filters={
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "status": status,
            "cemetery": cemetery,
            "block": block,
        },
        bbox=bbox,
        near=near,
        radius_m=radius_m,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, PLOTS, query, account)


@router.get(
    "/{key}",
    summary="Read a plot",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The plot.", EXAMPLE, PlotPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_plot(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One plot by id or code."""
    return inventory_adapter.read_item(engine, PLOTS, key, account)


@router.post(
    "",
    summary="Create a plot",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new plot.", EXAMPLE, PlotPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_plot(
    request: Request, body: PlotCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a plot (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        PLOTS,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a plot",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The plot after the change.", EXAMPLE, PlotPublic, ETAG_HEADER),
        **EDIT_PROBLEMS,
    },
)
def update_plot(
    key: KeyPath,
    body: PlotUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change some properties and/or the geometry (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        PLOTS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a plot",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_plot(
    key: KeyPath, connection: ConnectionDep, account: EditorDep, if_match: IfMatchHeader = None
) -> Response:
    """Delete a plot (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(connection, PLOTS, key, if_match, account)
