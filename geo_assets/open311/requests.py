"""Requests read back in the GeoReport v2 shape: field names and order as the specification's.

Personal data (names, e-mail, phone, device) never leaves through here: the specification's
request fields carry none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, select

from geo_assets import tables
from geo_assets.errors import InvalidInput, NotFound
from geo_assets.open311.notices import LOCAL_TZ, notice_for
from geo_assets.services import service_name
from geo_assets.vocab import REQUEST_STATUS

MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000


def w3_time(moment: datetime | None) -> str | None:
    """A time in the w3 subset of ISO 8601 with its offset, in Banjarbaru time (WITA)."""
    return moment.astimezone(LOCAL_TZ).isoformat(timespec="seconds") if moment else None


def _select():  # noqa: ANN202 - a SQLAlchemy select
    sr = tables.SERVICE_REQUEST
    original = sr.alias("original")
    lamp, kelurahan = tables.LAMP, tables.KELURAHAN
    return select(
        sr.c.id,
        sr.c.status,
        sr.c.status_notes,
        sr.c.service_code,
        sr.c.description,
        sr.c.agency_responsible,
        sr.c.requested_at,
        sr.c.updated_at,
        func.coalesce(original.c.due_at, sr.c.due_at).label("due_at"),
        sr.c.address_string,
        sr.c.media_url,
        sr.c.duplicate_of_id,
        sr.c.source,
        sr.c.token,
        func.coalesce(sr.c.lat, func.ST_Y(lamp.c.geom)).label("lat"),
        func.coalesce(sr.c.lon, func.ST_X(lamp.c.geom)).label("lon"),
        lamp.c.code.label("lamp_code"),
        kelurahan.c.name.label("kelurahan"),
    ).select_from(
        sr.outerjoin(original, original.c.id == sr.c.duplicate_of_id)
        .outerjoin(lamp, lamp.c.id == sr.c.lamp_id)
        .outerjoin(kelurahan, kelurahan.c.id == lamp.c.kelurahan_id)
    )


def _address(row: Row) -> str | None:
    if row.address_string:
        return row.address_string
    if row.lamp_code:
        return f"Lampu {row.lamp_code}" + (f", {row.kelurahan}" if row.kelurahan else "")
    return None


def as_spec(row: Row) -> dict[str, Any]:
    """One request with exactly the specification's fields, in its order."""
    return {
        "service_request_id": row.id,
        "status": row.status,
        "status_notes": row.status_notes,
        "service_name": service_name(row.service_code),
        "service_code": row.service_code,
        "description": row.description,
        "agency_responsible": row.agency_responsible,
        "service_notice": notice_for(row, lamp_code=row.lamp_code, due=row.due_at),
        "requested_datetime": w3_time(row.requested_at),
        "updated_datetime": w3_time(row.updated_at),
        "expected_datetime": w3_time(row.due_at),
        "address": _address(row),
        "address_id": None,
        "zipcode": None,
        "lat": row.lat,
        "long": row.lon,
        "media_url": row.media_url,
    }


def get_request(connection: Connection, *, request_id: int) -> dict[str, Any]:
    """One request; NotFound for an unknown id."""
    row = connection.execute(
        _select().where(tables.SERVICE_REQUEST.c.id == request_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"service_request_id {request_id} was not found.")
    return as_spec(row)


def request_for_token(connection: Connection, *, token: str) -> dict[str, Any]:
    """The request id a token stands for (GET tokens/{token})."""
    sr = tables.SERVICE_REQUEST
    request_id = connection.execute(select(sr.c.id).where(sr.c.token == token)).scalar()
    if request_id is None:
        raise NotFound(f"token {token} was not found.")
    return {"service_request_id": request_id, "token": token}


def _window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    if start and end:
        if end < start:
            raise InvalidInput("end_date is before start_date.")
        if end - start > MAX_SPAN:
            raise InvalidInput("start_date and end_date may not span more than 90 days.")
        return start, end
    if start:
        return start, start + MAX_SPAN
    end = end or now
    return end - MAX_SPAN, end


def list_requests(
    connection: Connection,
    *,
    ids: Sequence[int] | None = None,
    service_codes: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Sequence[str] | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Requests by id (which overrides every other argument), else by filters; newest first.

    Without dates the most recent 90 days are searched; at most 1000 requests are returned.
    """
    sr = tables.SERVICE_REQUEST
    query = _select()
    if ids:
        query = query.where(sr.c.id.in_(ids))
    else:
        for status in statuses or ():
            if status not in REQUEST_STATUS:
                raise InvalidInput(f"status '{status}' is not one of: open, closed.")
        low, high = _window(start, end, now or datetime.now(UTC))
        query = query.where(sr.c.requested_at >= low, sr.c.requested_at <= high)
        if service_codes:
            query = query.where(sr.c.service_code.in_(service_codes))
        if statuses:
            query = query.where(sr.c.status.in_(statuses))
    rows = connection.execute(
        query.order_by(sr.c.requested_at.desc(), sr.c.id.desc()).limit(MAX_RESULTS)
    )
    return [as_spec(row) for row in rows]
