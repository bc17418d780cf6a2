"""Analysis layers as RFC 7946 FeatureCollections (lon/lat, no `crs` member)."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import shapely


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def feature_collection(
    frame: gpd.GeoDataFrame, *, id_column: str | None = None, **members: Any
) -> dict[str, Any]:
    """`frame` (EPSG:4326) as a FeatureCollection; extra top-level `members` are added."""
    geometries = shapely.set_precision(frame.geometry.to_numpy(), 1e-7)
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    features = []
    for record, geometry in zip(records, geometries, strict=True):
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(geometry) if geometry is not None else None,
            "properties": {k: _plain(v) for k, v in record.items()},
        }
        if id_column:
            feature["id"] = _plain(record[id_column])
        features.append(feature)
    return {"type": "FeatureCollection", **members, "features": features}
