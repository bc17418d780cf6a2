"""`/ogc`: OGC API – Features landing page, conformance, collections and queryables.

Every answer comes as JSON or as a plain HTML page (`f=json|html`, else the Accept header), in
Bahasa Indonesia unless `lang=en`. Items are in `api/ogc/items.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from api.dependencies import ReadEngineDep, read_connection
from api.ogc import documents as docs
from api.ogc.schemas import (
    CollectionInfo,
    CollectionList,
    ConformanceDeclaration,
    LandingPage,
    Queryables,
)
from api.openapi import problems
from api.security import ReaderDep, is_privileged
from geo_assets.auth import Account
from geo_assets.ogc.collections import (
    COLLECTIONS,
    Collection,
    collection_extent,
    find_collection,
    visible_collections,
)

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])

FormatQuery = Annotated[
    Literal["json", "html"] | None,
    Query(description="Answer format; without it the Accept header decides (JSON by default)."),
]
LangQuery = Annotated[
    Literal["id", "en"], Query(description="Language of titles and pages: id (default) or en.")
]
CollectionPath = Annotated[
    str,
    Path(
        description="The collection: "
        + ", ".join(c.id for c in COLLECTIONS if not c.staff_only)
        + " ("
        + ", ".join(c.id for c in COLLECTIONS if c.staff_only)
        + " for staff).",
        examples=["lamps"],
    ),
]


def json_or_html(
    model: type, description: str, media_type: str = docs.JSON
) -> dict[int | str, Any]:
    """`responses=` for an answer in JSON (documented by `model`) or HTML."""
    return {
        200: {
            "description": description,
            "model": model,
            "content": {media_type: {}, docs.HTML: {"schema": {"type": "string"}}},
        },
        **problems(400),
    }


def readable(collection_id: str, account: Account | None) -> Collection:
    """The collection, when this reader may see it (work orders: staff and admin only)."""
    collection = find_collection(collection_id)
    if collection.staff_only and not is_privileged(account):
        if account is None:
            raise HTTPException(
                401,
                f"{collection_id} is for staff: sign in at POST /api/v1/auth/token.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        raise HTTPException(403, f"{collection_id} is for staff and admin only.")
    return collection


def _engine_key(engine: Any) -> str:
    return engine.url.render_as_string(hide_password=True)


@router.get(
    "",
    summary="OGC API landing page",
    operation_id="ogc_landing_page",
    responses=json_or_html(LandingPage, "Links to everything this OGC API offers."),
)
def read_landing_page(
    request: Request, account: ReaderDep, f: FormatQuery = None, lang: LangQuery = "id"
) -> Response:
    """The landing page: links to the API description, conformance, collections and tiles."""
    html = docs.wants_html(request, f)
    document = docs.landing_page(request, html)
    return docs.answer(request, f, document, lang, "landing.html", document["title"])


@router.get(
    "/conformance",
    summary="Conformance classes",
    operation_id="ogc_conformance",
    responses=json_or_html(ConformanceDeclaration, "The conformance classes implemented."),
)
def read_conformance(
    request: Request, account: ReaderDep, f: FormatQuery = None, lang: LangQuery = "id"
) -> Response:
    """The OGC conformance classes this server implements."""
    document = {"conformsTo": list(docs.conformance_classes())}
    title = docs.html.WORDS[lang]["conformance"]
    return docs.answer(request, f, document, lang, "conformance.html", title)


@router.get(
    "/collections",
    summary="List the collections",
    operation_id="ogc_collections",
    responses=json_or_html(CollectionList, "The collections you may read."),
)
def read_collections(
    request: Request,
    engine: ReadEngineDep,
    account: ReaderDep,
    f: FormatQuery = None,
    lang: LangQuery = "id",
) -> Response:
    """Every collection this reader may see, with extents and links."""
    html = docs.wants_html(request, f)
    with read_connection(engine) as connection:
        found = [
            docs.collection_document(
                request, c, collection_extent(connection, c, _engine_key(engine)), lang
            )
            for c in visible_collections(staff=is_privileged(account))
        ]
    document = {"links": docs.self_links(request, html), "collections": found}
    title = docs.html.WORDS[lang]["collections"]
    return docs.answer(request, f, document, lang, "collections.html", title)


@router.get(
    "/collections/{collection_id}",
    summary="Describe a collection",
    operation_id="ogc_collection",
    responses={**json_or_html(CollectionInfo, "The collection."), **problems(401, 403, 404)},
)
def read_collection(
    request: Request,
    collection_id: CollectionPath,
    engine: ReadEngineDep,
    account: ReaderDep,
    f: FormatQuery = None,
    lang: LangQuery = "id",
) -> Response:
    """One collection: title, description, extent, CRS and links to items and queryables."""
    collection = readable(collection_id, account)
    with read_connection(engine) as connection:
        extent = collection_extent(connection, collection, _engine_key(engine))
    document = docs.collection_document(request, collection, extent, lang)
    return docs.answer(request, f, document, lang, "collection.html", document["title"])


@router.get(
    "/collections/{collection_id}/queryables",
    summary="The queryable properties of a collection",
    operation_id="ogc_queryables",
    responses={
        **json_or_html(Queryables, "A JSON Schema of the queryables.", docs.SCHEMA_JSON),
        **problems(401, 403, 404),
    },
)
def read_queryables(
    request: Request,
    collection_id: CollectionPath,
    account: ReaderDep,
    f: FormatQuery = None,
    lang: LangQuery = "id",
) -> Response:
    """The properties `filter` and `name=value` parameters may use, as a JSON Schema."""
    collection = readable(collection_id, account)
    document = docs.queryables_document(request, collection, lang)
    title = f"{docs.html.WORDS[lang]['queryables']}: {document['title']}"
    return docs.answer(
        request, f, document, lang, "queryables.html", title, media_type=docs.SCHEMA_JSON
    )
