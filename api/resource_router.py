"""One router builder for the plain inventory resources: list, read, create, change, delete.

Fed by the entity registry (columns, filters) and a `ResourceDocs` (the resource's own OpenAPI
words, examples and schemas), it gives every resource the same handlers with its own summaries,
operation ids, query parameters and schemas. A resource nested under another (a cemetery's
blocks) names its parent; a read-only one (service requests) gets list and read only.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from api import inventory_adapter as adapter
from api.dependencies import ConnectionDep, ReadEngineDep, read_connection
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
from api.resource_docs import ResourceDocs, filter_parameter
from api.schemas.common import geometry_dict, write_dict
from api.security import EditorDep, ReaderDep
from geo_assets.entities import ListFilter
from geo_assets.errors import NotFound
from geo_assets.inventory.catalog import resource
from geo_assets.inventory.features import resolve_id
from geo_assets.inventory.resources import Resource

KEYWORD = inspect.Parameter.KEYWORD_ONLY
GEOJSON = "a GeoJSON FeatureCollection"


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, KEYWORD, annotation=annotation, default=default)


def _endpoint(
    name: str, doc: str, params: list[inspect.Parameter], body: Callable[..., Any]
) -> Callable[..., Any]:
    """A handler called `name` with the given signature, running `body(**arguments)`."""

    def endpoint(**arguments: Any) -> Any:
        return body(**arguments)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    setattr(endpoint, "__signature__", inspect.Signature(params))  # read by FastAPI  # noqa: B010
    return endpoint


class ResourceRouter:
    """Builds the handlers of one resource onto its router (`add_list`, `add_read`, ...).

    Resources that differ (lamps, interments) call the ones they share and add their own.
    """

    def __init__(self, docs: ResourceDocs) -> None:
        self.docs = docs
        self.resource: Resource = resource(docs.entity)
        self.parent = resource(docs.parent.entity) if docs.parent else None
        self.router = APIRouter(prefix=docs.prefix, tags=[docs.tag])
        self.key = Annotated[
            str, Path(description=docs.key_description, examples=[docs.key_example])
        ]
        parent = docs.parent
        self.parent_params = (
            [
                _param(
                    parent.param,
                    Annotated[str, Path(description=parent.description, examples=[parent.example])],
                )
            ]
            if parent
            else []
        )

    def text(self, action: str, default: str) -> str:
        """The handler's description: the resource's own words, else `default`."""
        return self.docs.docs.get(action, default)

    def answer(self, action: str, default: str) -> str:
        """The description of the handler's success answer."""
        return self.docs.answers.get(action, default)

    def parent_id(self, connection: Connection, arguments: dict[str, Any]) -> int | None:
        """The id of the parent named in the path (None when the resource is not nested)."""
        if self.docs.parent is None or self.parent is None:
            return None
        key = arguments[self.docs.parent.param]
        return resolve_id(connection=connection, resource=self.parent, key=key)

    def key_of(self, connection: Connection, arguments: dict[str, Any]) -> str:
        """The item's key; under a parent, its id once checked to belong to the parent."""
        parent, key = self.docs.parent, arguments["key"]
        parent_id = self.parent_id(connection, arguments)
        if parent is None:
            return key
        row_id = resolve_id(connection=connection, resource=self.resource, key=key)
        table = self.resource.table
        owner = connection.execute(
            table.select().with_only_columns(table.c[parent.column]).where(table.c.id == row_id)
        ).scalar_one()
        if owner != parent_id:
            raise NotFound(
                f"{self.docs.word.capitalize()} {key!r} is not a {self.docs.word} of "
                f"{parent.entity.noun} {arguments[parent.param]!r}."
            )
        return str(row_id)

    def add_list(self) -> None:
        """GET the list, with the registry's filters as query parameters."""
        docs, resource = self.docs, self.resource
        near = (
            [
                _param("near", adapter.NearQuery, None),
                _param("radius_m", adapter.RadiusQuery, 500),
            ]
            if docs.near
            else []
        )
        shown = [f for f in docs.entity.filters if f.query_parameter and not self._is_parent(f)]
        params = [
            _param("request", Request),
            *self.parent_params,
            _param("engine", ReadEngineDep),
            _param("account", ReaderDep),
            _param("bbox", adapter.BBoxQuery, None),
            *near,
            *map(filter_parameter, shown),
            _param("limit", LimitQuery, None),
            _param("offset", OffsetQuery, 0),
        ]

        def body(request: Request, engine: Any, account: Any, **arguments: Any) -> Any:
            with read_connection(engine) as connection:
                filters = {f.name: arguments[f.name] for f in shown}
                if docs.parent:
                    filters[docs.parent.param] = str(self.parent_id(connection, arguments))
                query = adapter.list_query(
                    filters=filters,
                    bbox=arguments["bbox"],
                    near=arguments.get("near"),
                    radius_m=arguments.get("radius_m", 500.0),
                    limit=arguments["limit"],
                    offset=arguments["offset"],
                )
                return adapter.read_list(request, connection, resource, query, account)

        many = docs.words
        example = collection_example(docs.example, docs.list_example_path or docs.prefix)
        self.router.add_api_route(
            "",
            _endpoint(
                docs.op("list"),
                self.text(
                    "list", f"{many.capitalize()} matching every filter given, as {GEOJSON}."
                ),
                params,
                body,
            ),
            methods=["GET"],
            summary=docs.summaries.get("list", f"List {many}"),
            response_class=GeoJSONResponse,
            responses={
                200: geojson_response(f"A page of {many}.", example, docs.schemas[1]),
                **READ_PROBLEMS,
            },
        )

    def _is_parent(self, list_filter: ListFilter) -> bool:
        return self.docs.parent is not None and list_filter.name == self.docs.parent.param

    def add_read(self) -> None:
        """GET `/{key}`: one item."""
        docs = self.docs
        params = [
            *self.parent_params,
            _param("key", self.key),
            _param("engine", ReadEngineDep),
            _param("account", ReaderDep),
        ]

        def body(engine: Any, account: Any, **arguments: Any) -> Any:
            with read_connection(engine) as connection:
                key = self.key_of(connection, arguments)
                return adapter.read_item(connection, self.resource, key, account)

        self.router.add_api_route(
            "/{key}",
            _endpoint(
                docs.op("read"), self.text("read", f"One {docs.word} by id or code."), params, body
            ),
            methods=["GET"],
            summary=f"Read a {docs.word}",
            response_class=GeoJSONResponse,
            responses={
                200: geojson_response(
                    self.answer("read", f"The {docs.word}."),
                    docs.example,
                    docs.schemas[0],
                    ETAG_HEADER,
                ),
                **ITEM_PROBLEMS,
            },
        )

    def add_create(self) -> None:
        """POST: a new item (staff, admin)."""
        docs = self.docs
        params = [
            _param("request", Request),
            *self.parent_params,
            _param("body", docs.schemas[2]),
            _param("connection", ConnectionDep),
            _param("account", EditorDep),
        ]

        def body(
            request: Request, body: Any, connection: Connection, account: Any, **arguments: Any
        ) -> Any:
            properties = write_dict(body.properties)
            if docs.parent:
                properties[docs.parent.column] = self.parent_id(connection, arguments)
            geometry = geometry_dict(body.geometry)
            return adapter.create_item(
                request, connection, self.resource, properties, geometry, account
            )

        self.router.add_api_route(
            "",
            _endpoint(
                docs.op("create"),
                self.text("create", f"Add a {docs.word} (staff, admin)."),
                params,
                body,
            ),
            methods=["POST"],
            summary=f"Create a {docs.word}",
            status_code=201,
            response_class=GeoJSONResponse,
            responses={
                201: geojson_response(
                    f"The new {docs.word}.", docs.example, docs.schemas[0], ETAG_HEADER
                ),
                **WRITE_PROBLEMS,
            },
        )

    def add_update(self, check: Callable[[Connection, str], object] | None = None) -> None:
        """PATCH `/{key}`; `check(connection, key)` may refuse the change first."""
        docs = self.docs
        params = [
            *self.parent_params,
            _param("key", self.key),
            _param("body", docs.schemas[3]),
            _param("connection", ConnectionDep),
            _param("account", EditorDep),
            _param("if_match", IfMatchHeader, None),
        ]

        def body(
            body: Any, connection: Connection, account: Any, if_match: str | None, **arguments: Any
        ) -> Any:
            key = self.key_of(connection, arguments)
            if check is not None:
                check(connection, key)
            properties, geometry = write_dict(body.properties), geometry_dict(body.geometry)
            return adapter.update_item(
                connection, self.resource, key, if_match, properties, geometry, account
            )

        default = "Change some properties and/or the geometry (staff, admin); needs If-Match."
        self.router.add_api_route(
            "/{key}",
            _endpoint(docs.op("update"), self.text("update", default), params, body),
            methods=["PATCH"],
            summary=f"Change a {docs.word}",
            response_class=GeoJSONResponse,
            responses={
                200: geojson_response(
                    f"The {docs.word} after the change.", docs.example, docs.schemas[0], ETAG_HEADER
                ),
                **EDIT_PROBLEMS,
            },
        )

    def add_delete(self) -> None:
        """DELETE `/{key}` (staff, admin)."""
        docs = self.docs
        params = [
            *self.parent_params,
            _param("key", self.key),
            _param("connection", ConnectionDep),
            _param("account", EditorDep),
            _param("if_match", IfMatchHeader, None),
        ]

        def body(
            connection: Connection, account: Any, if_match: str | None, **arguments: Any
        ) -> Response:
            key = self.key_of(connection, arguments)
            return adapter.delete_item(connection, self.resource, key, if_match, account)

        doc = f"Delete a {docs.word} (staff, admin); needs If-Match."
        self.router.add_api_route(
            "/{key}",
            _endpoint(docs.op("delete"), self.text("delete", doc), params, body),
            methods=["DELETE"],
            summary=f"Delete a {docs.word}",
            status_code=204,
            responses={204: {"description": "Deleted."}, **EDIT_PROBLEMS},
        )


def resource_router(docs: ResourceDocs) -> APIRouter:
    """The router of one resource: list and read, and create/change/delete when it is writable."""
    builder = ResourceRouter(docs)
    builder.add_list()
    builder.add_read()
    if len(docs.schemas) == 4:
        builder.add_create()
        builder.add_update()
        builder.add_delete()
    return builder.router
