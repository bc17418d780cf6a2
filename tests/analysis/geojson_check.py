"""A strict check of RFC 7946 rules that matter to QGIS and web maps."""

from __future__ import annotations

from typing import Any

import shapely.geometry

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _positions(coordinates: Any) -> list[list[float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates]
    return [p for part in coordinates for p in _positions(part)]


def assert_rfc7946(collection: dict[str, Any]) -> None:
    """Fail unless `collection` is an RFC 7946 FeatureCollection in lon/lat without `crs`."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature.get("properties"), dict)
        assert "id" not in feature or isinstance(feature["id"], str | int)
        geometry = feature["geometry"]
        assert geometry["type"] in GEOMETRY_TYPES
        for lon, lat, *rest in _positions(geometry["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90 and len(rest) <= 1
        assert shapely.geometry.shape(geometry).is_valid
