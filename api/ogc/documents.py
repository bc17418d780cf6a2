"""The JSON documents of `/ogc` (landing page, conformance, collections, queryables) and the
format and language choice shared by every OGC route."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from api.geojson import GEOJSON
from api.ogc import html
from geo_assets.ogc.collections import (
    CRS84,
    GEOMETRY,
    Collection,
    Extent,
    geometry_schema,
)
from geo_assets.ogc.conformance import FEATURES_CONFORMANCE
from geo_assets.tiles import TILES_CONFORMANCE
from geo_assets.tiles.layers import LAYERS

JSON = "application/json"
HTML = "text/html"
SCHEMA_JSON = "application/schema+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
CONFORMANCE_REL = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
DATA_REL = "http://www.opengis.net/def/rel/ogc/1.0/data"


def conformance_classes() -> tuple[str, ...]:
    """Every class `/ogc/conformance` declares: Features' and Tiles' (each part keeps its own)."""
    return FEATURES_CONFORMANCE + TILES_CONFORMANCE


def wants_html(request: Request, f: str | None) -> bool:
    """`f=html`, or no `f` and an Accept header that asks for HTML before JSON."""
    if f is not None:
        return f == "html"
    accept = request.headers.get("accept", "").lower()
    if HTML not in accept:
        return False
    json_at = min((accept.find(t) for t in ("json",) if t in accept), default=len(accept))
    return accept.find(HTML) < json_at


def base_url(request: Request) -> str:
    """The server's root URL as the client reached it, without a trailing slash."""
    return str(request.base_url).rstrip("/")


def link(href: str, rel: str, media_type: str, title: str | None = None) -> dict[str, str]:
    """One OGC link."""
    found = {"href": href, "rel": rel, "type": media_type}
    if title:
        found["title"] = title
    return found


def self_links(request: Request, html_first: bool, json_type: str = JSON) -> list[dict[str, str]]:
    """self and alternate: this document as JSON and as HTML."""
    as_json = str(request.url.include_query_params(f="json"))
    as_html = str(request.url.include_query_params(f="html"))
    if html_first:
        return [link(as_html, "self", HTML), link(as_json, "alternate", json_type)]
    return [link(as_json, "self", json_type), link(as_html, "alternate", HTML)]


def alternate_link(request: Request, html: bool) -> dict[str, str]:
    """The items page in the other format: GeoJSON for an HTML page, HTML for GeoJSON."""
    if html:
        return link(str(request.url.include_query_params(f="json")), "alternate", GEOJSON)
    return link(str(request.url.include_query_params(f="html")), "alternate", HTML)


def landing_page(request: Request, html_first: bool) -> dict[str, Any]:
    """The landing page: self, alternate, service-desc/doc, conformance, data, tiles."""
    base = base_url(request)
    return {
        "title": "geo-assets OGC API",
        "description": "Lampu PJU dan TPU Kota Banjarbaru sebagai OGC API – Features dan Tiles. "
        "Street lights and public cemeteries of Banjarbaru.",
        "links": [
            *self_links(request, html_first),
            link(f"{base}/openapi.json", "service-desc", OPENAPI, "OpenAPI 3.0"),
            link(f"{base}/docs", "service-doc", HTML, "Dokumentasi API"),
            link(f"{base}/ogc/conformance", "conformance", JSON, "Kelas kesesuaian"),
            link(f"{base}/ogc/conformance", CONFORMANCE_REL, JSON),
            link(f"{base}/ogc/collections", "data", JSON, "Koleksi data"),
            link(f"{base}/ogc/collections", DATA_REL, JSON),
            link(f"{base}/ogc/tiles", TILESETS, JSON, "Peta dasar vektor"),
            link(f"{base}/ogc/tileMatrixSets", TILING_SCHEMES, JSON, "Skema petak"),
        ],
    }


def _moment(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def collection_document(
    request: Request, collection: Collection, extent: Extent, lang: str
) -> dict[str, Any]:
    """One collection: title, description, extent, item type, CRS and links."""
    base = base_url(request)
    here = f"{base}/ogc/collections/{collection.id}"
    spatial: dict[str, Any] = {"bbox": [list(extent.bbox or (-180, -90, 180, 90))], "crs": CRS84}
    document: dict[str, Any] = {
        "id": collection.id,
        "title": collection.title.text(lang),
        "description": collection.description.text(lang),
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": {"spatial": spatial},
        "links": [
            link(f"{here}?f=json", "self", JSON),
            link(f"{here}?f=html", "alternate", HTML),
            link(f"{here}/items?f=json", "items", GEOJSON),
            link(f"{here}/items?f=html", "items", HTML),
            link(f"{here}/queryables", QUERYABLES, SCHEMA_JSON),
        ],
    }
    if collection.id in LAYERS:  # every public collection with a geometry comes as tiles
        document["links"].append(link(f"{here}/tiles", TILESETS, JSON))
    if extent.interval is not None:
        start, end = extent.interval
        document["extent"]["temporal"] = {
            "interval": [[_moment(start), _moment(end)]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return document


def queryables_document(request: Request, collection: Collection, lang: str) -> dict[str, Any]:
    """The JSON Schema of the properties `collection` may be filtered by."""
    properties: dict[str, Any] = {GEOMETRY: geometry_schema(collection)}
    properties |= {name: q.schema for name, q in collection.queryables.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url(request)}/ogc/collections/{collection.id}/queryables",
        "type": "object",
        "title": collection.title.text(lang),
        "properties": properties,
        "additionalProperties": False,
    }


def page(
    request: Request,
    template: str,
    title: str,
    document: dict[str, Any],
    lang: str,
    **extra: Any,
) -> Response:
    """`document` as an HTML page in `lang`, linking its JSON and its other language."""
    other = "id" if lang == "en" else "en"
    return html.render(
        template,
        title=title,
        doc=document,
        lang=lang,
        base=base_url(request),
        json_href=str(request.url.include_query_params(f="json")),
        other_href=str(request.url.include_query_params(f="html", lang=other)),
        **extra,
    )


def answer(
    request: Request,
    f: str | None,
    document: dict[str, Any],
    lang: str,
    template: str,
    title: str,
    media_type: str = JSON,
) -> Response:
    """`document` as JSON, or as the HTML page `template` when the client asks for HTML."""
    if wants_html(request, f):
        return page(request, template, title, document, lang)
    return JSONResponse(document, media_type=media_type)
