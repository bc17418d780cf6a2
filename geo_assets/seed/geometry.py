"""Geometry helpers of the seed: metric work in UTM 50S, storage as EWKT in lon/lat."""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo_assets.models.base import METRIC_SRID, SRID


@cache
def _forward() -> Transformer:
    return Transformer.from_crs(SRID, METRIC_SRID, always_xy=True)


@cache
def _inverse() -> Transformer:
    return Transformer.from_crs(METRIC_SRID, SRID, always_xy=True)


def lonlat_to_metric(coords: np.ndarray) -> np.ndarray:
    """(n, 2) lon/lat to (n, 2) UTM 50S metres."""
    x, y = _forward().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def metric_to_lonlat(coords: np.ndarray) -> np.ndarray:
    """(n, 2) UTM 50S metres to (n, 2) lon/lat."""
    lon, lat = _inverse().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def to_lonlat(geometries):  # noqa: ANN001, ANN201 - a geometry or an array of them
    """Metric geometries (UTM 50S) to lon/lat, coordinates transformed in one vectorised call."""
    return shapely.transform(geometries, metric_to_lonlat)


def to_metric(geometries):  # noqa: ANN001, ANN201 - a geometry or an array of them
    """Lon/lat geometries to UTM 50S metres."""
    return shapely.transform(geometries, lonlat_to_metric)


def ewkt(geometry: BaseGeometry) -> str:
    """EWKT in SRID 4326 at full precision, for COPY into a geometry column."""
    return f"SRID={SRID};{shapely.to_wkt(geometry, rounding_precision=-1)}"


def ewkt_all(geometries: np.ndarray) -> list[str]:
    """EWKT strings of many lon/lat geometries."""
    prefix = f"SRID={SRID};"
    return [prefix + wkt for wkt in shapely.to_wkt(geometries, rounding_precision=-1)]


def point_ewkt(lon: float, lat: float) -> str:
    """EWKT of one lon/lat point."""
    return f"SRID={SRID};POINT({float(lon)!r} {float(lat)!r})"
