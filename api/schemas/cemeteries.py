"""Cemeteries (TPU), their blocks and plots, interments, access roads and prayer rooms (musala)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    FeatureCollectionOut,
    FeatureIn,
    FeatureOut,
    FeaturePatch,
    GeometryIn,
    Versioned,
    choice,
    partial,
)
from geo_assets.vocab import (
    CEMETERY_KIND,
    PLOT_STATUS,
    PRAYER_ROOM_STATUS,
    ROAD_CONDITION,
    ROAD_SURFACE,
)

RECT = [
    [[114.830, -3.450], [114.833, -3.450], [114.833, -3.447], [114.830, -3.447], [114.830, -3.450]]
]


def _feature(geometry: dict | None, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


class CemeteryProperties(BaseModel):
    """A public cemetery (TPU)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=16, examples=["TPU-01"])
    name: str = Field(max_length=120, examples=["TPU Guntung Manggis"])
    kind: choice(CEMETERY_KIND) = Field(examples=["muslim"])  # type: ignore[valid-type]
    manager: str | None = Field(None, max_length=120)
    address: str | None = Field(None, max_length=200)
    capacity: int = Field(ge=0, examples=[2400], description="Plots in all.")
    gate: GeometryIn | None = Field(None, description="The gate, a GeoJSON Point.")


class CemeteryPropertiesPublic(CemeteryProperties, Versioned):
    """A cemetery as read."""


CemeteryPropertiesUpdate = partial(
    CemeteryProperties, "CemeteryPropertiesUpdate", "Cemetery properties to change."
)


class CemeteryCreate(FeatureIn[CemeteryProperties]):
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


class CemeteryUpdate(FeaturePatch[CemeteryPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a cemetery."""


class CemeteryPublic(FeatureOut[CemeteryPropertiesPublic]):
    """A cemetery."""


class CemeteriesPublic(FeatureCollectionOut[CemeteryPublic]):
    """A page of cemeteries."""


class BlockProperties(BaseModel):
    """A block (blok) of a cemetery; the cemetery comes from the URL."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=24, examples=["TPU-01-A"])
    name: str = Field(max_length=40, examples=["Blok A"])


class BlockPropertiesPublic(BlockProperties, Versioned):
    """A block as read."""

    cemetery_id: int
    cemetery_code: str | None = None


BlockPropertiesUpdate = partial(
    BlockProperties, "BlockPropertiesUpdate", "Block properties to change."
)


class BlockCreate(FeatureIn[BlockProperties]):
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


class BlockUpdate(FeaturePatch[BlockPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a block."""


class BlockPublic(FeatureOut[BlockPropertiesPublic]):
    """A block."""


class BlocksPublic(FeatureCollectionOut[BlockPublic]):
    """A page of blocks."""


class PlotProperties(BaseModel):
    """A grave plot (petak)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40, examples=["TPU-01-A-1-1"])
    block_id: int = Field(ge=1, examples=[1])
    row_number: int = Field(ge=1, examples=[1])
    plot_number: int = Field(ge=1, examples=[1])
    status: choice(PLOT_STATUS) = "available"  # type: ignore[valid-type]


class PlotPropertiesPublic(PlotProperties, Versioned):
    """A plot as read."""

    block_code: str | None = None
    cemetery_code: str | None = None


PlotPropertiesUpdate = partial(PlotProperties, "PlotPropertiesUpdate", "Plot properties to change.")


class PlotCreate(FeatureIn[PlotProperties]):
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


class PlotUpdate(FeaturePatch[PlotPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a plot, e.g. its status."""


class PlotPublic(FeatureOut[PlotPropertiesPublic]):
    """A plot."""


class PlotsPublic(FeatureCollectionOut[PlotPublic]):
    """A page of plots."""


class IntermentProperties(BaseModel):
    """A burial in a plot. Personal fields are shown to staff and admin only."""

    model_config = ConfigDict(extra="forbid")

    plot_id: int = Field(ge=1, examples=[1])
    deceased_name: str = Field(max_length=120, examples=["Ahmad Fauzi"])
    born_on: date | None = None
    died_on: date | None = None
    buried_on: date = Field(examples=["2024-02-11"])
    heir_name: str | None = Field(None, max_length=120)
    heir_phone: str | None = Field(None, max_length=40)
    heir_address: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=2000)


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


class IntermentCreate(FeaturePatch[IntermentProperties]):
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


class IntermentUpdate(FeaturePatch[IntermentPropertiesUpdate]):  # type: ignore[valid-type]
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


class AccessRoadProperties(BaseModel):
    """A road (or new line) serving a cemetery."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=24, examples=["AKS-01"])
    name: str = Field(max_length=120, examples=["Jalan masuk TPU Guntung Manggis"])
    cemetery_id: int | None = Field(None, ge=1)
    road_id: int | None = Field(None, ge=1)
    condition: choice(ROAD_CONDITION) = Field(examples=["poor"])  # type: ignore[valid-type]
    surface: choice(ROAD_SURFACE) = Field(examples=["tanah"])  # type: ignore[valid-type]
    width_m: float | None = Field(None, gt=0, le=100)
    planned_improvement: str | None = Field(None, max_length=2000)
    improvement_cost_idr: int | None = Field(None, ge=0)


class AccessRoadPropertiesPublic(AccessRoadProperties, Versioned):
    """An access road as read."""

    cemetery_code: str | None = None
    road_code: str | None = None


AccessRoadPropertiesUpdate = partial(
    AccessRoadProperties, "AccessRoadPropertiesUpdate", "Access road properties to change."
)


class AccessRoadCreate(FeatureIn[AccessRoadProperties]):
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


class AccessRoadUpdate(FeaturePatch[AccessRoadPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to an access road."""


class AccessRoadPublic(FeatureOut[AccessRoadPropertiesPublic]):
    """An access road."""


class AccessRoadsPublic(FeatureCollectionOut[AccessRoadPublic]):
    """A page of access roads."""


class PrayerRoomProperties(BaseModel):
    """A prayer room (musala)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=24, examples=["MSL-01"])
    name: str = Field(max_length=120, examples=["Musala TPU Guntung Manggis"])
    cemetery_id: int | None = Field(None, ge=1)
    status: choice(PRAYER_ROOM_STATUS) = Field(examples=["planned"])  # type: ignore[valid-type]
    capacity: int | None = Field(None, gt=0)
    estimated_cost_idr: int | None = Field(None, ge=0)
    planned_year: int | None = Field(None, ge=1900, le=2100)


class PrayerRoomPropertiesPublic(PrayerRoomProperties, Versioned):
    """A prayer room as read."""

    cemetery_code: str | None = None


PrayerRoomPropertiesUpdate = partial(
    PrayerRoomProperties, "PrayerRoomPropertiesUpdate", "Prayer room properties to change."
)


class PrayerRoomCreate(FeatureIn[PrayerRoomProperties]):
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


class PrayerRoomUpdate(FeaturePatch[PrayerRoomPropertiesUpdate]):  # type: ignore[valid-type]
    """Changes to a prayer room."""


class PrayerRoomPublic(FeatureOut[PrayerRoomPropertiesPublic]):
    """A prayer room."""


class PrayerRoomsPublic(FeatureCollectionOut[PrayerRoomPublic]):
    """A page of prayer rooms."""
