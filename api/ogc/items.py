"""`/ogc/collections/{id}/items`: pages of features and single features, GeoJSON or HTML.

The GeoJSON is built by PostgreSQL with the `/api/v1` feature builder
(`inventory/features.py`); the OGC conditions (datetime, property equality, CQL2 `filter`)
reach it as bound clauses of the list query. Personal columns are never read here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select

from api.dependencies import ReadEngineDep, read_connection
from api.geojson import GEOJSON, GeoJSONResponse, envelope, page_links
from api.ogc import documents as docs
from api.ogc.routes import CollectionPath, FormatQuery, LangQuery, json_or_html, readable, router
from api.ogc.schemas import OgcFeature, OgcFeatureCollection
from api.openapi import problems
from api.security import ReaderDep
from geo_assets.errors import NotFound
from geo_assets.inventory.features import key_clause, list_features, read_feature
from geo_assets.inventory.params import MAX_LIMIT
from geo_assets.ogc.collections import Collection
from geo_assets.ogc.query import DEFAULT_LIMIT, items_query

LimitQuery = Annotated[
    int | None,
    Query(
        description=f"Page size: default {DEFAULT_LIMIT}, at most {MAX_LIMIT} "
        "(a larger value is clamped).",
        examples=[100],
    ),
]
OffsetQuery = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="How many matching items to skip.")
]
BBoxQuery = Annotated[
    str | None,
    Query(
        description="west,south,east,north in lon/lat (CRS84).",
        examples=["114.80,-3.46,114.85,-3.42"],
    ),
]
DatetimeQuery = Annotated[
    str | None,
    Query(
        alias="datetime",
        description="An instant or interval on the collection's time (RFC 3339; `..` is "
        "open): 2024-01-31, 2024-01-01T00:00:00Z/.., ../2024-06-30T00:00:00Z.",
    ),
]
FilterQuery = Annotated[
    str | None,
    Query(
        alias="filter",
        description="A CQL2 filter over the queryables, e.g. `status = 'out' AND wattage > 50`, "
        "`S_INTERSECTS(geometry, BBOX(114.80,-3.46,114.85,-3.42))`. Property equality also "
        "works as parameters: `status=out&kecamatan_code=63.72.04`.",
        examples=["status = 'out'"],
    ),
]
FilterLangQuery = Annotated[
    str | None,
    Query(
        alias="filter-lang",
        description="The filter's language: cql2-text (default) or cql2-json.",
        json_schema_extra={"enum": ["cql2-text", "cql2-json"]},
    ),
]
BBoxCrsQuery = Annotated[
    Literal["http://www.opengis.net/def/crs/OGC/1.3/CRS84"] | None,
    Query(alias="bbox-crs", description="The bbox's CRS: CRS84 (lon/lat) only."),
]
FeaturePath = Annotated[
    str, Path(description="The feature's id (or its code).", examples=["1"], max_length=200)
]
ITEM_PROBLEMS = problems(400, 401, 403, 404)


def _time_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@router.get(
    "/collections/{collection_id}/items",
    summary="Read the features of a collection",
    operation_id="ogc_items",
    response_class=GeoJSONResponse,
    responses={
        **json_or_html(OgcFeatureCollection, "A page of features.", GEOJSON),
        **ITEM_PROBLEMS,
    },
)
def read_items(
    request: Request,
    collection_id: CollectionPath,
    engine: ReadEngineDep,
    account: ReaderDep,
    f: FormatQuery = None,
    lang: LangQuery = "id",
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
    bbox: BBoxQuery = None,
    datetime_: DatetimeQuery = None,
    filter_: FilterQuery = None,
    filter_lang: FilterLangQuery = None,
    bbox_crs: BBoxCrsQuery = None,
) -> Response:
    """A page of features matching bbox, datetime, property equality and the CQL2 filter."""
    collection = readable(collection_id, account)
    params = {name: request.query_params.getlist(name) for name in request.query_params}
    query = items_query(collection, params, limit=limit, offset=offset)
    with read_connection(engine) as connection:
        page = list_features(connection=connection, resource=collection.resource, query=query)
    html = docs.wants_html(request, f)
    here = f"{docs.base_url(request)}/ogc/collections/{collection.id}"
    head: dict[str, Any] = {
        "type": "FeatureCollection",
        **({} if page.matched is None else {"numberMatched": page.matched}),
        "numberReturned": page.returned,
        "timeStamp": _time_stamp(),
        "links": [
            *page_links(request, page, query.limit, query.offset, docs.HTML if html else GEOJSON),
            docs.alternate_link(request, html),
            docs.link(here, "collection", docs.JSON),
        ],
    }
    if html:
        document = head | {"features": json.loads(page.features)}
        title = f"{collection.title.text(lang)}: {docs.html.WORDS[lang]['items']}"
        columns = docs.html.item_columns(document["features"])
        # Where numberMatched is left out the page says "more than" the cap, in the reader's digits.
        cap = f"{query.count_cap or 0:,}".replace(",", "." if lang == "id" else ",")
        return docs.page(
            request,
            "items.html",
            title,
            document,
            lang,
            columns=columns,
            collection=collection.id,
            count_cap=cap,
        )
    return GeoJSONResponse(envelope(head, "features", page.features))


def _check_base(connection: Connection, collection: Collection, key: str) -> None:
    """NotFound when the row named by `key` is not one of the collection's (work orders)."""
    if collection.base is None:
        return
    resource = collection.resource
    joined = resource.joined()
    found = connection.execute(
        select(resource.table.c.id)
        .select_from(joined.from_clause)
        .where(key_clause(resource, key), collection.base(joined))
    ).first()
    if found is None:
        raise NotFound(f"There is no {collection.id} item {key!r}.")


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    summary="Read one feature",
    operation_id="ogc_item",
    response_class=GeoJSONResponse,
    responses={**json_or_html(OgcFeature, "The feature.", GEOJSON), **ITEM_PROBLEMS},
)
def read_item(
    request: Request,
    collection_id: CollectionPath,
    feature_id: FeaturePath,
    engine: ReadEngineDep,
    account: ReaderDep,
    f: FormatQuery = None,
    lang: LangQuery = "id",
) -> Response:
    """One feature by id (or code), with links to its collection."""
    collection = readable(collection_id, account)
    with read_connection(engine) as connection:
        _check_base(connection, collection, feature_id)
        _, feature = read_feature(
            connection=connection, resource=collection.resource, key=feature_id
        )
    here = f"{docs.base_url(request)}/ogc/collections/{collection.id}"
    links = [
        *docs.self_links(request, docs.wants_html(request, f), GEOJSON),
        docs.link(here, "collection", docs.JSON),
    ]
    if docs.wants_html(request, f):
        document = json.loads(feature)
        title = f"{collection.title.text(lang)} {document['id']}"
        geometry = docs.html.geometry_text(document)
        return docs.page(request, "item.html", title, document, lang, geometry=geometry)
    links_text = json.dumps(links, ensure_ascii=False, separators=(",", ":"))
    return GeoJSONResponse(f'{feature[:-1]},"links":{links_text}}}')
