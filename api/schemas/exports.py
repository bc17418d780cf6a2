"""The documented shape of an exported GeoJSON file (`/api/v1/exports/{entity}`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ExportedFeature(BaseModel):
    """One exported feature: its id, RFC 7946 geometry and the entity's exported columns."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any] = Field(description="RFC 7946 geometry, lon/lat, 7 decimals.")
    properties: dict[str, Any] = Field(
        description="id, code, status with its label, the entity's columns, kelurahan and "
        "kecamatan; never personal data."
    )


class ExportedFeatures(BaseModel):
    """A whole export: every matching feature, in id order (no paging)."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[ExportedFeature]
