"""Helpers for import/export tests: write small files in each format, count rows."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from sqlalchemy import Engine, text


def count(engine: Engine, table: str) -> int:
    """Rows in `table` (a name from the test itself)."""
    with engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()


def feature(geometry: dict | None, **properties: object) -> dict:
    """A GeoJSON feature."""
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point(lon: float, lat: float) -> dict:
    """A GeoJSON point."""
    return {"type": "Point", "coordinates": [lon, lat]}


def write_geojson(path: Path, features: list[dict], **extra: object) -> Path:
    """A FeatureCollection file."""
    path.write_text(json.dumps({"type": "FeatureCollection", **extra, "features": features}))
    return path


def write_ogr(
    path: Path,
    rows: list[dict],
    wkts: list[str],
    *,
    crs: str = "EPSG:4326",
    driver: str | None = None,
    layer: str | None = None,
) -> Path:
    """A GeoPackage or Shapefile with these attribute rows and WKT geometries."""
    frame = gpd.GeoDataFrame(rows, geometry=shapely.from_wkt(wkts), crs=crs)
    pyogrio.write_dataframe(frame, path, driver=driver, layer=layer)
    return path
