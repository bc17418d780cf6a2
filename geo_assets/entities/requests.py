"""Residents' service requests (Open311 reports) and the work orders they carry."""

from __future__ import annotations

from geo_assets.entities.base import Column, Entity, Kind, Label
from geo_assets.entities.filters import IN_AREA, exact, one_of, points_at
from geo_assets.vocab import REQUEST_STATUS, WORK_STATE


def _read_only(
    name: str,
    kind: Kind = "text",
    *,
    temporal: bool = False,
    personal: bool = False,
    on_tile: bool = False,
) -> Column:
    """A column the service-request intake writes: read on /api/v1 (staff only when personal),
    never imported or exported."""
    return Column(
        name,
        kind,
        writable=False,
        imported=False,
        exported=False,
        temporal=temporal,
        public=not personal,
        personal=personal,
        on_tile=on_tile,
    )


# Reporters' contacts: staff and admin only, never in a public list, an export or OGC.
_PERSONAL = ("first_name", "last_name", "email", "phone", "device_id", "account_id")

SERVICE_REQUESTS = Entity(
    name="service-requests",
    noun="service request",
    label=Label("Laporan warga", "Service requests"),
    table="service_request",
    geometry_type="Point",
    columns=(
        _read_only("service_code", on_tile=True),
        _read_only("description"),
        _read_only("address_string"),
        _read_only("media_url"),
        _read_only("status", on_tile=True),
        _read_only("status_notes"),
        _read_only("agency_responsible"),
        _read_only("requested_at", "datetime", temporal=True),
        _read_only("lamp_id", "id"),
        _read_only("duplicate_of_id", "id"),
        _read_only("work_state"),
        _read_only("assignee_id", "id"),
        _read_only("due_at", "datetime"),
        _read_only("resolution"),
        _read_only("resolved_at", "datetime"),
        _read_only("closed_at", "datetime"),
        *(_read_only(name, personal=True) for name in _PERSONAL),
    ),
    filters=(
        *IN_AREA,
        one_of("status", REQUEST_STATUS, "Status"),
        one_of("work_state", WORK_STATE, "Work-order state"),
        exact("service_code", "Service code."),
        points_at("lamp", "lamp_id", "lamp", "Lamp id or code.", many=False),
    ),
)
