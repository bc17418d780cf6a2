"""Planners' GeoJSON answers: dark gaps, gap-fill lamps and the budget proposal."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import GeometryOut

P = TypeVar("P", bound=BaseModel)


class AreaMembers(BaseModel):
    """Where an item lies (null outside every kelurahan)."""

    model_config = ConfigDict(extra="allow")

    kelurahan_code: str | None = None
    kelurahan: str | None = None
    kecamatan_code: str | None = None
    kecamatan: str | None = None


class RoadMembers(AreaMembers):
    """The road an analysis item belongs to."""

    gap_id: int
    road_id: int
    road_code: str | None = None
    road_name: str | None = None
    road_class: str


class GapProperties(RoadMembers):
    """One unlit stretch of road."""

    start_m: float
    end_m: float
    length_m: float
    proposed_lamps: int


class ProposedLampProperties(RoadMembers):
    """One gap-fill lamp position."""

    position_m: float
    pole_height_m: float
    max_spacing_m: float


class AnalysisFeature(BaseModel, Generic[P]):
    """A GeoJSON Feature computed by an analysis (not a stored item)."""

    type: Literal["Feature"]
    id: int | str | None = None
    geometry: GeometryOut | None
    properties: P


class GapsPublic(BaseModel):
    """Dark gaps: a FeatureCollection of LineStrings."""

    type: Literal["FeatureCollection"]
    features: list[AnalysisFeature[GapProperties]]


class ProposedLampsPublic(BaseModel):
    """Gap-fill lamps: a FeatureCollection of Points."""

    type: Literal["FeatureCollection"]
    features: list[AnalysisFeature[ProposedLampProperties]]


class ProposalItem(AreaMembers):
    """One costed item of the budget proposal."""

    category: str
    category_label: str
    item: str
    quantity: float
    unit: str
    unit_cost_idr: float
    cost_idr: float
    priority: int
    priority_label: str
    reason: str


class ProposalPublic(BaseModel):
    """The budget proposal: one feature per item, and `totals` with the sums."""

    model_config = ConfigDict(extra="allow")

    type: Literal["FeatureCollection"]
    name: str
    features: list[AnalysisFeature[ProposalItem]]
    totals: dict[str, Any] = Field(description="total_idr and the sums by category and area.")
