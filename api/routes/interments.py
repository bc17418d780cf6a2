"""`/api/v1/interments`: burials; personal fields for staff and admin only."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Path

from api import inventory_adapter
from api.dependencies import ConnectionDep
from api.geojson import (
    GeoJSONResponse,
    IfMatchHeader,
    required_version,
)
from api.openapi import (
    EDIT_PROBLEMS,
    ETAG_HEADER,
    geojson_response,
)
from api.resource_docs import ResourceDocs
from api.resource_router import ResourceRouter
from api.schemas.cemeteries import (
    IntermentCreate,
    IntermentPublic,
    IntermentsPublic,
    IntermentUpdate,
    IntermentVoid,
)
from api.security import EditorDep
from geo_assets import entities
from geo_assets.inventory.catalog import INTERMENTS
from geo_assets.inventory.interments import NEVER_DELETED, check_correctable, void_interment

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
DOCS = ResourceDocs(
    entity=entities.BY_NAME["interments"],
    tag="cemeteries",
    example=EXAMPLE,
    key_example="1",
    schemas=(IntermentPublic, IntermentsPublic, IntermentCreate, IntermentUpdate),
    near=False,
    docs={
        "list": "Interments, each located at its plot. The deceased's name, dates and heirs are\n"
        "shown to staff and admin only; others see the plot and burial date. A voided record is\n"
        "listed with its `voided_at` (see `voided`).",
        "update": "Correct some properties (staff, admin); needs If-Match. The audit log keeps "
        "the record\nbefore and after; a voided interment is no longer changed (409).",
    },
)
# List, read, create and correct as every resource; void is the interment's own, and an
# interment is never deleted.
INTERMENT_ROUTES = ResourceRouter(DOCS)
router = INTERMENT_ROUTES.router
INTERMENT_ROUTES.add_list()
INTERMENT_ROUTES.add_read()
INTERMENT_ROUTES.add_create()
INTERMENT_ROUTES.add_update(
    lambda connection, key: check_correctable(connection=connection, key=key)
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
