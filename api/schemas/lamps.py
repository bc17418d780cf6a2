"""Lamps (PJU) and their status events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.schemas.common import (
    ClientDateTime,
    FeatureCollectionOut,
    FeatureIn,
    FeatureOut,
    FeaturePatch,
    Link,
    choice,
    partial,
)
from api.schemas.derived import properties_model, public_model
from geo_assets.entities import BY_NAME
from geo_assets.errors import InvalidInput
from geo_assets.photos import issued_photo_url
from geo_assets.vocab import EVENT_SOURCE, LAMP_STATUS

LAMPS = BY_NAME["lamps"]

LampProperties = properties_model(LAMPS, "LampProperties", "What a client sets on a lamp.")
LampPropertiesPublic = public_model(
    LAMPS,
    LampProperties,
    "LampPropertiesPublic",
    "A lamp as read, with its place (kelurahan/kecamatan from its position).",
    open_ended=True,
)


LampPropertiesUpdate = partial(
    LampProperties, "LampPropertiesUpdate", "Lamp properties to change (status excepted)."
)

LAMP_EXAMPLE: dict[str, Any] = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [114.8301, -3.4402]},
    "properties": {
        "code": "PJU-63.72.04-00017",
        "road_id": 3,
        "lamp_type": "led",
        "wattage": 60,
        "pole_height_m": 9,
        "mounting": "pole",
        "ownership": "pemkot",
        "power_billing": "metered",
        "installed_on": "2021-06-01",
    },
}


class LampCreate(FeatureIn[LampProperties]):  # type: ignore[valid-type]  # built from the registry at run time
    """A new lamp: a Point and its properties."""

    model_config = ConfigDict(json_schema_extra={"examples": [LAMP_EXAMPLE]})


class LampUpdate(FeaturePatch[LampPropertiesUpdate]):  # type: ignore[valid-type]  # model built at run time
    """Changes to a lamp: some properties and/or a new position."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"properties": {"wattage": 90, "lamp_type": "led"}},
            ]
        }
    )


class LampPublic(FeatureOut[LampPropertiesPublic]):  # type: ignore[valid-type]  # built from the registry at run time
    """A lamp."""


class LampsPublic(FeatureCollectionOut[LampPublic]):
    """A page of lamps."""


class LampEventCreate(BaseModel):
    """A status report: the lamp's new status, with an optional note and photo reference."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"to_status": "out", "note": "Mati sejak semalam", "photo": None},
            ]
        },
    )

    to_status: choice(LAMP_STATUS) = Field(  # type: ignore[valid-type]  # Literal from a vocabulary
        description="The status the lamp is in now."
    )
    note: str | None = Field(None, max_length=2000)
    photo: str | None = Field(
        None,
        max_length=255,
        description="A photo uploaded to this server: the `photo` URL (or the `id`) answered by "
        "`POST /api/v1/media/photos`. Any other URL or path is refused.",
        examples=["/media/photos/3f/3fa4c0d1e2b34f5a8c9d0e1f2a3b4c5d.jpg"],
    )
    occurred_at: ClientDateTime | None = Field(
        None,
        description="When it was seen (with time zone); default now. A late, offline "
        "report keeps its place in history.",
    )

    @field_validator("photo")
    @classmethod
    def _issued_photo(cls, value: str | None) -> str | None:
        """Only a photo this server issued: a page must never be led to fetch another URL."""
        if value is None:
            return None
        try:
            return issued_photo_url(value)
        except InvalidInput as error:
            raise ValueError(str(error)) from None


class LampEventPublic(BaseModel):
    """A stored status event."""

    id: int
    lamp_id: int
    from_status: str | None
    to_status: str
    note: str | None
    photo: str | None
    source: choice(EVENT_SOURCE)  # type: ignore[valid-type]  # Literal from a vocabulary
    actor: str | None
    occurred_at: datetime
    idempotency_key: str
    service_request_id: int | None


class LampEventsPublic(BaseModel):
    """A lamp's history, newest first."""

    lamp_id: int
    numberMatched: int
    numberReturned: int
    links: list[Link]
    events: list[LampEventPublic]
