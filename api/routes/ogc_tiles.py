"""OGC API – Tiles: vector tiles of every collection with a geometry, and the own-data basemap.

`/ogc/tileMatrixSets` (WebMercatorQuad), per collection `/ogc/collections/{id}/tiles` (tilesets
list), `.../tiles/WebMercatorQuad` (tileset), `.../tilejson.json` (TileJSON 3.0.0) and the
tiles; `/ogc/tiles/...` the same for the basemap (kecamatan, kelurahan, roads). A tile answers
with an ETag from the data version and is revalidated on every use (If-None-Match → 304), so a
changed lamp status shows on the next fetch.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse, Response

from api.dependencies import ReadEngineDep, read_connection
from api.openapi import problems
from api.security import ReaderDep
from geo_assets.errors import NotFound
from geo_assets.tiles import documents
from geo_assets.tiles.cache import TileCache
from geo_assets.tiles.layers import BASEMAP, LAYERS, Tileset, collection_tileset
from geo_assets.tiles.matrix import TMS_ID, TMS_URI, check_tile, tile_matrix_set
from geo_assets.tiles.mvt import render_tile
from geo_assets.tiles.versions import version_token

router = APIRouter(prefix="/ogc", tags=["ogc-tiles"])

MVT = documents.MVT
# Kept by browsers and proxies, but revalidated on every use: a cheap 304 while the data holds.
CACHE_CONTROL = "public, no-cache"
DOC_CACHE_CONTROL = "public, max-age=60"

CollectionId = Annotated[
    str,
    Path(description=f"A collection with vector tiles: {', '.join(LAYERS)}.", examples=["lamps"]),
]
TileMatrixSetId = Annotated[
    str, Path(description="The tile matrix set; only WebMercatorQuad.", examples=[TMS_ID])
]
TileMatrix = Annotated[int, Path(description="Zoom level (z).", examples=[14])]
TileRow = Annotated[int, Path(description="Tile row (y), from the top.", examples=[8248])]
TileCol = Annotated[int, Path(description="Tile column (x), from the left.", examples=[13123])]
IfNoneMatch = Annotated[str | None, Header(description="An ETag from an earlier answer.")]

TILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The Mapbox vector tile (one layer per collection).",
        "content": {MVT: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "ETag": {"description": "Changes when the data changes.", "schema": {"type": "string"}}
        },
    },
    204: {"description": "Nothing in this tile."},
    304: {"description": "The tile is unchanged since the ETag given in If-None-Match."},
    **problems(404),
}


def _json(body: dict[str, Any], media_type: str = "application/json") -> JSONResponse:
    return JSONResponse(body, media_type=media_type, headers={"Cache-Control": DOC_CACHE_CONTROL})


def _base_url(request: Request) -> str:
    return str(request.base_url)


def _check_matrix_set(tile_matrix_set_id: str) -> None:
    if tile_matrix_set_id != TMS_ID:
        raise NotFound(f"No tile matrix set {tile_matrix_set_id!r}: only {TMS_ID}.")


def _tile_cache(request: Request) -> TileCache:
    """The app's cache of hot tiles, made on first use."""
    state = request.app.state
    if getattr(state, "tile_cache", None) is None:
        state.tile_cache = TileCache()
    cache: TileCache = state.tile_cache
    return cache


def _tile(
    request: Request,
    engine: Any,
    tileset: Tileset,
    z: int,
    y: int,
    x: int,
    if_none_match: str | None,
) -> Response:
    check_tile(z, y, x, min_zoom=tileset.min_zoom, max_zoom=tileset.max_zoom)
    cache = _tile_cache(request)
    with read_connection(engine) as connection:
        token = version_token(connection, tileset.table_names)
        etag = f'"{token}"'
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
        if if_none_match and etag in [
            tag.strip().removeprefix("W/") for tag in if_none_match.split(",")
        ]:
            return Response(status_code=304, headers=headers)
        key = (tileset.id, z, y, x, token)
        tile = cache.get(key)
        if tile is None:
            tile = render_tile(connection, tileset, z, x, y)
            cache.put(key, tile)
    if not tile:
        return Response(status_code=204, headers=headers)
    return Response(tile, media_type=MVT, headers=headers)


def _bounds(engine: Any) -> documents.Bounds:
    with read_connection(engine) as connection:
        return documents.city_bounds(connection)


@router.get("/tileMatrixSets", summary="Tile matrix sets")
def read_tile_matrix_sets(request: Request, _: ReaderDep) -> JSONResponse:
    """The tile matrix sets tiles come in: WebMercatorQuad."""
    href = f"{_base_url(request)}ogc/tileMatrixSets/{TMS_ID}"
    return _json(
        {
            "tileMatrixSets": [
                {
                    "id": TMS_ID,
                    "title": "Google Maps Compatible for the World",
                    "uri": TMS_URI,
                    "links": [{"rel": "self", "href": href, "type": "application/json"}],
                }
            ]
        }
    )


