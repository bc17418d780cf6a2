"""Kecamatan, kelurahan and roads."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from api.schemas.common import (
    FeatureCollectionOut,
    FeatureIn,
    FeatureOut,
    FeaturePatch,
    partial,
)
from api.schemas.derived import properties_model, public_model
from geo_assets.entities import BY_NAME

KECAMATAN, KELURAHAN, ROADS = BY_NAME["kecamatan"], BY_NAME["kelurahan"], BY_NAME["roads"]

SQUARE: list[Any] = [
    [[114.80, -3.46], [114.84, -3.46], [114.84, -3.42], [114.80, -3.42], [114.80, -3.46]]
]


KecamatanProperties = properties_model(
    KECAMATAN, "KecamatanProperties", "A district: Kemendagri code and name."
)
KecamatanPropertiesPublic = public_model(
    KECAMATAN, KecamatanProperties, "KecamatanPropertiesPublic", "A district as read."
)

KecamatanPropertiesUpdate = partial(
    KecamatanProperties, "KecamatanPropertiesUpdate", "Kecamatan properties to change."
)


class KecamatanCreate(FeatureIn[KecamatanProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new kecamatan: a (Multi)Polygon and its code and name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": SQUARE},
                    "properties": {"code": "63.72.04", "name": "Banjarbaru Utara"},
                }
            ]
        }
    )


class KecamatanUpdate(FeaturePatch[KecamatanPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a kecamatan."""


class KecamatanPublic(FeatureOut[KecamatanPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A kecamatan."""


class KecamatanListPublic(FeatureCollectionOut[KecamatanPublic]):
    """A page of kecamatan."""


KelurahanProperties = properties_model(
    KELURAHAN, "KelurahanProperties", "A sub-district: code, name and its kecamatan."
)
KelurahanPropertiesPublic = public_model(
    KELURAHAN, KelurahanProperties, "KelurahanPropertiesPublic", "A sub-district as read."
)

KelurahanPropertiesUpdate = partial(
    KelurahanProperties, "KelurahanPropertiesUpdate", "Kelurahan properties to change."
)


class KelurahanCreate(FeatureIn[KelurahanProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new kelurahan."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": SQUARE},
                    "properties": {"code": "63.72.04.1002", "name": "Mentaos", "kecamatan_id": 3},
                }
            ]
        }
    )


class KelurahanUpdate(FeaturePatch[KelurahanPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a kelurahan."""


class KelurahanPublic(FeatureOut[KelurahanPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A kelurahan."""


class KelurahanListPublic(FeatureCollectionOut[KelurahanPublic]):
    """A page of kelurahan."""


RoadProperties = properties_model(ROADS, "RoadProperties", "A road segment (ruas jalan).")
RoadPropertiesPublic = public_model(
    ROADS, RoadProperties, "RoadPropertiesPublic", "A road as read."
)

RoadPropertiesUpdate = partial(RoadProperties, "RoadPropertiesUpdate", "Road properties to change.")


class RoadCreate(FeatureIn[RoadProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new road: a LineString and its properties."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[114.80, -3.44], [114.84, -3.45]],
                    },
                    "properties": {
                        "code": "JL-0001",
                        "name": "Jl. Jenderal A. Yani",
                        "road_class": "arteri",
                        "surface": "aspal",
                        "width_m": 12,
                    },
                }
            ]
        }
    )


class RoadUpdate(FeaturePatch[RoadPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a road."""


class RoadPublic(FeatureOut[RoadPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A road."""


class RoadsPublic(FeatureCollectionOut[RoadPublic]):
    """A page of roads."""
