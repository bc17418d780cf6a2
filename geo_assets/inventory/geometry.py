"""GeoJSON geometries from clients: well-formed, valid, of the right type, and in Banjarbaru."""

from __future__ import annotations

import math
from typing import Any

import shapely
from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import Connection, exists, func, select

from geo_assets import tables
from geo_assets.errors import InvalidInput
from geo_assets.models import SRID

# The whole city lies within this box (SPEC §4): west, south, east, north.
CITY_BBOX = (114.675, -3.569, 114.908, -3.377)
# Boundaries drawn by hand may stray a little past the box.
BBOX_MARGIN_DEG = 0.01
GEOJSON_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _position_message(where: str, lon: float, lat: float) -> str:
    west, south, east, north = CITY_BBOX
    if west <= lat <= east and south <= lon <= north:
        return (
            f"The coordinates look swapped: {where} [{lon}, {lat}] is not a position, but "
            f"[{lat}, {lon}] is in Banjarbaru. GeoJSON positions are [longitude, latitude]."
        )
    return (
        f"Invalid GeoJSON: {where} [{lon}, {lat}] is not a lon/lat position "
        "(longitude -180..180, latitude -90..90, in that order)."
    )


# How deeply positions are nested in each type's `coordinates`.
NESTING = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
SHAPES = {
    0: "[lon, lat]",
    1: "[[lon, lat], ...]",
    2: "[[[lon, lat], ...], ...]",
    3: "[[[[lon, lat], ...], ...], ...]",
}


def _check_nesting(kind: str, coordinates: Any) -> None:
    """The coordinates of `kind` are nested as RFC 7946 says (a Point is one position)."""
    depth, value = 0, coordinates
    while isinstance(value, list) and value and isinstance(value[0], list):
        depth, value = depth + 1, value[0]
    expected = NESTING.get(kind)
    if expected is not None and depth != expected:
        raise InvalidInput(
            f"Invalid GeoJSON: the coordinates of a {kind} are nested as {SHAPES[expected]}."
        )


