"""`/api/v1/cemeteries/{cemetery}/blocks`: the blocks (blok) of one cemetery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from api import inventory_adapter
from api.dependencies import ConnectionDep, EngineDep, read_connection
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
from api.schemas.cemeteries import BlockCreate, BlockPublic, BlocksPublic, BlockUpdate
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.errors import NotFound
from geo_assets.inventory.catalog import BLOCKS, CEMETERIES
from geo_assets.inventory.features import resolve_id

router = APIRouter(prefix="/api/v1/cemeteries/{cemetery}/blocks", tags=["cemeteries"])
EXAMPLE = {
    "type": "Feature",
    "id": 1,
    "geometry": {"type": "Polygon", "coordinates": []},
    "properties": {
        "code": "TPU-01-A",
        "name": "Blok A",
        "cemetery_id": 1,
        "cemetery_code": "TPU-01",
        "version": 1,
        "updated_at": "2026-01-05T09:12:00+00:00",
    },
}
CemeteryPath = Annotated[str, Path(description="The cemetery's id or code.", examples=["TPU-01"])]
KeyPath = Annotated[str, Path(description="The block's id or code.", examples=["TPU-01-A"])]


def _block_key(connection: Connection, cemetery: str, key: str) -> str:
    """The block's id, checked to belong to the cemetery in the URL."""
    cemetery_id = resolve_id(connection=connection, resource=CEMETERIES, key=cemetery)
    block_id = resolve_id(connection=connection, resource=BLOCKS, key=key)
    owner = connection.execute(
        BLOCKS.table.select()
        .with_only_columns(BLOCKS.table.c.cemetery_id)
        .where(BLOCKS.table.c.id == block_id)
    ).scalar_one()
    if owner != cemetery_id:
        raise NotFound(f"Block {key!r} is not a block of cemetery {cemetery!r}.")
    return str(block_id)


@router.get(
    "",
    summary="List a cemetery's blocks",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response(
            "A page of blocks.",
            collection_example(EXAMPLE, "/api/v1/cemeteries/TPU-01/blocks"),
            BlocksPublic,
        ),
        **READ_PROBLEMS,
    },
)
def read_blocks(
    request: Request,
    cemetery: CemeteryPath,
    engine: EngineDep,
    account: ReaderDep,
    bbox: inventory_adapter.BBoxQuery = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> GeoJSONResponse:
    """The blocks of the cemetery, as Polygons."""
    with read_connection(engine) as connection:
        cemetery_id = resolve_id(connection=connection, resource=CEMETERIES, key=cemetery)
        query = inventory_adapter.list_query(
            filters={"cemetery": str(cemetery_id)}, bbox=bbox, limit=limit, offset=offset
        )
        return inventory_adapter.read_list(request, connection, BLOCKS, query, account)


@router.get(
    "/{key}",
    summary="Read a block",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The block.", EXAMPLE, BlockPublic, ETAG_HEADER),
        **ITEM_PROBLEMS,
    },
)
def read_block(
    cemetery: CemeteryPath, key: KeyPath, engine: EngineDep, account: ReaderDep
) -> GeoJSONResponse:
    """One block by id or code."""
    with read_connection(engine) as connection:
        return inventory_adapter.read_item(
            connection, BLOCKS, _block_key(connection, cemetery, key), account
        )


@router.post(
    "",
    summary="Create a block",
    status_code=201,
    response_class=GeoJSONResponse,
    responses={
        201: geojson_response("The new block.", EXAMPLE, BlockPublic, ETAG_HEADER),
        **WRITE_PROBLEMS,
    },
)
def create_block(
    request: Request,
    cemetery: CemeteryPath,
    body: BlockCreate,
    connection: ConnectionDep,
    account: EditorDep,
) -> GeoJSONResponse:
    """Add a block to the cemetery (staff, admin)."""
    cemetery_id = resolve_id(connection=connection, resource=CEMETERIES, key=cemetery)
    properties = write_dict(body.properties) | {"cemetery_id": cemetery_id}
    return inventory_adapter.create_item(
        request, connection, BLOCKS, properties, geometry_dict(body.geometry), account
    )


@router.patch(
    "/{key}",
    summary="Change a block",
    response_class=GeoJSONResponse,
    responses={
        200: geojson_response("The block after the change.", EXAMPLE, BlockPublic, ETAG_HEADER),
        **EDIT_PROBLEMS,
    },
)
def update_block(
    cemetery: CemeteryPath,
    key: KeyPath,
    body: BlockUpdate,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> GeoJSONResponse:
    """Change a block (staff, admin); needs If-Match."""
    return inventory_adapter.update_item(
        connection,
        BLOCKS,
        _block_key(connection, cemetery, key),
        if_match,
        write_dict(body.properties),
        geometry_dict(body.geometry),
        account,
    )


@router.delete(
    "/{key}",
    summary="Delete a block",
    status_code=204,
    responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
)
def delete_block(
    cemetery: CemeteryPath,
    key: KeyPath,
    connection: ConnectionDep,
    account: EditorDep,
    if_match: IfMatchHeader = None,
) -> Response:
    """Delete a block and its plots' outlines (staff, admin); needs If-Match."""
    return inventory_adapter.delete_item(
        connection, BLOCKS, _block_key(connection, cemetery, key), if_match, account
    )
