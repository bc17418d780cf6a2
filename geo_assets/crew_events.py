"""A crew's status report on a lamp, and the work order it opens, moves or resolves.

How a fault event without a request becomes a work order: an `out` or `damaged` event on a lamp
with no live work order opens one (source `field`, or `staff` for staff; service
`streetlight_out` / `streetlight_damaged`; placed at the lamp; due by the SLA from when the fault
was seen), or reopens the lamp's order fixed in the last 7 days. An `in_repair` event does the
same and puts the order in progress, assigned to the crew member when nobody had it. A `working`
event resolves the lamp's live order as fixed and closes its Open311 request. The event is
linked to the order it touched (`lamp_event.service_request_id`).

A retry with the same idempotency key returns the first event and changes nothing, and the
same key with another report is refused (even when both arrive at once); an event
older than the lamp's newest (a phone that was long offline) takes its place in history but
leaves work orders alone, since what it reports has been overtaken.

Every status report goes through `record_crew_event`, from /field and from /api/v1 alike, so the
rules of a report are checked in one place: its status (a crew reports faults and repairs only;
staff may also plan or decommission a lamp, which touches no work order), its time (with a time
zone, at most `settings.event_clock_skew_minutes` ahead of the server's clock, and for a crew at
most 30 days old), and its idempotency key (looked up once, with the lamp locked once).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Row, exists, select, update

from geo_assets import tables
from geo_assets.auth import Account
from geo_assets.bulk import set_actor
from geo_assets.errors import Forbidden, InvalidInput
from geo_assets.lamp_status import (
    FIELD_STATUSES,
    NewLampEvent,
    RecordedEvent,
    check_same_report,
    record_lamp_events,
)
from geo_assets.models import LampEvent
from geo_assets.services import SERVICE_FOR_LAMP_STATUS, get_service
from geo_assets.settings import Settings
from geo_assets.workorders import (
    STAFF_ROLES,
    active_for_lamp,
    lock_lamp,
    open_order,
    recently_fixed_for_lamp,
    reopen,
    resolve,
)

MAX_AGE = timedelta(days=30)


@dataclass(frozen=True)
class CrewEventResult:
    """The stored event, the work order it touched, and whether it was a replay."""

    event: RecordedEvent
    work_order_id: int | None
    replayed: bool


def _check(
    to_status: str, occurred_at: datetime, actor: Account, settings: Settings, now: datetime
) -> None:
    """The one check of a report's status and time (module doc)."""
    staff = actor.role in STAFF_ROLES
    if to_status not in FIELD_STATUSES and not staff:
        raise Forbidden(
            f"Your role '{actor.role}' reports {', '.join(FIELD_STATUSES)} only; setting a "
            f"lamp to '{to_status}' needs staff or admin."
        )
    if occurred_at.tzinfo is None:
        raise InvalidInput("occurred_at needs a time zone, e.g. 2026-11-27T19:40:00+08:00.")
    skew = timedelta(minutes=settings.event_clock_skew_minutes)
    if occurred_at > now + skew:
        raise InvalidInput(
            f"occurred_at {occurred_at.isoformat()} lies in the future (more than "
            f"{settings.event_clock_skew_minutes:g} minutes ahead): check the phone's clock."
        )
    # A phone's report from long ago is a wrong clock; staff may enter old paper records.
    if occurred_at < now - MAX_AGE and not staff:
        raise InvalidInput(
            f"occurred_at is more than {MAX_AGE.days} days ago: check the phone's clock "
            "(staff can enter older records)."
        )


def _recorded(connection: Connection, key: str) -> Row | None:
    """The event stored under the Idempotency-Key `key`, with what its report said."""
    return connection.execute(
        select(
            LampEvent.id,
            LampEvent.lamp_id,
            LampEvent.from_status,
            LampEvent.to_status,
            LampEvent.occurred_at,
            LampEvent.idempotency_key,
            LampEvent.note,
            LampEvent.photo,
            LampEvent.actor,
            LampEvent.service_request_id,
        ).where(LampEvent.idempotency_key == key)
    ).one_or_none()


def _replay(row: Row) -> CrewEventResult:
    """The first answer again: the stored event and the work order it touched."""
    event = RecordedEvent.from_row(row, replayed=True)
    return CrewEventResult(event=event, work_order_id=row.service_request_id, replayed=True)


def _overtaken(connection: Connection, lamp_id: int, occurred_at: datetime) -> bool:
    return bool(
        connection.execute(
            select(
                exists().where(LampEvent.lamp_id == lamp_id, LampEvent.occurred_at > occurred_at)
            )
        ).scalar()
    )