@router.get(
    "/tileMatrixSets/{tileMatrixSetId}", summary="A tile matrix set", responses=problems(404)
)
def read_tile_matrix_set(tileMatrixSetId: TileMatrixSetId, _: ReaderDep) -> JSONResponse:  # noqa: N803
    """The OGC TMS 2.0 JSON definition of WebMercatorQuad."""
    _check_matrix_set(tileMatrixSetId)
    return _json(tile_matrix_set())


@router.get("/tiles", summary="Basemap tilesets")
def read_basemap_tilesets(request: Request, _: ReaderDep) -> JSONResponse:
    """The tilesets of the own-data basemap (kecamatan, kelurahan, roads)."""
    return _json(documents.tilesets_list(_base_url(request), BASEMAP))


@router.get("/tiles/{tileMatrixSetId}", summary="Basemap tileset", responses=problems(404))
def read_basemap_tileset(
    request: Request,
    engine: ReadEngineDep,
    tileMatrixSetId: TileMatrixSetId,
    _: ReaderDep,  # noqa: N803
) -> JSONResponse:
    """The basemap's tileset description: layers, limits, bounds and the tile template."""
    _check_matrix_set(tileMatrixSetId)
    return _json(documents.tileset_document(_base_url(request), BASEMAP, _bounds(engine)))


@router.get(
    "/tiles/{tileMatrixSetId}/tilejson.json", summary="Basemap TileJSON", responses=problems(404)
)
def read_basemap_tilejson(
    request: Request,
    engine: ReadEngineDep,
    tileMatrixSetId: TileMatrixSetId,
    _: ReaderDep,  # noqa: N803
) -> JSONResponse:
    """TileJSON 3.0.0 of the basemap, for MapLibre, Leaflet plugins and QGIS."""
    _check_matrix_set(tileMatrixSetId)
    return _json(documents.tilejson(_base_url(request), BASEMAP, _bounds(engine)))


@router.get(
    "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
    summary="Basemap tile",
    response_class=Response,
    responses=TILE_RESPONSES,
)
def read_basemap_tile(
    request: Request,
    engine: ReadEngineDep,
    tileMatrixSetId: TileMatrixSetId,  # noqa: N803
    tileMatrix: TileMatrix,  # noqa: N803
    tileRow: TileRow,  # noqa: N803
    tileCol: TileCol,  # noqa: N803
    _: ReaderDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A basemap tile: layers kecamatan, kelurahan and roads (204 when empty)."""
    _check_matrix_set(tileMatrixSetId)
    return _tile(request, engine, BASEMAP, tileMatrix, tileRow, tileCol, if_none_match)


@router.get(
    "/collections/{collectionId}/tiles", summary="Collection tilesets", responses=problems(404)
)
def read_collection_tilesets(
    request: Request, collectionId: CollectionId, _: ReaderDep
) -> JSONResponse:  # noqa: N803
    """The collection's vector tilesets: one, in WebMercatorQuad."""
    return _json(documents.tilesets_list(_base_url(request), collection_tileset(collectionId)))


@router.get(
    "/collections/{collectionId}/tiles/{tileMatrixSetId}",
    summary="Collection tileset",
    responses=problems(404),
)
def read_collection_tileset(
    request: Request,
    engine: ReadEngineDep,
    collectionId: CollectionId,  # noqa: N803
    tileMatrixSetId: TileMatrixSetId,  # noqa: N803
    _: ReaderDep,
) -> JSONResponse:
    """The collection's tileset description: its layer, limits, bounds and tile template."""
    tileset = collection_tileset(collectionId)
    _check_matrix_set(tileMatrixSetId)
    return _json(documents.tileset_document(_base_url(request), tileset, _bounds(engine)))


@router.get(
    "/collections/{collectionId}/tiles/{tileMatrixSetId}/tilejson.json",
    summary="Collection TileJSON",
    responses=problems(404),
)
def read_collection_tilejson(
    request: Request,
    engine: ReadEngineDep,
    collectionId: CollectionId,  # noqa: N803
    tileMatrixSetId: TileMatrixSetId,  # noqa: N803
    _: ReaderDep,
) -> JSONResponse:
    """TileJSON 3.0.0 of the collection's tiles."""
    tileset = collection_tileset(collectionId)
    _check_matrix_set(tileMatrixSetId)
    return _json(documents.tilejson(_base_url(request), tileset, _bounds(engine)))


@router.get(
    "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
    summary="Collection tile",
    response_class=Response,
    responses=TILE_RESPONSES,
)
def read_collection_tile(
    request: Request,
    engine: ReadEngineDep,
    collectionId: CollectionId,  # noqa: N803
    tileMatrixSetId: TileMatrixSetId,  # noqa: N803
    tileMatrix: TileMatrix,  # noqa: N803
    tileRow: TileRow,  # noqa: N803
    tileCol: TileCol,  # noqa: N803
    _: ReaderDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A vector tile of the collection, layer named after it (204 when empty)."""
    tileset = collection_tileset(collectionId)
    _check_matrix_set(tileMatrixSetId)
    return _tile(request, engine, tileset, tileMatrix, tileRow, tileCol, if_none_match)
