"""Checks every request's text passes before any handler runs: no NUL characters.

PostgreSQL cannot store U+0000 in text and refuses the whole statement, so a NUL in a filter,
a path, a form field or a JSON string would otherwise surface as a server error. One app-wide
dependency finds it and answers 422 naming the field, like any other validation error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"
MESSAGE = "Text must not contain the NUL character (\\u0000); remove it."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _json_nul_locations(value: Any, location: tuple[str | int, ...]) -> Iterator[tuple]:
    """Where in a parsed JSON document a key or string holds a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            printable = key.replace(NUL, "\\u0000")
            if NUL in key:
                yield (*location, printable)
            yield from _json_nul_locations(item, (*location, printable))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_nul_locations(item, (*location, index))


async def _body_nul_locations(request: Request) -> list[tuple]:
    """NULs in a JSON or form body; other bodies (files) are left to their handlers."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type.startswith(FORM_TYPES):
        form = await request.form()  # cached on the request: the handler reads the same form
        return [
            ("body", name.replace(NUL, "\\u0000"))
            for name, value in form.multi_items()
            if NUL in name or (isinstance(value, str) and NUL in value)
        ]
    if not (content_type == "" or content_type.endswith(("json", "+json"))):
        return []
    body = await request.body()  # cached too; FastAPI reads it before this runs anyway
    # JSON text cannot carry a raw NUL, only the escape: look further only when it is there.
    if b"\\u0000" not in body:
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # FastAPI answers malformed JSON itself
    return list(_json_nul_locations(document, ("body",)))


async def reject_nul_characters(request: Request) -> None:
    """422 when a path segment, query parameter, form field or JSON string holds a NUL."""
    locations: list[tuple] = [
        ("path", name)
        for name, value in request.path_params.items()
        if isinstance(value, str) and NUL in value
    ]
    locations += [
        ("query", name.replace(NUL, "\\u0000"))
        for name, value in request.query_params.multi_items()
        if NUL in name or NUL in value
    ]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        locations += await _body_nul_locations(request)
    if locations:
        raise RequestValidationError(
            [
                {"type": "string_nul", "loc": location, "msg": MESSAGE, "input": None}
                for location in dict.fromkeys(locations)
            ]
        )
