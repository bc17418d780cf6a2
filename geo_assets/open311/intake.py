"""A resident's report becomes a stored request: snapped to a lamp, merged, on the SLA clock.

- A report of a lighting service within 30 m of a lamp is linked to the nearest lamp, and a
  working lamp moves to the service's status (`out`, or `damaged`) by a lamp event with source
  `open311`.
- A report is merged as a duplicate of the first live work order for the same lamp, or else of
  the same service within 50 m (unless both are linked to different lamps: two dark lamps side
  by side are two faults). A report on a lamp fixed in the last 7 days reopens that lamp's work
  order and is merged into it. A duplicate keeps its own id and follows its original's status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Row, func, or_, select, update

from geo_assets import tables
from geo_assets.bulk import set_actor
from geo_assets.errors import InvalidInput
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models import SRID, Lamp
from geo_assets.open311.keys import ApiKeyInfo
from geo_assets.open311.notices import LOCAL_TZ, notice_for
from geo_assets.open311.services import check_attributes
from geo_assets.services import Service, get_service
from geo_assets.settings import Settings
from geo_assets.workorders import (
    ACTIVE_STATES,
    active_for_lamp,
    lock_lamp,
    open_order,
    recently_fixed_for_lamp,
    reopen,
)

SNAP_METRES = 30.0
DUPLICATE_METRES = 50.0
# The city (SPEC §4) with a margin: reports from elsewhere are someone else's to fix.
CITY_BBOX = (114.62, -3.62, 114.96, -3.33)
MAX_DESCRIPTION = 4000
TEXT_LIMITS = {
    "address_string": 255,
    "address_id": 80,
    "email": 120,
    "device_id": 80,
    "account_id": 80,
    "first_name": 80,
    "last_name": 80,
    "phone": 40,
    "media_url": 500,
}
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


@dataclass(frozen=True)
class Report:
    """A POST requests submission, parsed; text fields are None when absent or empty."""

    service_code: str | None
    lon: float | None = None
    lat: float | None = None
    description: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    """The answer to a report: its id, token and notice (GeoReport v2 POST response)."""

    service_request_id: int
    token: str
    service_notice: str
    account_id: str | None
    duplicate_of: int | None
    lamp_id: int | None


def _number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a number in decimal degrees, not '{value}'.") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{name} must be a finite number.")
    return number


def parse_report(form: Mapping[str, Sequence[str]]) -> Report:
    """Read a form (each name with its values) into a Report; checks types and lengths."""

    def one(name: str) -> str | None:
        values = [value.strip() for value in form.get(name, ()) if value.strip()]
        return values[0] if values else None

    attributes: dict[str, list[str]] = {}
    for name, values in form.items():
        match = _ATTRIBUTE_KEY.match(name)
        if match:
            attributes.setdefault(match.group(1), []).extend(v.strip() for v in values)
    lat, lon = one("lat"), one("long")
    if (lat is None) != (lon is None):
        raise InvalidInput("lat and long must be sent together.")
    description = one("description")
    if description and len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"description is limited to {MAX_DESCRIPTION} characters.")
    texts = {name: value for name in TEXT_LIMITS if (value := one(name)) is not None}
    for name, value in texts.items():
        if len(value) > TEXT_LIMITS[name]:
            raise InvalidInput(f"{name} is limited to {TEXT_LIMITS[name]} characters.")
    media_url = texts.get("media_url")
    if media_url and not media_url.lower().startswith(("http://", "https://")):
        raise InvalidInput("media_url must be an http:// or https:// URL.")
    return Report(
        service_code=one("service_code"),
        lon=_number("long", lon) if lon is not None else None,
        lat=_number("lat", lat) if lat is not None else None,
        description=description,
        attributes=attributes,
        texts=texts,
    )


def _check_location(report: Report) -> None:
    if report.lon is None:
        if "address_string" not in report.texts:
            hint = " (address_id is not known here)" if "address_id" in report.texts else ""
            raise InvalidInput(f"A location is required: lat and long, or address_string{hint}.")
        return
    west, south, east, north = CITY_BBOX
    if not (west <= report.lon <= east and south <= (report.lat or 0) <= north):
        raise InvalidInput(
            f"lat {report.lat}, long {report.lon} lies outside Banjarbaru "
            f"(long {west}..{east}, lat {south}..{north})."
        )


def _point(lon: float, lat: float):  # noqa: ANN202 - a SQL expression
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def snap_to_lamp(
    connection: Connection, *, lon: float, lat: float, within_m: float = SNAP_METRES
) -> Row | None:
    """The nearest lamp in service within `within_m` metres of (lon, lat), with its distance."""
    point = _point(lon, lat)
    # KNN on the GIST index picks a few candidates; geography then measures them in metres.
    candidates = (
        select(Lamp.id, Lamp.code, Lamp.geom)
        .where(Lamp.status.notin_(("planned", "decommissioned")))
        .order_by(Lamp.geom.op("<->")(point))
        .limit(8)
        .subquery()
    )
    distance = func.ST_Distance(func.geography(candidates.c.geom), func.geography(point))
    return connection.execute(
        select(candidates.c.id, candidates.c.code, distance.label("distance_m"))
        .where(func.ST_DWithin(func.geography(candidates.c.geom), func.geography(point), within_m))
        .order_by(distance)
        .limit(1)
    ).one_or_none()


def _nearby_same_service(
    connection: Connection, *, service: Service, report: Report, lamp_id: int | None
) -> Row | None:
    if report.lon is None or report.lat is None:
        return None
    sr = tables.SERVICE_REQUEST
    point = _point(report.lon, report.lat)
    query = (
        select(sr)
        .where(
            sr.c.service_code == service.code,
            sr.c.duplicate_of_id.is_(None),
            sr.c.work_state.in_(ACTIVE_STATES),
            sr.c.geom.is_not(None),
            func.ST_DWithin(func.geography(sr.c.geom), func.geography(point), DUPLICATE_METRES),
        )
        .order_by(sr.c.requested_at, sr.c.id)
        .limit(1)
        .with_for_update()
    )
    if lamp_id is not None:
        query = query.where(or_(sr.c.lamp_id.is_(None), sr.c.lamp_id == lamp_id))
    return connection.execute(query).one_or_none()


def _merge_target(
    connection: Connection,
    *,
    service: Service,
    report: Report,
    lamp: Row | None,
    settings: Settings,
    now: datetime,
) -> Row | None:
    """The live work order this report duplicates, reopening a recent fix if need be."""
    sr = tables.SERVICE_REQUEST
    if lamp is not None:
        target = active_for_lamp(connection, lamp_id=lamp.id)
        if target is not None:
            return target
    target = _nearby_same_service(
        connection, service=service, report=report, lamp_id=lamp.id if lamp else None
    )
    if target is not None and lamp is not None and target.lamp_id is None:
        connection.execute(
            update(sr).where(sr.c.id == target.id).values(lamp_id=lamp.id, version=sr.c.version + 1)
        )
    if target is None and lamp is not None:
        target = recently_fixed_for_lamp(connection, lamp_id=lamp.id, now=now)
        if target is not None:
            reopen(
                connection,
                row=target,
                settings=settings,
                now=now,
                notes=f"Dibuka kembali: lampu {lamp.code} dilaporkan lagi kurang dari 7 hari "
                f"setelah diperbaiki. (Reopened: reported again within 7 days of a fix.)",
            )
    if target is None:
        return None
    return connection.execute(select(sr).where(sr.c.id == target.id)).one()


def _fields(
    report: Report, attributes: dict[str, list[str]], api_key: ApiKeyInfo | None
) -> dict[str, object]:
    texts = dict(report.texts)
    texts.pop("address_id", None)  # no address register here; kept out of the row
    return {
        "description": report.description,
        "attributes": attributes or None,
        "api_key_id": api_key.id if api_key else None,
        **texts,
    }


def submit_report(
    connection: Connection,
    *,
    report: Report,
    api_key: ApiKeyInfo | None,
    settings: Settings,
    now: datetime | None = None,
) -> Receipt:
    """Store a resident's report and answer with its id and a notice (see module doc)."""
    now = now or datetime.now(UTC)
    if not report.service_code:
        raise InvalidInput("service_code was not provided.")
    service = get_service(report.service_code)
    attributes = check_attributes(service, report.attributes)
    _check_location(report)
    actor = f"open311:{api_key.name}" if api_key else "open311"
    set_actor(connection, actor)
    lamp = None
    if service.lamp_status and report.lon is not None and report.lat is not None:
        snapped = snap_to_lamp(connection, lon=report.lon, lat=report.lat)
        lamp = lock_lamp(connection, lamp_id=snapped.id) if snapped else None
    target = _merge_target(
        connection, service=service, report=report, lamp=lamp, settings=settings, now=now
    )
    fields = _fields(report, attributes, api_key)
    if target is None:
        row = open_order(
            connection,
            service_code=service.code,
            source="open311",
            requested_at=now,
            settings=settings,
            lamp_id=lamp.id if lamp else None,
            lon=report.lon,
            lat=report.lat,
            agency=service.agency,
            **fields,
        )
    else:
        row = _insert_duplicate(
            connection,
            service=service,
            report=report,
            lamp=lamp,
            target=target,
            now=now,
            fields=fields,
        )
    if lamp is not None and lamp.status == "working":
        record_lamp_events(
            connection,
            [
                NewLampEvent(
                    lamp_id=lamp.id,
                    to_status=service.lamp_status or "out",
                    source="open311",
                    occurred_at=now,
                    note=report.description,
                    actor=actor,
                    service_request_id=target.id if target is not None else row.id,
                    idempotency_key=f"open311:{row.id}",
                )
            ],
        )
    return Receipt(
        service_request_id=row.id,
        token=row.token,
        service_notice=notice_for(
            row,
            lamp_code=lamp.code if lamp else None,
            due=target.due_at if target is not None else row.due_at,
        ),
        account_id=row.account_id,
        duplicate_of=target.id if target is not None else None,
        lamp_id=lamp.id if lamp else None,
    )


def _insert_duplicate(
    connection: Connection,
    *,
    service: Service,
    report: Report,
    lamp: Row | None,
    target: Row,
    now: datetime,
    fields: dict[str, object],
) -> Row:
    """A merged report: its own id, no work of its own, the original's due time and status."""
    sr = tables.SERVICE_REQUEST
    geom = None if report.lon is None or report.lat is None else _point(report.lon, report.lat)
    return connection.execute(
        sr.insert()
        .values(
            service_code=service.code,
            source="open311",
            requested_at=now,
            lon=report.lon,
            lat=report.lat,
            geom=geom,
            lamp_id=lamp.id if lamp else None,
            agency_responsible=service.agency,
            duplicate_of_id=target.id,
            status=target.status,
            due_at=target.due_at,
            work_state="closed",
            resolution="duplicate",
            resolved_at=now,
            closed_at=now,
            **fields,
        )
        .returning(sr)
    ).one()


__all__ = ["LOCAL_TZ", "Receipt", "Report", "parse_report", "snap_to_lamp", "submit_report"]
