"""GeoReport v2 (Open311) answers as documented JSON schemas; XML carries the same data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, RootModel


class Open311Error(BaseModel):
    """One error: the HTTP status as `code` and what to fix."""

    code: int
    description: str


class Open311Errors(RootModel[list[Open311Error]]):
    """The specification's error list."""


class Endpoint(BaseModel):
    """One endpoint named by discovery."""

    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class Discovery(BaseModel):
    """Where this endpoint is and how to get an API key."""

    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class ServiceEntry(BaseModel):
    """One request type residents may report."""

    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ServiceList(RootModel[list[ServiceEntry]]):
    """Every request type."""


class AttributeValue(BaseModel):
    """One choice of a list attribute."""

    key: str
    name: str


class AttributeEntry(BaseModel):
    """An extra question of a service."""

    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[AttributeValue]


class ServiceDefinition(BaseModel):
    """The extra questions of one service."""

    service_code: str
    attributes: list[AttributeEntry]


class ServiceRequestEntry(BaseModel):
    """A request as GET answers it; a token lookup or a new request carries fewer members."""

    model_config = ConfigDict(extra="allow")

    service_request_id: int | None = None
    token: str | None = None
    status: str | None = None
    status_notes: str | None = None
    service_name: str | None = None
    service_code: str | None = None
    description: str | None = None
    agency_responsible: str | None = None
    service_notice: str | None = None
    account_id: str | None = None
    requested_datetime: str | None = None
    updated_datetime: str | None = None
    expected_datetime: str | None = None
    address: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


class ServiceRequests(RootModel[list[ServiceRequestEntry]]):
    """Requests, a new request's receipt, or a token's request id: always a list."""
