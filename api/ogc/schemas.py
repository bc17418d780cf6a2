"""The shapes of the OGC API – Features answers, for the OpenAPI document (service-desc)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import GeometryOut
from geo_assets.ogc.query import MATCH_CAP


class OgcLink(BaseModel):
    """A link of an OGC API document."""

    model_config = ConfigDict(extra="allow")

    href: str
    rel: str = Field(examples=["self"])
    type: str | None = Field(None, examples=["application/json"])
    title: str | None = None


class LandingPage(BaseModel):
    """The OGC API landing page: what this server offers, as links."""

    model_config = ConfigDict(extra="allow")

    title: str
    description: str
    links: list[OgcLink]


class ConformanceDeclaration(BaseModel):
    """The conformance classes this server implements."""

    conformsTo: list[str]  # noqa: N815 - the OGC member name


class CollectionInfo(BaseModel):
    """One collection: words, extent, CRS, item type and links."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(examples=["lamps"])
    title: str
    description: str
    itemType: str = Field("feature", examples=["feature"])  # noqa: N815 - the OGC member name
    crs: list[str]
    extent: dict[str, Any]
    links: list[OgcLink]


class CollectionList(BaseModel):
    """The collections a reader may see."""

    links: list[OgcLink]
    collections: list[CollectionInfo]


class OgcFeature(BaseModel):
    """A GeoJSON Feature of an OGC collection, with its links."""

    model_config = ConfigDict(extra="allow")

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: GeometryOut | None
    properties: dict[str, Any]
    links: list[OgcLink] = []


class OgcFeatureCollection(BaseModel):
    """A page of items: counts, time stamp, paging links and the features."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int | None = Field(  # noqa: N815 - the OGC member name
        None,
        description=f"Left out when more than {MATCH_CAP:,} items match, but on the last page.",
    )
    numberReturned: int  # noqa: N815
    timeStamp: str  # noqa: N815
    links: list[OgcLink]
    features: list[OgcFeature]


class Queryables(BaseModel):
    """A JSON Schema of the properties a collection may be filtered by."""

    model_config = ConfigDict(extra="allow")

    type: Literal["object"] = "object"
    title: str
    properties: dict[str, Any]
