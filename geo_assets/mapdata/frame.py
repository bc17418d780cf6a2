"""Run a SELECT into a GeoDataFrame: the one place where query results become frames."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from sqlalchemy import ColumnElement, Engine, Select, func
from sqlalchemy.orm import QueryableAttribute

from geo_assets.models import SRID


def wkb(
    geom: ColumnElement[Any] | QueryableAttribute[Any], name: str = "geometry"
) -> ColumnElement[bytes]:
    """A geometry column as WKB bytes, which GeoPandas decodes directly."""
    return func.ST_AsBinary(geom).label(name)


def read_frame(engine: Engine, query: Select) -> gpd.GeoDataFrame:
    """The rows of `query` (with a WKB `geometry` column) as a GeoDataFrame in EPSG:4326."""
    with engine.connect() as connection:
        frame = gpd.read_postgis(query, connection, geom_col="geometry", crs=SRID)
    return frame
