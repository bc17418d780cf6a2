"""The JSON documents of OGC API – Tiles (tilesets list, tileset) and TileJSON 3.0.0.

They are built from a tileset, the API's base URL and the data's bounds; the routes only ask
the database for the bounds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from geo_assets import tables
from geo_assets.tiles.layers import TileLayer, Tileset
from geo_assets.tiles.matrix import CRS_84, CRS_3857, TMS_ID, TMS_URI, tile_matrix_set

MVT = "application/vnd.mapbox-vector-tile"
JSON = "application/json"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_GEODATA = "http://www.opengis.net/def/rel/ogc/1.0/geodata"
WORLD = (-180.0, -85.0511287798066, 180.0, 85.0511287798066)
# What a TileJSON field says a property holds, by the registry's column kind.
FIELD_TYPES = {"integer": "Number", "number": "Number", "boolean": "Boolean"}
Bounds = tuple[float, float, float, float]


def city_bounds(connection: Connection) -> Bounds:
    """The city's bounds in longitude/latitude (its kecamatan), or the world when there are none."""
    box = func.ST_Extent(tables.KECAMATAN.c.geom)
    row = connection.execute(
        select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))
    ).one()
    return WORLD if row[0] is None else (row[0], row[1], row[2], row[3])


def tileset_path(tileset: Tileset) -> str:
    """The path of the tileset's tiles, below the API's base URL."""
    if tileset.dataset:
        return "ogc/tiles"
    return f"ogc/collections/{tileset.id}/tiles"


def tile_template(base_url: str, tileset: Tileset) -> str:
    """The URL template of the tileset's tiles (`{z}/{y}/{x}` = tileMatrix/tileRow/tileCol)."""
    return f"{base_url}{tileset_path(tileset)}/{TMS_ID}/{{z}}/{{y}}/{{x}}"


def _ogc_template(base_url: str, tileset: Tileset) -> str:
    return f"{base_url}{tileset_path(tileset)}/{TMS_ID}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"


def _fields(layer: TileLayer) -> dict[str, str]:
    fields = {"id": "Number"}
    for name in layer.columns:
        column = layer.entity.column(name)
        fields[name] = FIELD_TYPES.get(column.kind, "String")
    if layer.merge_below is not None:
        fields["count"] = "Number"  # points merged in one pixel cell below `merge_below`
    return fields


def _property_schema(layer: TileLayer) -> dict[str, dict[str, str]]:
    schema = {"id": {"type": "integer", "title": "id"}}
    for name in layer.columns:
        column = layer.entity.column(name)
        kind = {"integer": "integer", "number": "number"}.get(column.kind, "string")
        schema[name] = {"type": kind, "title": column.label.id if column.label else name}
    if layer.merge_below is not None:
        schema["count"] = {
            "type": "integer",
            "title": "Jumlah",
            "description": f"Below zoom {layer.merge_below}: points merged in one pixel cell "
            "(the other properties then hold for one point only; status is the worst).",
        }
    return schema


def tileset_summary(base_url: str, tileset: Tileset) -> dict[str, Any]:
    """The tileset as one entry of a tilesets list."""
    base = f"{base_url}{tileset_path(tileset)}/{TMS_ID}"
    return {
        "title": tileset.title,
        "dataType": "vector",
        "crs": CRS_3857,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            {"rel": "self", "href": base, "type": JSON, "title": "Tileset"},
            {
                "rel": REL_TILING_SCHEME,
                "href": f"{base_url}ogc/tileMatrixSets/{TMS_ID}",
                "type": JSON,
                "title": "WebMercatorQuad",
            },
            {
                "rel": "item",
                "href": _ogc_template(base_url, tileset),
                "type": MVT,
                "templated": True,
            },
        ],
    }


def tilesets_list(base_url: str, tileset: Tileset) -> dict[str, Any]:
    """The tilesets list of a collection (or of the basemap): one tileset, WebMercatorQuad."""
    return {
        "links": [{"rel": "self", "href": f"{base_url}{tileset_path(tileset)}", "type": JSON}],
        "tilesets": [tileset_summary(base_url, tileset)],
    }


def tileset_document(base_url: str, tileset: Tileset, bounds: Bounds) -> dict[str, Any]:
    """The tileset description: limits, layers with their properties, bounds and links."""
    document = tileset_summary(base_url, tileset)
    base = f"{base_url}{tileset_path(tileset)}/{TMS_ID}"
    document["links"].append(
        {"rel": "describedby", "href": f"{base}/tilejson.json", "type": JSON, "title": "TileJSON"}
    )
    if not tileset.dataset:
        document["links"].append(
            {"rel": REL_GEODATA, "href": f"{base_url}ogc/collections/{tileset.id}", "type": JSON}
        )
    matrices = tile_matrix_set()["tileMatrices"]
    document["tileMatrixSetLimits"] = [
        {
            "tileMatrix": str(z),
            "minTileRow": 0,
            "maxTileRow": matrices[z]["matrixHeight"] - 1,
            "minTileCol": 0,
            "maxTileCol": matrices[z]["matrixWidth"] - 1,
        }
        for z in range(tileset.min_zoom, tileset.max_zoom + 1)
    ]
    document["boundingBox"] = {
        "lowerLeft": list(bounds[:2]),
        "upperRight": list(bounds[2:]),
        "crs": CRS_84,
    }
    document["centerPoint"] = {"coordinates": list(_center(bounds)), "crs": CRS_84}
    document["layers"] = [
        {
            "id": layer.id,
            "title": layer.entity.label.id,
            "dataType": "vector",
            "geometryDimension": _dimension(layer),
            "minTileMatrix": str(layer.min_zoom),
            "maxTileMatrix": str(min(layer.max_zoom, tileset.max_zoom)),
            "propertiesSchema": {
                "type": "object",
                "properties": _property_schema(layer),
            },
        }
        for layer in tileset.layers
    ]
    return document


def _dimension(layer: TileLayer) -> int:
    geometry = layer.entity.geometry_type or ""
    return {"Point": 0, "LineString": 1}.get(geometry, 2)


def _center(bounds: Bounds) -> tuple[float, float]:
    return (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2


def tilejson(base_url: str, tileset: Tileset, bounds: Bounds) -> dict[str, Any]:
    """TileJSON 3.0.0 of the tileset."""
    lon, lat = _center(bounds)
    return {
        "tilejson": "3.0.0",
        "name": tileset.id,
        "description": tileset.title,
        "version": "1.0.0",
        "scheme": "xyz",
        "tiles": [tile_template(base_url, tileset)],
        "minzoom": tileset.min_zoom,
        "maxzoom": tileset.max_zoom,
        "bounds": list(bounds),
        "center": [lon, lat, max(tileset.min_zoom, 12)],
        "vector_layers": [
            {
                "id": layer.id,
                "description": layer.entity.label.en,
                "minzoom": layer.min_zoom,
                "maxzoom": min(layer.max_zoom, tileset.max_zoom),
                "fields": _fields(layer),
            }
            for layer in tileset.layers
        ],
    }
