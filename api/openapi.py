"""OpenAPI documentation shared by the routes: problem responses and GeoJSON examples."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from api.errors import PROBLEM_JSON
from api.geojson import GEOJSON


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


def install_problem_docs(app: FastAPI) -> None:
    """Document FastAPI's automatic 422 answers as the problem+json they really are."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            for item in spec.get("paths", {}).values():
                for operation in item.values():
                    _problem_422(operation)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