def _check_coordinates(value: Any, where: str = "coordinates") -> None:
    """Every position is 2 or 3 finite numbers with lon in ±180 and lat in ±90."""
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"Invalid GeoJSON: {where} must be a non-empty array.")
    if all(isinstance(item, int | float) and not isinstance(item, bool) for item in value):
        if len(value) not in (2, 3) or not all(math.isfinite(item) for item in value):
            raise InvalidInput(
                f"Invalid GeoJSON: {where} must be a position [lon, lat]; got {value}."
            )
        lon, lat = value[0], value[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput(_position_message(where, lon, lat))
        return
    for index, item in enumerate(value):
        _check_coordinates(item, f"{where}[{index}]")


def _check_rings(kind: str, coordinates: Any) -> None:
    """Every ring of a Polygon or MultiPolygon is closed and has 4 positions (RFC 7946 3.1.6).

    Shapely closes an open ring silently; a ring sent open is more likely a truncated or
    mistyped one, so it is refused with the positions that differ rather than guessed at.
    """
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    for p, rings in enumerate(polygons):
        for r, ring in enumerate(rings):
            where = f"ring {r}" + (f" of polygon {p}" if kind == "MultiPolygon" else "")
            if len(ring) < 4:
                raise InvalidInput(
                    f"Invalid GeoJSON {kind}: {where} has {len(ring)} positions; a ring needs "
                    "at least 4, the last repeating the first."
                )
            if ring[0][:2] != ring[-1][:2]:
                raise InvalidInput(
                    f"Invalid GeoJSON {kind}: {where} is not closed: its last position "
                    f"{ring[-1]} must repeat its first {ring[0]}."
                )


def parse_geometry(geojson: Any, *, expected: str) -> BaseGeometry:
    """A Shapely geometry from a GeoJSON geometry object of type `expected` (or InvalidInput)."""
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise InvalidInput("Invalid GeoJSON: the geometry must be an object with a 'type'.")
    kind = geojson.get("type")
    if kind not in GEOJSON_TYPES:
        raise InvalidInput(
            f"Invalid GeoJSON: unknown geometry type {kind!r}; use one of "
            f"{', '.join(GEOJSON_TYPES)}."
        )
    accepted = (expected, "Polygon") if expected == "MultiPolygon" else (expected,)
    if kind not in accepted:
        raise InvalidInput(f"This feature needs a {expected} geometry; got a {kind}.")
    _check_nesting(kind, geojson.get("coordinates"))
    _check_coordinates(geojson.get("coordinates"))
    _check_rings(kind, geojson.get("coordinates"))
    try:
        geometry = shape(geojson)
    except Exception as exc:  # shapely raises several kinds for malformed rings and lines
        raise InvalidInput(f"Invalid GeoJSON {kind}: {str(exc).rstrip('.')}.") from None
    if geometry.is_empty:
        raise InvalidInput(f"Invalid GeoJSON: the {kind} is empty.")
    return geometry


def check_valid(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry when OGC-valid, else InvalidInput saying what is wrong and where."""
    if geometry.is_valid:
        return geometry
    reason = explain_validity(geometry)
    name, _, point = reason.partition("[")
    where = ""
    if point:
        lon, _, lat = point.rstrip("]").partition(" ")
        where = f" at lon {float(lon):.6f}, lat {float(lat):.6f}"
    advice = " A ring must not cross itself." if "self-intersection" in name.lower() else ""
    raise InvalidInput(f"Invalid {geometry.geom_type}: {name.strip().lower()}{where}.{advice}")


def _in_bbox(geometry: BaseGeometry) -> bool:
    west, south, east, north = CITY_BBOX
    x0, y0, x1, y1 = geometry.bounds
    m = BBOX_MARGIN_DEG
    return x0 >= west - m and x1 <= east + m and y0 >= south - m and y1 <= north + m


def _in_city(connection: Connection, geometry: BaseGeometry, *, boundary: bool) -> bool:
    if not _in_bbox(geometry):
        return False
    kecamatan = tables.KECAMATAN
    if boundary or not connection.execute(select(exists().select_from(kecamatan))).scalar():
        return True
    test = func.ST_Covers if geometry.geom_type == "Point" else func.ST_Intersects
    element = from_shape(geometry, srid=SRID)
    return bool(
        connection.execute(select(exists().where(test(kecamatan.c.geom, element)))).scalar()
    )


def check_in_city(
    connection: Connection, geometry: BaseGeometry, *, boundary: bool = False
) -> None:
    """InvalidInput unless the geometry lies in Banjarbaru (and say so when lon/lat look swapped).

    The city is the union of the stored kecamatan polygons, or the SPEC's bounding box when none
    are stored yet; a city boundary itself is checked against the box only.
    """
    if _in_city(connection, geometry, boundary=boundary):
        return
    swapped = shapely.transform(geometry, lambda coords: coords[:, ::-1])
    x, y = geometry.representative_point().coords[0]
    if _in_city(connection, swapped, boundary=boundary):
        raise InvalidInput(
            f"The coordinates look swapped: [{x}, {y}] is outside Banjarbaru but [{y}, {x}] is "
            "inside. GeoJSON positions are [longitude, latitude]."
        )
    west, south, east, north = CITY_BBOX
    raise InvalidInput(
        f"The {geometry.geom_type} at [{x:.6f}, {y:.6f}] is outside Banjarbaru "
        f"(longitude {west}..{east}, latitude {south}..{north}, inside a kecamatan)."
    )


def to_element(geometry: BaseGeometry, *, expected: str) -> WKBElement:
    """The value to store: promoted to MultiPolygon when the column needs it, RFC 7946 rings."""
    geometry = shapely.force_2d(geometry)  # heights are not stored
    if expected == "MultiPolygon" and geometry.geom_type == "Polygon":
        geometry = MultiPolygon([geometry])
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    return from_shape(geometry, srid=SRID)


def geometry_for_write(
    connection: Connection, geojson: Any, *, expected: str, boundary: bool = False
) -> WKBElement:
    """Parse, validate and locate a client's geometry; the element to store."""
    geometry = check_valid(parse_geometry(geojson, expected=expected))
    check_in_city(connection, geometry, boundary=boundary)
    return to_element(geometry, expected=expected)
