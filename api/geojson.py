"""GeoJSON responses from the text PostgreSQL built: envelopes, paging links, ETags."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from geo_assets.inventory.features import FeaturePage
from geo_assets.inventory.params import MAX_LIMIT, clamp_limit, parse_id

GEOJSON = "application/geo+json"

LimitQuery = Annotated[
    int | None,
    Query(
        ge=1,
        description=f"Page size: default 100, at most {MAX_LIMIT} (larger values are clamped).",
        examples=[100],
    ),
]
OffsetQuery = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="How many matching items to skip.", examples=[0])
]
IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag of the version you edited, e.g. `"3"` (required).',
        examples=['"1"'],
    ),
]


class GeoJSONResponse(JSONResponse):
    """A body that is GeoJSON text already, sent as it is (PostgreSQL built it).

    A JSONResponse, so the OpenAPI documents it by the JSON schema of its response model rather
    than as a string; only `render` differs: the text is not serialised again.
    """

    media_type = GEOJSON

    def render(self, content: Any) -> bytes:
        """The GeoJSON text as UTF-8 bytes; a dict (never ours, but allowed) as JSON."""
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode("utf-8")
        return super().render(content)


def page_links(
    request: Request, page: FeaturePage, limit: int, offset: int, media_type: str = GEOJSON
) -> list[dict[str, str]]:
    """self/next/prev links of a page, keeping every other query parameter."""

    def link(rel: str, new_offset: int) -> dict[str, str]:
        url = request.url.include_query_params(limit=limit, offset=new_offset)
        return {"href": str(url), "rel": rel, "type": media_type}

    links = [link("self", offset)]
    # Too many to count (matched None): a full page may have more after it.
    matched = page.matched
    if page.returned == limit if matched is None else offset + page.returned < matched:
        links.append(link("next", offset + limit))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    return links


def envelope(head: dict, member: str, array_text: str) -> str:
    """`head` as JSON with the SQL-built array text added as `member`, without re-parsing it."""
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return f'{text[:-1]},"{member}":{array_text}}}'


def feature_collection(
    request: Request, page: FeaturePage, limit: int | None, offset: int
) -> GeoJSONResponse:
    """A FeatureCollection with numberMatched/numberReturned and paging links."""
    limit = clamp_limit(limit)
    head = {
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "links": page_links(request, page, limit, offset),
    }
    return GeoJSONResponse(envelope(head, "features", page.features))


def etag(version: int) -> str:
    """The ETag of a version."""
    return f'"{version}"'


def feature_response(version: int, feature: str, status_code: int = 200) -> GeoJSONResponse:
    """One Feature with its version as ETag."""
    return GeoJSONResponse(feature, status_code=status_code, headers={"ETag": etag(version)})


def required_version(if_match: str | None) -> int:
    """The version named by If-Match: 428 when missing, 400 when not one of our ETags."""
    if not if_match:
        raise HTTPException(
            428, 'Send If-Match with the ETag you read (GET the item first), e.g. If-Match: "3".'
        )
    value = if_match.strip().removeprefix("W/").strip('"')
    if parse_id(value) is None:
        raise HTTPException(
            400, f'If-Match {if_match!r} is not an ETag of this API; it looks like "3".'
        )
    return int(value)
