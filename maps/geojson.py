"""Compact GeoJSON from GeoDataFrames: rounded coordinates and only the properties a map shows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from markupsafe import escape
from shapely.geometry import mapping

# 5 decimals of a degree is about 1.1 m at Banjarbaru's latitude: enough for roads and areas.
AREA_PRECISION = 5
# Grave plots are about 1 x 2 m: they need 10 cm.
PLOT_PRECISION = 6


def rounded(frame: gpd.GeoDataFrame, precision: int) -> np.ndarray:
    """The frame's geometries with coordinates rounded to `precision` decimals."""
    return shapely.transform(frame.geometry.values, lambda xy: np.round(xy, precision))


def _as_text(value: Any) -> Any:
    return str(escape(value)) if isinstance(value, str) else value


def feature_collection(
    frame: gpd.GeoDataFrame, properties: Sequence[str], *, precision: int = AREA_PRECISION
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of `frame` with the named properties (NaN becomes null).

    Text properties are HTML-escaped: Folium's tooltips and popups put them into the page as
    HTML, and a name such as `<img src=x onerror=…>` must show as those characters, not run.
    """
    records = json.loads(frame[list(properties)].to_json(orient="records", date_format="iso"))
    records = [{key: _as_text(value) for key, value in record.items()} for record in records]
    geometries = rounded(frame, precision)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": mapping(geometry), "properties": record}
            for geometry, record in zip(geometries, records, strict=True)
        ],
    }


def bounds_latlon(*frames: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] around every non-empty frame, as Leaflet wants it."""
    boxes = [frame.total_bounds for frame in frames if len(frame)]
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    west, south = stacked[:, 0].min(), stacked[:, 1].min()
    east, north = stacked[:, 2].max(), stacked[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]
