"""Kecamatan, kelurahan and roads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    FeatureCollectionOut,
    FeatureIn,
    FeatureOut,
    FeaturePatch,
    Versioned,
    choice,
    partial,
)
from geo_assets.vocab import ROAD_CLASS, ROAD_SURFACE

SQUARE: list[Any] = [
    [[114.80, -3.46], [114.84, -3.46], [114.84, -3.42], [114.80, -3.42], [114.80, -3.46]]
]


class KecamatanProperties(BaseModel):
    """A district: Kemendagri code and name."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=16, examples=["63.72.04"])
    name: str = Field(max_length=80, examples=["Banjarbaru Utara"])
    official_area_km2: float | None = Field(None, gt=0, examples=[24.4])


class KecamatanPropertiesPublic(KecamatanProperties, Versioned):
    """A district as read."""


KecamatanPropertiesUpdate = partial(
    KecamatanProperties, "KecamatanPropertiesUpdate", "Kecamatan properties to change."
)


class KecamatanCreate(FeatureIn[KecamatanProperties]):
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


class KecamatanUpdate(FeaturePatch[KecamatanPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a kecamatan."""


class KecamatanPublic(FeatureOut[KecamatanPropertiesPublic]):
    """A kecamatan."""


class KecamatanListPublic(FeatureCollectionOut[KecamatanPublic]):
    """A page of kecamatan."""


class KelurahanProperties(BaseModel):
    """A sub-district: code, name and its kecamatan."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=20, examples=["63.72.04.1002"])
    name: str = Field(max_length=80, examples=["Mentaos"])
    kecamatan_id: int = Field(ge=1, examples=[3])


class KelurahanPropertiesPublic(KelurahanProperties, Versioned):
    """A sub-district as read."""

    kecamatan_code: str | None = None


KelurahanPropertiesUpdate = partial(
    KelurahanProperties, "KelurahanPropertiesUpdate", "Kelurahan properties to change."
)


class KelurahanCreate(FeatureIn[KelurahanProperties]):
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


class KelurahanUpdate(FeaturePatch[KelurahanPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a kelurahan."""


class KelurahanPublic(FeatureOut[KelurahanPropertiesPublic]):
    """A kelurahan."""


class KelurahanListPublic(FeatureCollectionOut[KelurahanPublic]):
    """A page of kelurahan."""


class RoadProperties(BaseModel):
    """A road segment (ruas jalan)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=32, examples=["JL-0001"])
    name: str = Field(max_length=120, examples=["Jl. Jenderal A. Yani"])
    road_class: choice(ROAD_CLASS) = Field(examples=["arteri"])  # type: ignore[valid-type]
    surface: choice(ROAD_SURFACE) = Field(examples=["aspal"])  # type: ignore[valid-type]
    width_m: float | None = Field(None, gt=0, le=100, examples=[12.0])


class RoadPropertiesPublic(RoadProperties, Versioned):
    """A road as read."""


RoadPropertiesUpdate = partial(RoadProperties, "RoadPropertiesUpdate", "Road properties to change.")


class RoadCreate(FeatureIn[RoadProperties]):
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


class RoadUpdate(FeaturePatch[RoadPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a road."""


class RoadPublic(FeatureOut[RoadPropertiesPublic]):
    """A road."""


class RoadsPublic(FeatureCollectionOut[RoadPublic]):
    """A page of roads."""
