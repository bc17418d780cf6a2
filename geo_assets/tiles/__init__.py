"""OGC API – Tiles: Mapbox vector tiles of the collections and of the own-data basemap.

`layers` says which collections have tiles (from the registry), `mvt` builds a tile in PostGIS,
`matrix` is the WebMercatorQuad tile matrix set, `documents` the tileset and TileJSON
documents, `versions` the data versions tiles take their ETag from, `cache` the hot tiles.
"""

from __future__ import annotations

# The conformance classes of OGC API – Tiles 1.0 and OGC 2D TMS 2.0 implemented here.
TILES_CONFORMANCE: tuple[str, ...] = (
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
)
