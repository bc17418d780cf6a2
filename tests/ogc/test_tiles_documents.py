"""OGC API – Tiles documents: the tile matrix set, tilesets, TileJSON, and bad tile requests."""

from __future__ import annotations

import re

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geo_assets.tiles import TILES_CONFORMANCE
from geo_assets.tiles.matrix import tile_of
from tests.ogc.tiles_city import build_tiles_city

TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
MVT = "application/vnd.mapbox-vector-tile"
LINK = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {"href": {"type": "string"}, "rel": {"type": "string"}},
}
# What OGC 2D TMS 2.0 (tileMatrixSet.json) requires of a tile matrix set.
TMS_SCHEMA = {
    "type": "object",
    "required": ["crs", "tileMatrices"],
    "properties": {
        "tileMatrices": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "scaleDenominator",
                    "cellSize",
                    "pointOfOrigin",
                    "tileWidth",
                    "tileHeight",
                    "matrixWidth",
                    "matrixHeight",
                ],
            },
        }
    },
}
# What OGC 2D TMS 2.0 (tileSet.json) requires of a tileset description.
TILESET_SCHEMA = {
    "type": "object",
    "required": ["dataType", "crs", "links"],
    "properties": {
        "dataType": {"enum": ["map", "vector", "coverage"]},
        "links": {"type": "array", "items": LINK},
        "tileMatrixSetLimits": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tileMatrix", "minTileRow", "maxTileRow", "minTileCol", "maxTileCol"],
            },
        },
    },
}
# What TileJSON 3.0.0 requires: tilejson, tiles, and for vector tiles vector_layers.
TILEJSON_SCHEMA = {
    "type": "object",
    "required": ["tilejson", "tiles", "vector_layers"],
    "properties": {
        "tilejson": {"const": "3.0.0"},
        "tiles": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "minzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "maxzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "bounds": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "center": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
        "vector_layers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "fields"],
                "properties": {"fields": {"type": "object"}},
            },
        },
    },
}


@pytest.fixture
def city_url(engine: Engine, db_url: str) -> str:
    """This test's database, holding the small tiles city."""
    build_tiles_city(engine)
    return db_url


def test_tile_matrix_set_is_webmercatorquad(client: TestClient) -> None:
    """/ogc/tileMatrixSets lists WebMercatorQuad, whose document is OGC TMS 2.0 JSON."""
    listed = client.get("/ogc/tileMatrixSets").json()["tileMatrixSets"]
    assert [tms["id"] for tms in listed] == ["WebMercatorQuad"]
    tms = client.get(listed[0]["links"][0]["href"]).json()
    jsonschema.validate(tms, TMS_SCHEMA)
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    zero, twelve = tms["tileMatrices"][0], tms["tileMatrices"][12]
    assert zero["scaleDenominator"] == pytest.approx(559082264.0287178)
    assert zero["cellSize"] == pytest.approx(156543.03392804097)
    assert twelve["matrixWidth"] == twelve["matrixHeight"] == 4096


def _link(document: dict, rel: str) -> dict:
    return next(link for link in document["links"] if link["rel"] == rel)


@pytest.mark.parametrize("base", ["/ogc/collections/lamps/tiles", "/ogc/tiles"])
def test_tilesets_lead_to_a_tileset_whose_template_gives_tiles(
    client: TestClient, base: str
) -> None:
    """Tilesets list → tileset (links self, tiling-scheme, templated item) → a real tile."""
    listed = client.get(base).json()["tilesets"]
    assert len(listed) == 1
    tileset = client.get(_link(listed[0], "self")["href"]).json()
    jsonschema.validate(tileset, TILESET_SCHEMA)
    assert tileset["dataType"] == "vector"
    assert _link(tileset, TILING_SCHEME)["href"].endswith("/ogc/tileMatrixSets/WebMercatorQuad")
    item = _link(tileset, "item")
    assert item["type"] == MVT and item["templated"] is True
    assert "{tileMatrix}/{tileRow}/{tileCol}" in item["href"]
    x, y = tile_of(14, 114.83, -3.44)
    url = item["href"].format(tileMatrix=14, tileRow=y, tileCol=x)
    assert client.get(url).headers["content-type"] == MVT
    assert client.get(_link(tileset, "describedby")["href"]).json()["tilejson"] == "3.0.0"


@pytest.mark.parametrize(
    ("url", "layers"),
    [
        ("/ogc/collections/lamps/tiles/WebMercatorQuad/tilejson.json", ["lamps"]),
        ("/ogc/tiles/WebMercatorQuad/tilejson.json", ["kecamatan", "kelurahan", "roads"]),
    ],
)
def test_tilejson_describes_template_zooms_bounds_and_fields(
    client: TestClient, url: str, layers: list[str]
) -> None:
    """TileJSON 3.0.0: a z/x/y template, zooms, the city's bounds and each layer's fields."""
    document = client.get(url).json()
    jsonschema.validate(document, TILEJSON_SCHEMA)
    assert re.search(r"/\{z\}/\{y\}/\{x\}$", document["tiles"][0])
    assert document["minzoom"] <= document["center"][2] <= document["maxzoom"]
    assert document["bounds"] == pytest.approx([114.80, -3.46, 114.86, -3.42])
    assert [layer["id"] for layer in document["vector_layers"]] == layers
    if layers == ["lamps"]:
        fields = document["vector_layers"][0]["fields"]
        assert {"id", "code", "status", "lamp_type", "wattage", "count"} == set(fields)


BAD_URLS = (
    "/ogc/collections/nope/tiles",
    "/ogc/collections/interments/tiles/WebMercatorQuad/16/33396/53666",
    "/ogc/collections/work-orders/tiles/WebMercatorQuad/16/33396/53666",
    "/ogc/collections/lamps/tiles/WorldCRS84Quad/16/33396/53666",
    "/ogc/collections/lamps/tiles/WebMercatorQuad/25/0/0",
    "/ogc/collections/lamps/tiles/WebMercatorQuad/16/65536/0",
    "/ogc/collections/lamps/tiles/WebMercatorQuad/16/0/-1",
    "/ogc/collections/lamps/tiles/WebMercatorQuad/3/0/0",
    "/ogc/tiles/WebMercatorQuad/99999999999999999999/0/0",
    "/ogc/tileMatrixSets/NZTM2000Quad",
    "/ogc/collections/lamps/tiles/WebMercatorQuad/z/y/x",
)


def test_bad_tile_requests_answer_problems(client: TestClient) -> None:
    """Unknown collections or matrix sets and tiles outside the limits: 4xx problem+json."""
    for url in BAD_URLS:
        response = client.get(url)
        assert response.status_code in (400, 404, 422), url
        assert response.headers["content-type"] == "application/problem+json", url
        assert response.json()["detail"], url


def test_conformance_names_every_tiles_class_implemented() -> None:
    """TILES_CONFORMANCE declares core, tileset, tilesets-list, geodata, dataset and mvt."""
    tiles = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
    for name in ("core", "tileset", "tilesets-list", "geodata-tilesets", "dataset-tilesets", "mvt"):
        assert tiles + name in TILES_CONFORMANCE
