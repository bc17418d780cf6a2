"""Cemeteries (TPU), their blocks and plots, interments, access roads and prayer rooms (musala)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    FeatureCollectionOut,
    FeatureIn,
    FeatureOut,
    FeaturePatch,
    Versioned,
    partial,
)
from api.schemas.derived import properties_model, public_model
from geo_assets.entities import cemeteries as tpu

CEMETERIES, BLOCKS, PLOTS = tpu.CEMETERIES, tpu.BLOCKS, tpu.PLOTS
INTERMENTS, ACCESS_ROADS, PRAYER_ROOMS = tpu.INTERMENTS, tpu.ACCESS_ROADS, tpu.PRAYER_ROOMS

RECT = [
    [[114.830, -3.450], [114.833, -3.450], [114.833, -3.447], [114.830, -3.447], [114.830, -3.450]]
]


def _feature(geometry: dict | None, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


CemeteryProperties = properties_model(CEMETERIES, "CemeteryProperties", "A public cemetery (TPU).")
CemeteryPropertiesPublic = public_model(
    CEMETERIES, CemeteryProperties, "CemeteryPropertiesPublic", "A cemetery as read."
)

CemeteryPropertiesUpdate = partial(
    CemeteryProperties, "CemeteryPropertiesUpdate", "Cemetery properties to change."
)


class CemeteryCreate(FeatureIn[CemeteryProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new cemetery: a Polygon and its properties."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    {"type": "Polygon", "coordinates": RECT},
                    {
                        "code": "TPU-01",
                        "name": "TPU Guntung Manggis",
                        "kind": "muslim",
                        "capacity": 2400,
                        "gate": {"type": "Point", "coordinates": [114.8315, -3.4500]},
                    },
                )
            ]
        }
    )


class CemeteryUpdate(FeaturePatch[CemeteryPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a cemetery."""


