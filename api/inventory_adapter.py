"""The HTTP adapter over `geo_assets.inventory` (reads) and `inventory/writes.py` (writes).

Plain functions that turn an inventory resource's list, read, create, update and delete into
HTTP answers (FeatureCollection pages, ETags, 201 with Location, 204); `api.resource_router`
and the routers that differ (lamps, interments) call them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine

from api.dependencies import read_connection
from api.geojson import GeoJSONResponse, feature_collection, feature_response, required_version
from api.security import is_privileged
from geo_assets.auth import Account
from geo_assets.inventory.features import list_features, read_feature
from geo_assets.inventory.params import (
    ListQuery,
    check_radius,
    clamp_limit,
    parse_bbox,
    parse_point,
)
from geo_assets.inventory.resources import Resource
from geo_assets.inventory.writes import create_row, delete_row, update_row

BBoxQuery = Annotated[
    str | None,
    Query(
        description="x0,y0,x1,y1 in lon/lat (west,south,east,north).",
        examples=["114.80,-3.46,114.85,-3.42"],
    ),
]
NearQuery = Annotated[
    str | None,
    Query(
        description="lon,lat: only items within radius_m metres, nearest first.",
        examples=["114.8301,-3.4402"],
    ),
]
RadiusQuery = Annotated[float, Query(gt=0, le=50_000, description="Radius for near, in metres.")]
KecamatanQuery = Annotated[
    list[str] | None,
    Query(description="Kecamatan code, id or name (repeatable).", examples=[["63.72.04"]]),
]
KelurahanQuery = Annotated[
    list[str] | None,
    Query(description="Kelurahan code, id or name (repeatable).", examples=[["63.72.04.1002"]]),
]


def list_query(
    *,
    filters: dict[str, Any],
    bbox: str | None = None,
    near: str | None = None,
    radius_m: float = 500.0,
    limit: int | None = None,
    offset: int = 0,
) -> ListQuery:
    """A parsed list query; empty filters are dropped, single values become lists."""
    values = {
        name: [str(v) for v in (value if isinstance(value, list) else [value])]
        for name, value in filters.items()
        if value not in (None, [], "")
    }
    return ListQuery(
        filters=values,
        bbox=parse_bbox(bbox) if bbox else None,
        near=parse_point(near) if near else None,
        radius_m=check_radius(radius_m),
        limit=clamp_limit(limit),
        offset=offset,
    )


@contextmanager
def reading(source: Engine | Connection) -> Iterator[Connection]:
    """A read connection on an engine, or the connection already open."""
    if isinstance(source, Connection):
        yield source
    else:
        with read_connection(source) as connection:
            yield connection


def read_list(
    request: Request,
    source: Engine | Connection,
    resource: Resource,
    query: ListQuery,
    account: Account | None,
) -> GeoJSONResponse:
    """A FeatureCollection page of `resource`."""
    with reading(source) as connection:
        page = list_features(
            connection=connection, resource=resource, query=query, privileged=is_privileged(account)
        )
    return feature_collection(request, page, query.limit, query.offset)


def read_item(
    source: Engine | Connection, resource: Resource, key: str, account: Account | None
) -> GeoJSONResponse:
    """One Feature with its ETag."""
    with reading(source) as connection:
        version, feature = read_feature(
            connection=connection, resource=resource, key=key, privileged=is_privileged(account)
        )
    return feature_response(version, feature)


def created(
    request: Request, connection: Connection, resource: Resource, row_id: int, account: Account
) -> GeoJSONResponse:
    """201 with the new Feature, its ETag and Location."""
    response = read_item(connection, resource, str(row_id), account)
    response.status_code = 201
    response.headers["Location"] = f"{request.url.path.rstrip('/')}/{row_id}"
    return response


def create_item(
    request: Request,
    connection: Connection,
    resource: Resource,
    properties: dict[str, Any],
    geometry: Any | None,
    account: Account,
) -> GeoJSONResponse:
    """Insert one item and answer 201 with it."""
    row_id = create_row(
        connection=connection,
        resource=resource,
        properties=properties,
        geometry=geometry,
        actor=account.username,
    )
    return created(request, connection, resource, row_id, account)


def update_item(
    connection: Connection,
    resource: Resource,
    key: str,
    if_match: str | None,
    properties: dict[str, Any],
    geometry: Any | None,
    account: Account,
) -> GeoJSONResponse:
    """Apply a partial update guarded by If-Match; answer with the new Feature."""
    version = required_version(if_match)
    row_id = update_row(
        connection=connection,
        resource=resource,
        key=key,
        version=version,
        properties=properties,
        geometry=geometry,
        actor=account.username,
    )
    return read_item(connection, resource, str(row_id), account)


def delete_item(
    connection: Connection, resource: Resource, key: str, if_match: str | None, account: Account
) -> Response:
    """Delete one item guarded by If-Match; 204."""
    version = required_version(if_match)
    delete_row(
        connection=connection, resource=resource, key=key, version=version, actor=account.username
    )
    return Response(status_code=204)
