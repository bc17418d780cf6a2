"""Shared request/response shapes: GeoJSON geometry, Feature bodies, collections, partial models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, Optional, TypeVar

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from geo_assets.inventory.params import MAX_ID
from geo_assets.vocab import Vocabulary, codes

P = TypeVar("P", bound=BaseModel)

# A row id in a path: the database's ids are 32-bit, so a larger number is a 422, not a 500.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The id (a positive number).")]


def utc_convertible(moment: datetime) -> datetime:
    """`moment` unchanged when it can be compared with other times (converted to UTC).

    `0001-01-01T00:00:00+14:00` parses, but lies before year 1 in UTC: Python cannot convert
    it, and PostgreSQL would store another instant than the one sent.
    """
    if moment.tzinfo is not None:
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise ValueError(
                f"{moment.isoformat()} is outside the years 1-9999 once converted to UTC"
            ) from None
    return moment


# A time from a client that is safe to compare and store (naive ones are refused later, in words).
ClientDateTime = Annotated[datetime, AfterValidator(utc_convertible)]


def choice(vocabulary: Vocabulary) -> Any:
    """A Literal type of a vocabulary's codes (so errors list the allowed values)."""
    return Literal[codes(vocabulary)]  # type: ignore[valid-type]  # a Literal built at run time


class GeometryIn(BaseModel):
    """A GeoJSON geometry in lon/lat (RFC 7946); checked for validity and place on arrival."""

    type: str = Field(description="Point, LineString, Polygon or MultiPolygon.", examples=["Point"])
    coordinates: list[Any] = Field(
        description="Positions as [longitude, latitude].", examples=[[114.8301, -3.4402]]
    )


class Link(BaseModel):
    """A link to another page of the same list."""

    href: str
    rel: str = Field(examples=["next"])
    type: str = Field(examples=["application/geo+json"])


class FeatureIn(BaseModel, Generic[P]):
    """A GeoJSON Feature sent to create an item."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["Feature"] = "Feature"
    id: int | str | None = Field(None, description="Ignored: the server assigns ids.")
    geometry: GeometryIn
    properties: P


class FeaturePatch(BaseModel, Generic[P]):
    """A partial update: only the properties given change; a geometry replaces the old one."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["Feature"] = "Feature"
    id: int | str | None = Field(None, description="Ignored.")
    geometry: GeometryIn | None = None
    properties: P | None = None


Position = Annotated[list[float], Field(min_length=2, max_length=3)]


class PointOut(BaseModel):
    """A GeoJSON Point."""

    type: Literal["Point"]
    coordinates: Position


class MultiPointOut(BaseModel):
    """A GeoJSON MultiPoint."""

    type: Literal["MultiPoint"]
    coordinates: list[Position]


class LineStringOut(BaseModel):
    """A GeoJSON LineString."""

    type: Literal["LineString"]
    coordinates: Annotated[list[Position], Field(min_length=2)]


class MultiLineStringOut(BaseModel):
    """A GeoJSON MultiLineString."""

    type: Literal["MultiLineString"]
    coordinates: list[Annotated[list[Position], Field(min_length=2)]]


Ring = Annotated[list[Position], Field(min_length=4, description="Closed: last = first.")]


class PolygonOut(BaseModel):
    """A GeoJSON Polygon: an exterior ring, then any holes."""

    type: Literal["Polygon"]
    coordinates: list[Ring]


class MultiPolygonOut(BaseModel):
    """A GeoJSON MultiPolygon."""

    type: Literal["MultiPolygon"]
    coordinates: list[list[Ring]]


# What PostGIS's ST_AsGeoJSON writes for the geometries stored here (RFC 7946, lon/lat).
GeometryOut = Annotated[
    PointOut | MultiPointOut | LineStringOut | MultiLineStringOut | PolygonOut | MultiPolygonOut,
    Field(discriminator="type"),
]


class FeatureOut(BaseModel, Generic[P]):
    """A GeoJSON Feature as the API answers it."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: GeometryOut | None
    properties: P


class FeatureCollectionOut(BaseModel, Generic[P]):
    """A page of a list: GeoJSON FeatureCollection with counts and paging links."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int = Field(description="Items matching the filters, on every page.")
    numberReturned: int = Field(description="Items on this page.")
    links: list[Link]
    features: list[P]


class Versioned(BaseModel):
    """Members every item carries."""

    version: int = Field(description="Optimistic-concurrency version; also the ETag.")
    updated_at: str = Field(description="When the item last changed (ISO 8601).")


def partial(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """`model` with every field optional (default None) and no unknown fields, for PATCH."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = Optional[info.annotation]  # type: ignore[name-defined]  # noqa: UP045
        fields[field_name] = (optional, FieldInfo.merge_field_infos(info, default=None))
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **fields)


def write_dict(model: BaseModel | None) -> dict[str, Any]:
    """The fields the client actually sent, JSON-ready (dates as ISO text)."""
    return model.model_dump(exclude_unset=True) if model is not None else {}


def geometry_dict(geometry: GeometryIn | None) -> dict[str, Any] | None:
    """The geometry as a plain GeoJSON dict."""
    return geometry.model_dump() if geometry is not None else None
