"""Geometry checks for imported rows: present, of the right type, valid, and inside the city.

All checks are vectorised with Shapely 2; only the refused rows are looked at one by one, to
say what is wrong with them.
"""

from __future__ import annotations

import re

import numpy as np
import shapely
from shapely import Geometry

from geo_assets.io.validation import Problems

GEOMETRY_FIELD = "geometry"
_REASON = re.compile(r"^(?P<what>.*?)\[(?P<x>\S+) (?P<y>\S+)\]$")
_SINGLE_OF = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
_TYPE_NAMES = np.array(
    [
        "Point",
        "LineString",
        "LinearRing",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
    ],
    dtype=object,
)


def check_geometries(
    geometry: np.ndarray,
    expected: str,
    area: Geometry,
    area_text: str,
    problems: Problems,
    *,
    reported: np.ndarray | None = None,
    field_name: str = GEOMETRY_FIELD,
) -> np.ndarray:
    """Checked geometries in EPSG:4326, 2D, single-part (None where refused).

    `reported` marks rows whose coordinates were already found wrong while reading.
    """
    geometry = np.asarray(geometry, dtype=object).copy()
    missing = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    if reported is None:
        reported = np.zeros(len(geometry), dtype=bool)
    for index in np.flatnonzero(missing & ~reported):
        problems.add(int(index), field_name, "has no geometry", f"a {expected}")
    geometry[missing] = None
    geometry = _single_parts(geometry)
    if shapely.has_z(geometry).any():
        geometry = shapely.force_2d(geometry)
    _check_type(geometry, expected, problems, field_name)
    _check_valid(geometry, problems, field_name)
    _check_inside(geometry, area, area_text, problems, field_name)
    geometry[problems.bad] = None
    return geometry


def _single_parts(geometry: np.ndarray) -> np.ndarray:
    """A multi-geometry of one part (common in Shapefiles and GeoPackages) as that part."""
    kinds = shapely.get_type_id(geometry)
    multi = np.isin(kinds, (4, 5, 6)) & (shapely.get_num_geometries(geometry) == 1)
    geometry[multi] = shapely.get_geometry(geometry[multi], 0)
    return geometry


def _check_type(geometry: np.ndarray, expected: str, problems: Problems, field_name: str) -> None:
    present = ~shapely.is_missing(geometry)
    names = _TYPE_NAMES[np.maximum(shapely.get_type_id(geometry), 0)]
    for index in np.flatnonzero(present & (names != expected)):
        found = names[index]
        parts = shapely.get_num_geometries(geometry[index])
        hint = (
            f" of {parts} parts; split it into one row per part"
            if _SINGLE_OF.get(found) == expected
            else ""
        )
        problems.add(int(index), field_name, f"is a {found}{hint}", f"a {expected}")
        geometry[index] = None


def _check_valid(geometry: np.ndarray, problems: Problems, field_name: str) -> None:
    present = ~shapely.is_missing(geometry)
    valid = np.ones(len(geometry), dtype=bool)
    valid[present] = shapely.is_valid(geometry[present])
    for index in np.flatnonzero(~valid):
        problems.add(
            int(index),
            field_name,
            _invalid_reason(geometry[index]),
            "a valid geometry (no self-intersections, closed rings, at least "
            "2 points per line, 4 per ring)",
        )
        geometry[index] = None


def _invalid_reason(geom: Geometry) -> str:
    """`Self-intersection[114.8 -3.44]` → `invalid geometry: self-intersection at 114.8, -3.44`."""
    reason = shapely.is_valid_reason(geom)
    match = _REASON.match(reason)
    if not match:
        return f"invalid geometry: {reason.lower()}"
    x, y = float(match["x"]), float(match["y"])
    return f"invalid geometry: {match['what'].lower()} at {x:.6f}, {y:.6f}"


def _check_inside(
    geometry: np.ndarray, area: Geometry, area_text: str, problems: Problems, field_name: str
) -> None:
    """Points inside the area; lines and polygons at least touching it. Catches swaps and CRSs."""
    present = np.flatnonzero(~shapely.is_missing(geometry))
    if not len(present):
        return
    shapely.prepare(area)
    inside = _inside(area, geometry[present])
    for index in present[~inside]:
        geom = geometry[index]
        x, y = shapely.get_coordinates(geom)[0]
        where = f"{x:.6f}, {y:.6f}"
        if _inside(area, np.array([_swapped(geom)]))[0]:
            problems.add(
                int(index),
                field_name,
                "coordinates look swapped (lat/lon)",
                "lon first (east, about 114.7 to 114.9), then lat (about -3.4 to -3.6)",
                where,
            )
        elif abs(x) > 180 or abs(y) > 90:
            problems.add(
                int(index),
                field_name,
                "coordinates are not degrees; the file's coordinate system is missing or wrong",
                "lon/lat in EPSG:4326, or a file that names its coordinate system (e.g. a .prj)",
                where,
            )
        else:
            problems.add(int(index), field_name, "lies outside Banjarbaru", area_text, where)
        geometry[index] = None


def _inside(area: Geometry, geometry: np.ndarray) -> np.ndarray:
    points = shapely.get_type_id(geometry) == 0
    result = np.empty(len(geometry), dtype=bool)
    result[points] = shapely.covers(area, geometry[points])
    result[~points] = shapely.intersects(area, geometry[~points])
    return result


def _swapped(geom: Geometry) -> Geometry:
    return shapely.transform(geom, lambda coords: coords[:, ::-1])
