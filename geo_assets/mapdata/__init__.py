"""What the maps need, read from PostGIS into GeoDataFrames (EPSG:4326).

Every function takes an engine and returns a GeoDataFrame with a `geometry` column; the map
builders in `maps/` draw them. This package never imports Folium.
"""

from geo_assets.mapdata.aggregates import (
    find_lamps,
    lamp_status_counts,
    read_kelurahan_status_counts,
)
from geo_assets.mapdata.areas import read_kecamatan, read_kelurahan, read_roads
from geo_assets.mapdata.cemeteries import (
    read_access_roads,
    read_blocks,
    read_cemeteries,
    read_plots,
    read_prayer_rooms,
)
from geo_assets.mapdata.lamps import read_lamps, read_lamps_near_cemeteries
from geo_assets.mapdata.version import MAP_TABLES, data_version

__all__ = [
    "MAP_TABLES",
    "data_version",
    "find_lamps",
    "lamp_status_counts",
    "read_access_roads",
    "read_blocks",
    "read_cemeteries",
    "read_kecamatan",
    "read_kelurahan",
    "read_kelurahan_status_counts",
    "read_lamps",
    "read_lamps_near_cemeteries",
    "read_plots",
    "read_prayer_rooms",
    "read_roads",
]
