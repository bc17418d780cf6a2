"""`/api/v1/interments`: burials; personal fields for staff and admin only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from api import inventory_adapter
from api.dependencies import ConnectionDep, EngineDep
from api.geojson import (
    GeoJSONResponse,
    IfMatchHeader,
    LimitQuery,
    OffsetQuery,
    required_version,
)
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
    IntermentCreate,
    IntermentPublic,
    IntermentsPublic,
    IntermentUpdate,
    IntermentVoid,
)
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.inventory.catalog import INTERMENTS
from geo_assets.inventory.interments import NEVER_DELETED, check_correctable, void_interment
from geo_assets.vocab import PLOT_STATUS, codes

router = APIRouter(prefix="/api/v1/interments", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Polygon", "coordinates": []},
    "properties": {
        "plot_id": 1,
        "buried_on": "2024-02-11",
        "plot_code": "TPU-01-A-1-1",
        "plot_status": "occupied",
        "block_code": "TPU-01-A",
        "cemetery_code": "TPU-01",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
KeyPath = Annotated[str, Path(description="Id or code.", examples=["1"])]


@router.get(
    "",
    summary="List interments",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of interments.", collection_example(EXAMPLE, router.prefix), IntermentsPublic
        ),
        **READ_PROBLEMS,
    },
)
def read_interments(
    request: Request,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    cemetery: Annotated[list[str] | None, Query(description="Cemetery id, code or name.")] = None,
    block: Annotated[list[str] | None, Query(description="Block id or code.")] = None,
    plot: Annotated[list[str] | None, Query(description="Plot id or code.")] = None,
    status: Annotated[
        list[str] | None, Query(description=f"Plot status: {', '.join(codes(PLOT_STATUS))}.")
    ] = None,
    voided: Annotated[
        bool | None, Query(description="true: voided records only; false: live ones only.")
    ] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """Interments, each located at its plot. The deceased's name, dates and heirs are
    shown to staff and admin only; others see the plot and burial date. A voided record is
    listed with its `voided_at` (see `voided`)."""
    query = inventory_adapter.list_query(
        filters={
            "cemetery": cemetery,
            "block": block,
            "plot": plot,
            "status": status,
            "voided": voided,
        },
        bbox=bbox,
        limit=limit,
        offset=offset,
    )
    return inventory_adapter.read_list(request, engine, INTERMENTS, query, account)


@router.get(
    "/{key}",
    summary="Read a interment",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The interment.", EXAMPLE, IntermentPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_interment(key: KeyPath, engine: EngineDep, account: ReaderDep) -> GeoJSONResponse:
    """One interment by id or code."""
    return inventory_adapter.read_item(engine, INTERMENTS, key, account)


@router.post(
    "",
    summary="Create a interment",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new interment.", EXAMPLE, IntermentPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_interment(
    request: Request, body: IntermentCreate, connection: ConnectionDep, account: EditorDep
) -> GeoJSONResponse:
    """Add a interment (staff, admin)."""
    return inventory_adapter.create_item(
        request,
        connection,
        INTERMENTS,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.patch(
    "/{key}",
    summary="Change a interment",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "The interment after the change.", EXAMPLE, IntermentPublic, ETAG_HEADER
        ),
        **EDIT_PROBLEMS,
    },
)
def update_interment(
    key: KeyPath,
    body: IntermentUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Correct some properties (staff, admin); needs If-Match. The audit log keeps the record
    before and after; a voided interment is no longer changed (409)."""
    check_correctable(connection=connection, key=key)
    return inventory_adapter.update_item(
        connection,
        INTERMENTS,
        key,
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.post(
    "/{key}/void",
    summary="Void a interment",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The interment, now void.", EXAMPLE, IntermentPublic, ETAG_HEADER),
        **EDIT_PROBLEMS,
    },
)
def void_interment_record(
    key: KeyPath,
    body: IntermentVoid,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Mark a wrong record void, with the reason (staff, admin); needs If-Match. It stays,
    marked with `voided_at`, no longer counts as a burial, and its plot is released when no
    other burial remains in it. Both are in the audit log."""
    row_id = void_interment(
        connection=connection,
        key=key,
        version=required_version(if_match),
        reason=body.reason,
        actor=account.username,
    )
    return inventory_adapter.read_item(connection, INTERMENTS, str(row_id), account)


@router.delete("/{key}", include_in_schema=False)
def delete_interment(key: KeyPath) -> None:
    """Never: an interment is a legal record (405 saying to correct or void it instead)."""
    raise HTTPException(405, NEVER_DELETED, headers={"Allow": "GET, PATCH"})
