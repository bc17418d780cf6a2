"""OpenAPI documentation shared by the routes: problem responses and GeoJSON examples."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from api.errors import PROBLEM_JSON
from api.geojson import GEOJSON
from api.schemas.open311 import Open311Errors


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in words a person can act on."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["bbox: y0 (south latitude) 'x' is not a number."])


PROBLEM_SCHEMA = Problem.model_json_schema()

PROBLEM_EXAMPLES: dict[int, tuple[str, str, dict[str, Any]]] = {
    400: ("Bad request", "If-Match 'abc' is not an ETag of this API; it looks like \"3\".", {}),
    401: (
        "Unauthorized",
        "Sign in first: POST /api/v1/auth/token, then send Authorization: Bearer <token>.",
        {},
    ),
    403: ("Forbidden", "Your role 'planner' may not do this; it needs: admin, staff.", {}),
    404: ("Not found", "There is no lamp with id or code 'PJU-63.72.04-99999'.", {}),
    409: (
        "Conflict",
        "A lamp with this value exists already: Key (code)=(PJU-63.72.04-00001) already exists.",
        {},
    ),
    412: (
        "Stale version",
        "The lamp was changed since version 1: it is now at version 2. Read "
        'it again, re-apply your change, and send If-Match: "2".',
        {
            "current_version": 2,
            "changes": [
                {
                    "version": 2,
                    "action": "update",
                    "actor": "siti",
                    "at": "2026-01-05T09:12:00+00:00",
                    "fields": {"wattage": {"from": 60, "to": 90}},
                }
            ],
        },
    ),
    413: (
        "Content Too Large",
        "The request body (12,000,000 bytes) is larger than this server "
        "accepts (10,485,760 bytes).",
        {},
    ),
    422: (
        "Invalid input",
        "The coordinates look swapped: [-3.44, 114.83] is outside "
        "Banjarbaru but [114.83, -3.44] is inside. GeoJSON positions are [longitude, latitude].",
        {},
    ),
    428: (
        "Precondition Required",
        'Send If-Match with the ETag you read (GET the item first), e.g. If-Match: "3".',
        {},
    ),
    503: (
        "Service Unavailable",
        "The database cannot be reached just now; nothing was changed. Try again shortly.",
        {},
    ),
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries documenting these problem statuses, each with an example."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        title, detail, extra = PROBLEM_EXAMPLES[status]
        example = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            **extra,
        }
        responses[status] = {
            "description": title,
            "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA, "example": example}},
        }
    return responses


READ_PROBLEMS = problems(401, 422)
ITEM_PROBLEMS = problems(401, 404)
WRITE_PROBLEMS = problems(401, 403, 404, 409, 413, 422)
EDIT_PROBLEMS = problems(400, 401, 403, 404, 409, 412, 413, 422, 428)


def geojson_response(
    description: str,
    example: dict[str, Any],
    model: type[BaseModel] | None = None,
    headers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A documented GeoJSON response with an example."""
    response: dict[str, Any] = {
        "description": description,
        "content": {GEOJSON: {"example": example}},
    }
    if model is not None:
        response["model"] = model
    if headers:
        response["headers"] = headers
    return response


ETAG_HEADER = {
    "ETag": {
        "description": "The item's version, for If-Match.",
        "schema": {"type": "string", "example": '"3"'},
    }
}


def collection_example(feature: dict[str, Any], path: str) -> dict[str, Any]:
    """A one-feature FeatureCollection example with paging members."""
    return {
        "type": "FeatureCollection",
        "numberMatched": 1,
        "numberReturned": 1,
        "links": [
            {
                "href": f"http://127.0.0.1:8000{path}?limit=100&offset=0",
                "rel": "self",
                "type": GEOJSON,
            }
        ],
        "features": [feature],
    }


def _problem_422(operation: dict[str, Any]) -> None:
    response = operation.get("responses", {}).get("422")
    schema = (response or {}).get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("$ref", "").endswith("/HTTPValidationError"):
        operation["responses"]["422"] = problems(422)[422]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Every dependency a route runs, however deeply nested."""
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def generic_statuses(route: Any) -> tuple[int, ...]:
    """The problem statuses any route of this shape can answer, whatever its handler does.

    401 where a bearer token is read (a wrong or revoked one is refused even where anonymous
    reading is allowed), 403 where a role is required, 404 where a path names an item, 400 for
    a body that cannot be parsed (not UTF-8, a broken form), 413 for any body, 422 for any
    input, 503 while the database is unreachable.
    """
    calls = list(_calls(route.dependant))
    statuses = {503}
    if any(
        getattr(call, "__name__", "") in ("optional_account", "current_account") for call in calls
    ):
        statuses.add(401)
    if any(getattr(call, "__qualname__", "").startswith("require_roles") for call in calls):
        statuses.add(403)
    if route.dependant.path_params:
        statuses |= {404, 422}
    if route.dependant.query_params or route.dependant.header_params:
        statuses.add(422)
    if route.dependant.body_params:
        statuses |= {400, 413, 422}
    return tuple(sorted(statuses))


def _document_statuses(app: FastAPI, spec: dict[str, Any]) -> None:
    # Routes of included routers are wrapped: their contexts carry the effective dependencies.
    for route in routing.iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        path = route.path_format or ""
        if path.startswith("/open311/"):
            continue  # GeoReport v2 answers its errors in its own format, documented by its router
        item = spec.get("paths", {}).get(path, {})
        for method in route.methods or ():
            operation = item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status, response in problems(*generic_statuses(route)).items():
                responses.setdefault(str(status), response)


def install_problem_docs(app: FastAPI) -> None:
    """Document FastAPI's automatic 422 answers as the problem+json they really are, and every
    route's generic problem statuses (see `generic_statuses`)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            for item in spec.get("paths", {}).values():
                for operation in item.values():
                    _problem_422(operation)
            _document_statuses(app, spec)
            without_422(spec, "/open311/")
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's own recipe; stubs call it a method


OPEN311_XML = "text/xml"
OPEN311_ERRORS = {
    400: "A field is missing or malformed, or the format is not json or xml.",
    403: "The api_key is missing or not valid.",
    404: "No such service_code, request id, token or jurisdiction_id.",
    429: "Too many reports with this api_key, or without a valid one from this address; "
    "see Retry-After.",
    503: "The database is unavailable and nothing was done; try again after Retry-After.",
}


def open311_responses(
    model: type[BaseModel], description: str, *errors: int
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a GeoReport v2 resource: the JSON `model` or the same data as XML, and
    its errors as the specification's `{code, description}` list in either format."""
    xml = {OPEN311_XML: {"schema": {"type": "string"}}}
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": description, "model": model, "content": dict(xml)}
    }
    for status in (*errors, 503):  # any of them may meet a database outage
        responses[status] = {
            "description": OPEN311_ERRORS[status],
            "model": Open311Errors,
            "content": dict(xml),
        }
    return responses


def without_422(spec: dict[str, Any], prefix: str) -> None:
    """Drop FastAPI's automatic 422 from routes under `prefix` that answer 400 instead."""
    for path, item in spec.get("paths", {}).items():
        if path.startswith(prefix):
            for operation in item.values():
                operation.get("responses", {}).pop("422", None)