def _order_for_fault(
    connection: Connection,
    *,
    lamp: Row,
    to_status: str,
    actor: Account,
    note: str | None,
    occurred_at: datetime,
    settings: Settings,
) -> Row:
    order = active_for_lamp(connection, lamp_id=lamp.id)
    if order is not None:
        return order
    fixed = recently_fixed_for_lamp(connection, lamp_id=lamp.id, now=occurred_at)
    if fixed is not None:
        reopen(
            connection,
            row=fixed,
            settings=settings,
            now=occurred_at,
            notes=f"Dibuka kembali: petugas {actor.username} melaporkan lampu {lamp.code} "
            "rusak lagi dalam 7 hari. (Reopened by a crew report within 7 days.)",
        )
        return fixed
    service = get_service(SERVICE_FOR_LAMP_STATUS[to_status])
    return open_order(
        connection,
        service_code=service.code,
        source="staff" if actor.role in STAFF_ROLES else "field",
        requested_at=occurred_at,
        settings=settings,
        lamp_id=lamp.id,
        lon=lamp.lon,
        lat=lamp.lat,
        agency=service.agency,
        description=note,
    )


def _start(connection: Connection, order: Row, actor: Account) -> None:
    sr = tables.SERVICE_REQUEST
    current = connection.execute(
        select(sr.c.work_state, sr.c.assignee_id).where(sr.c.id == order.id)
    ).one()
    if current.work_state not in ("open", "assigned"):
        return
    assignee = current.assignee_id
    if assignee is None and actor.role == "crew":
        assignee = actor.id
    connection.execute(
        update(sr)
        .where(sr.c.id == order.id)
        .values(work_state="in_progress", assignee_id=assignee, version=sr.c.version + 1)
    )


def _touch_work_order(
    connection: Connection,
    *,
    lamp: Row,
    to_status: str,
    actor: Account,
    note: str | None,
    occurred_at: datetime,
    settings: Settings,
) -> int | None:
    if to_status == "working":
        order = active_for_lamp(connection, lamp_id=lamp.id)
        if order is None:
            return None
        resolve(
            connection,
            row=order,
            resolution="fixed",
            actor=actor,
            notes=note or f"Diperbaiki; lampu {lamp.code} menyala. (Fixed: the lamp burns.)",
            now=occurred_at,
            lamp_event=False,
        )
        return order.id
    order = _order_for_fault(
        connection,
        lamp=lamp,
        to_status=to_status,
        actor=actor,
        note=note,
        occurred_at=occurred_at,
        settings=settings,
    )
    if to_status == "in_repair":
        _start(connection, order, actor)
    return order.id


def record_crew_event(
    connection: Connection,
    *,
    lamp_id: int,
    to_status: str,
    actor: Account,
    occurred_at: datetime | None,
    idempotency_key: str,
    settings: Settings,
    note: str | None = None,
    photo: str | None = None,
    now: datetime | None = None,
) -> CrewEventResult:
    """Record a crew's (or staff's) report on a lamp and update its work order (module doc).

    `occurred_at` None means now. A key already used for another report (lamp, status, note,
    photo, account, or a given occurred_at differ) is IdempotencyKeyReused.
    """
    now = now or datetime.now(UTC)
    new = NewLampEvent(
        lamp_id=lamp_id,
        to_status=to_status,
        occurred_at=occurred_at or now,
        time_given=occurred_at is not None,
        note=note,
        photo=photo,
        source="staff" if actor.role in STAFF_ROLES else "field",
        actor=actor.username,
        idempotency_key=idempotency_key,
    )
    _check(to_status, new.occurred_at, actor, settings, now)
    set_actor(connection, actor.username)
    lamp = lock_lamp(connection, lamp_id=lamp_id)
    earlier = _recorded(connection, idempotency_key)
    if earlier is not None:
        check_same_report(earlier._mapping, new)
        return _replay(earlier)
    order_id = None
    if to_status in FIELD_STATUSES and not _overtaken(connection, lamp_id, new.occurred_at):
        order_id = _touch_work_order(
            connection,
            lamp=lamp,
            to_status=to_status,
            actor=actor,
            note=note,
            occurred_at=new.occurred_at,
            settings=settings,
        )
    new = replace(new, service_request_id=order_id)
    [event] = record_lamp_events(connection, [new], check_replays=True, locked=True)
    return CrewEventResult(event=event, work_order_id=order_id, replayed=event.replayed)
