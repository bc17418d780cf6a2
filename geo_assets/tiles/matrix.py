"""The WebMercatorQuad tile matrix set (OGC 2D TMS 2.0): its JSON document and tile checks."""

from __future__ import annotations

import math
from typing import Any

from geo_assets.errors import NotFound

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
CRS_84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MAX_ZOOM = 24  # the deepest tile matrix of the set
HALF_WORLD = 20037508.3427892  # metres from the origin to the edge of the square world
TILE_SIZE = 256
# OGC's standardized rendering pixel of 0.28 mm: cell size = scale denominator x 0.00028.
PIXEL_SIZE_M = 0.00028


def tile_matrix(zoom: int) -> dict[str, Any]:
    """The tile matrix `zoom` of WebMercatorQuad."""
    cell_size = 2 * HALF_WORLD / TILE_SIZE / 2**zoom
    return {
        "id": str(zoom),
        "scaleDenominator": cell_size / PIXEL_SIZE_M,
        "cellSize": cell_size,
        "cornerOfOrigin": "topLeft",
        "pointOfOrigin": [-HALF_WORLD, HALF_WORLD],
        "tileWidth": TILE_SIZE,
        "tileHeight": TILE_SIZE,
        "matrixWidth": 2**zoom,
        "matrixHeight": 2**zoom,
    }


def tile_matrix_set() -> dict[str, Any]:
    """The OGC TMS 2.0 JSON document of WebMercatorQuad."""
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": CRS_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [tile_matrix(zoom) for zoom in range(MAX_ZOOM + 1)],
    }


def check_tile(z: int, y: int, x: int, *, min_zoom: int = 0, max_zoom: int = MAX_ZOOM) -> None:
    """Raise NotFound unless (z, y, x) is a tile of the set within the zoom limits."""
    if not min_zoom <= z <= max_zoom:
        raise NotFound(
            f"No tile matrix {z} here: tiles go from {min_zoom} to {max_zoom} "
            "(tileMatrix in /{tileMatrix}/{tileRow}/{tileCol})."
        )
    size = 2**z
    if not (0 <= y < size and 0 <= x < size):
        raise NotFound(
            f"Tile row {y} / column {x} is outside tile matrix {z}: both go from 0 to {size - 1}."
        )


def lon_lat(z: int, x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude of the tile corner (x, y) of matrix z (fractions allowed)."""
    lon = x / 2**z * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**z))))
    return lon, lat


def tile_of(z: int, lon: float, lat: float) -> tuple[int, int]:
    """The (x, y) of the tile of matrix z holding the point (lon, lat)."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    lat_rad = math.radians(lat)
    y = int((1 - math.asinh(math.tan(lat_rad)) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)