class CemeteryPublic(FeatureOut[CemeteryPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A cemetery."""


class CemeteriesPublic(FeatureCollectionOut[CemeteryPublic]):
    """A page of cemeteries."""


BlockProperties = properties_model(
    BLOCKS,
    "BlockProperties",
    "A block (blok) of a cemetery; the cemetery comes from the URL.",
    without=("cemetery_id",),
)
BlockPropertiesPublic = public_model(
    BLOCKS, BlockProperties, "BlockPropertiesPublic", "A block as read.", required=("cemetery_id",)
)

BlockPropertiesUpdate = partial(
    BlockProperties, "BlockPropertiesUpdate", "Block properties to change."
)


class BlockCreate(FeatureIn[BlockProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new block of the cemetery in the URL."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    {"type": "Polygon", "coordinates": RECT}, {"code": "TPU-01-A", "name": "Blok A"}
                )
            ]
        }
    )


class BlockUpdate(FeaturePatch[BlockPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a block."""


class BlockPublic(FeatureOut[BlockPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A block."""


class BlocksPublic(FeatureCollectionOut[BlockPublic]):
    """A page of blocks."""


PlotProperties = properties_model(PLOTS, "PlotProperties", "A grave plot (petak).")
PlotPropertiesPublic = public_model(
    PLOTS, PlotProperties, "PlotPropertiesPublic", "A plot as read."
)

PlotPropertiesUpdate = partial(PlotProperties, "PlotPropertiesUpdate", "Plot properties to change.")


class PlotCreate(FeatureIn[PlotProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new plot: a Polygon in a block."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    {"type": "Polygon", "coordinates": RECT},
                    {"code": "TPU-01-A-1-1", "block_id": 1, "row_number": 1, "plot_number": 1},
                )
            ]
        }
    )


class PlotUpdate(FeaturePatch[PlotPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a plot, e.g. its status."""


class PlotPublic(FeatureOut[PlotPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A plot."""


class PlotsPublic(FeatureCollectionOut[PlotPublic]):
    """A page of plots."""


IntermentProperties = properties_model(
    INTERMENTS,
    "IntermentProperties",
    "A burial in a plot. Personal fields are shown to staff and admin only.",
)


class IntermentPropertiesPublic(Versioned):
    """An interment as read: plot and date for everyone, personal fields for staff/admin."""

    model_config = ConfigDict(extra="allow")

    plot_id: int
    buried_on: date
    plot_code: str
    plot_status: str
    block_code: str
    cemetery_code: str
    voided_at: str | None = Field(
        None, description="When the record was voided (it no longer counts as a burial)."
    )


IntermentPropertiesUpdate = partial(
    IntermentProperties, "IntermentPropertiesUpdate", "Interment properties to change."
)


class IntermentCreate(FeaturePatch[IntermentProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new interment: no geometry of its own (it is shown at its plot)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    None,
                    {
                        "plot_id": 1,
                        "deceased_name": "Ahmad Fauzi",
                        "died_on": "2024-02-10",
                        "buried_on": "2024-02-11",
                        "heir_name": "Siti Aminah",
                        "heir_phone": "0812-5555-0101",
                    },
                )
            ]
        }
    )


class IntermentUpdate(FeaturePatch[IntermentPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to an interment."""


class IntermentVoid(BaseModel):
    """Why an interment record is voided (it stays, marked, and is never deleted)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=5,
        max_length=500,
        examples=[
            "Dicatat di petak yang salah; lihat pemakaman 812. (Recorded in the wrong plot.)"
        ],
    )


class IntermentPublic(FeatureOut[IntermentPropertiesPublic]):
    """An interment, located at its plot."""


class IntermentsPublic(FeatureCollectionOut[IntermentPublic]):
    """A page of interments."""


AccessRoadProperties = properties_model(
    ACCESS_ROADS, "AccessRoadProperties", "A road (or new line) serving a cemetery."
)
AccessRoadPropertiesPublic = public_model(
    ACCESS_ROADS, AccessRoadProperties, "AccessRoadPropertiesPublic", "An access road as read."
)

AccessRoadPropertiesUpdate = partial(
    AccessRoadProperties, "AccessRoadPropertiesUpdate", "Access road properties to change."
)


class AccessRoadCreate(FeatureIn[AccessRoadProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new access road: a LineString."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    {
                        "type": "LineString",
                        "coordinates": [[114.8315, -3.4500], [114.8320, -3.4520]],
                    },
                    {
                        "code": "AKS-01",
                        "name": "Jalan masuk TPU",
                        "cemetery_id": 1,
                        "condition": "poor",
                        "surface": "tanah",
                        "improvement_cost_idr": 150000000,
                    },
                )
            ]
        }
    )


class AccessRoadUpdate(FeaturePatch[AccessRoadPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to an access road."""


class AccessRoadPublic(FeatureOut[AccessRoadPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """An access road."""


class AccessRoadsPublic(FeatureCollectionOut[AccessRoadPublic]):
    """A page of access roads."""


PrayerRoomProperties = properties_model(
    PRAYER_ROOMS, "PrayerRoomProperties", "A prayer room (musala)."
)
PrayerRoomPropertiesPublic = public_model(
    PRAYER_ROOMS, PrayerRoomProperties, "PrayerRoomPropertiesPublic", "A prayer room as read."
)

PrayerRoomPropertiesUpdate = partial(
    PrayerRoomProperties, "PrayerRoomPropertiesUpdate", "Prayer room properties to change."
)


class PrayerRoomCreate(FeatureIn[PrayerRoomProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new prayer room: a Point."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _feature(
                    {"type": "Point", "coordinates": [114.8318, -3.4495]},
                    {
                        "code": "MSL-01",
                        "name": "Musala TPU",
                        "cemetery_id": 1,
                        "status": "planned",
                        "capacity": 40,
                        "estimated_cost_idr": 350000000,
                        "planned_year": 2027,
                    },
                )
            ]
        }
    )


class PrayerRoomUpdate(FeaturePatch[PrayerRoomPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a prayer room."""


class PrayerRoomPublic(FeatureOut[PrayerRoomPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A prayer room."""


class PrayerRoomsPublic(FeatureCollectionOut[PrayerRoomPublic]):
    """A page of prayer rooms."""
