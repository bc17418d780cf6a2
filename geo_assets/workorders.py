"""Work orders: every open fault report or crew fault event, on an SLA clock, through its states.

A work order is a `service_request` row that is not a duplicate of another: a resident's Open311
report, or a crew's `out`/`damaged` event on a lamp that had no live work order (see
`geo_assets.crew_events`). Later reports of the same fault are merged into it as duplicates.

    open -> assigned -> in_progress -> resolved (fixed | not_fixed | duplicate) -> closed

Staff may also unassign (assigned -> open), reassign, resolve from any live state and reopen a
resolved or closed order; a crew member may only start and resolve the orders assigned to them.
Resolving closes the Open311 request (and its duplicates) with notes; resolving as `fixed`
records the lamp's `working` event. Overdue = live (open, assigned, in progress) past its due
time. A new fault on a lamp fixed in the last 7 days reopens that lamp's order instead of
starting a new one, so that fixes which do not last stay visible.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Row, func, select, update

from geo_assets.auth import Account
from geo_assets.bulk import set_actor
from geo_assets.errors import Conflict, InvalidInput, NotFound
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.services import due_at
from geo_assets.settings import Settings
from geo_assets.vocab import RESOLUTION, WORK_STATE, codes
from geo_assets.workorder_views import (
    ACTIVE_STATES,
    ASSIGNABLE_ROLES,
    WorkOrder,
    assignees,
    get_work_order,
    is_overdue,
    lamp_table,
    list_work_orders,
    point,
    request_table,
    user_id,
    user_table,
)

__all__ = [
    "ACTIVE_STATES",
    "WorkOrder",
    "assign_work_order",
    "assignees",
    "change_state",
    "get_work_order",
    "is_overdue",
    "list_work_orders",
    "open_order",
    "reopen",
    "resolve",
    "user_id",
]
REOPEN_WINDOW = timedelta(days=7)
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"assigned", "resolved"}),
    "assigned": frozenset({"assigned", "open", "in_progress", "resolved"}),
    "in_progress": frozenset({"assigned", "resolved"}),
    "resolved": frozenset({"closed", "open"}),
    "closed": frozenset({"open"}),
}
CREW_TRANSITIONS = frozenset(
    {("assigned", "in_progress"), ("assigned", "resolved"), ("in_progress", "resolved")}
)
STAFF_ROLES = ("admin", "staff")


def _lock(connection: Connection, work_order_id: int, version: int | None) -> Row:
    row = connection.execute(
        select(request_table)
        .where(request_table.c.id == work_order_id, request_table.c.duplicate_of_id.is_(None))
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no work order {work_order_id}.")
    if version is not None and row.version != version:
        raise Conflict(
            f"Work order {work_order_id} changed since you loaded it (version {version}, "
            f"now {row.version}): reload it and try again."
        )
    return row


def _update(connection: Connection, work_order_id: int, **values: object) -> None:
    connection.execute(
        update(request_table)
        .where(request_table.c.id == work_order_id)
        .values(version=request_table.c.version + 1, **values)
    )


def assign_work_order(
    connection: Connection,
    *,
    work_order_id: int,
    assignee: str,
    actor: Account,
    version: int | None = None,
    now: datetime | None = None,
) -> WorkOrder:
    """Give a live work order to `assignee` (a crew or staff user name)."""
    set_actor(connection, actor.username)
    row = _lock(connection, work_order_id, version)
    if row.work_state not in ("open", "assigned"):
        raise Conflict(
            f"Work order {work_order_id} is {row.work_state}: only an open or assigned order "
            "can be (re)assigned."
        )
    user = connection.execute(
        select(user_table.c.id, user_table.c.role, user_table.c.is_active).where(
            user_table.c.username == assignee
        )
    ).one_or_none()
    if user is None or not user.is_active:
        raise InvalidInput(f"There is no active user named '{assignee}' to assign.")
    if user.role not in ASSIGNABLE_ROLES:
        raise InvalidInput(f"'{assignee}' is {user.role}: work goes to a crew or staff member.")
    _update(connection, work_order_id, assignee_id=user.id, work_state="assigned")
    return get_work_order(connection, work_order_id=work_order_id, now=now)


def _check_transition(row: Row, to_state: str, actor: Account) -> None:
    if to_state not in WORK_STATE:
        raise InvalidInput(f"Unknown state '{to_state}'. Allowed: {', '.join(codes(WORK_STATE))}.")
    if to_state not in TRANSITIONS[row.work_state]:
        allowed = ", ".join(sorted(TRANSITIONS[row.work_state])) or "none"
        raise Conflict(
            f"Work order {row.id} is {row.work_state}; it cannot go to {to_state} "
            f"(allowed: {allowed})."
        )
    if actor.role in STAFF_ROLES:
        return
    if actor.role != "crew" or (row.work_state, to_state) not in CREW_TRANSITIONS:
        raise Conflict(
            f"A {actor.role} may not move a work order from {row.work_state} to "
            f"{to_state}; ask the staff."
        )
    if row.assignee_id != actor.id:
        raise Conflict(f"Work order {row.id} is not assigned to you.")


def change_state(
    connection: Connection,
    *,
    work_order_id: int,
    to_state: str,
    actor: Account,
    settings: Settings,
    resolution: str | None = None,
    notes: str | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> WorkOrder:
    """Move a work order to `to_state`, enforcing the state rules and who may do what."""
    now = now or datetime.now(UTC)
    set_actor(connection, actor.username)
    row = _lock(connection, work_order_id, version)
    if to_state == "assigned":
        raise InvalidInput("To assign, name the assignee (POST .../assign).")
    if (resolution is not None) != (to_state == "resolved"):
        raise InvalidInput(
            "A resolution (fixed, not_fixed, duplicate) is given exactly when resolving."
        )
    _check_transition(row, to_state, actor)
    if to_state == "resolved":
        resolve(connection, row=row, resolution=resolution or "", actor=actor, notes=notes, now=now)
    elif to_state == "closed":
        _update(connection, row.id, work_state="closed", closed_at=now)
    elif to_state == "in_progress":
        _update(connection, row.id, work_state="in_progress")
    elif row.work_state == "assigned":  # unassign
        _update(connection, row.id, work_state="open", assignee_id=None)
    else:
        reopen(
            connection,
            row=row,
            settings=settings,
            now=now,
            notes=notes or f"Dibuka kembali oleh {actor.username}.",
        )
    return get_work_order(connection, work_order_id=work_order_id, now=now)


def resolve(
    connection: Connection,
    *,
    row: Row,
    resolution: str,
    actor: Account,
    notes: str | None,
    now: datetime,
    lamp_event: bool = True,
) -> None:
    """Resolve the locked order `row`; close its Open311 request and its duplicates' too.

    As `fixed`, the lamp's `working` event is recorded unless `lamp_event` is false (the
    caller is recording that event itself).
    """
    if resolution not in RESOLUTION:
        raise InvalidInput(
            f"Unknown resolution '{resolution}'. Allowed: {', '.join(codes(RESOLUTION))}."
        )
    notes = notes or _default_notes(resolution)
    _update(
        connection,
        row.id,
        work_state="resolved",
        resolution=resolution,
        resolved_at=now,
        status="closed",
        status_notes=notes,
    )
    connection.execute(
        update(request_table)
        .where(request_table.c.duplicate_of_id == row.id, request_table.c.status == "open")
        .values(status="closed", status_notes=notes, version=request_table.c.version + 1)
    )
    if resolution == "fixed" and row.lamp_id is not None and lamp_event:
        record_lamp_events(
            connection,
            [
                NewLampEvent(
                    lamp_id=row.lamp_id,
                    to_status="working",
                    occurred_at=now,
                    note=notes,
                    source="staff" if actor.role in STAFF_ROLES else "field",
                    actor=actor.username,
                    service_request_id=row.id,
                    idempotency_key=f"workorder:{row.id}:fixed:{row.reopened_count}",
                )
            ],
        )


def _default_notes(resolution: str) -> str:
    return {
        "fixed": "Sudah diperbaiki. (Fixed.)",
        "not_fixed": "Tidak dapat diperbaiki oleh dinas; lihat catatan petugas. (Not fixed.)",
        "duplicate": "Duplikat laporan lain. (Duplicate request.)",
    }[resolution]


def reopen(
    connection: Connection, *, row: Row, settings: Settings, now: datetime, notes: str
) -> None:
    """Open the resolved or closed order `row` again, on a fresh SLA clock."""
    _update(
        connection,
        row.id,
        work_state="assigned" if row.assignee_id else "open",
        status="open",
        status_notes=notes,
        resolution=None,
        resolved_at=None,
        closed_at=None,
        due_at=due_at(row.service_code, now, settings),
        reopened_count=row.reopened_count + 1,
    )


def active_for_lamp(connection: Connection, *, lamp_id: int) -> Row | None:
    """The live work order of a lamp (locked), if any."""
    sr = request_table
    return connection.execute(
        select(sr)
        .where(
            sr.c.lamp_id == lamp_id,
            sr.c.duplicate_of_id.is_(None),
            sr.c.work_state.in_(ACTIVE_STATES),
        )
        .with_for_update()
    ).one_or_none()


def recently_fixed_for_lamp(connection: Connection, *, lamp_id: int, now: datetime) -> Row | None:
    """The lamp's order resolved as fixed within the reopen window (locked), if any."""
    sr = request_table
    return connection.execute(
        select(sr)
        .where(
            sr.c.lamp_id == lamp_id,
            sr.c.duplicate_of_id.is_(None),
            sr.c.resolution == "fixed",
            sr.c.resolved_at >= now - REOPEN_WINDOW,
        )
        .order_by(sr.c.resolved_at.desc())
        .limit(1)
        .with_for_update()
    ).one_or_none()


def open_order(
    connection: Connection,
    *,
    service_code: str,
    source: str,
    requested_at: datetime,
    settings: Settings,
    lamp_id: int | None = None,
    lon: float | None = None,
    lat: float | None = None,
    agency: str | None = None,
    **fields: object,
) -> Row:
    """Insert a new live work order (a request that is no duplicate) on the SLA clock."""
    row = connection.execute(
        request_table.insert()
        .values(
            service_code=service_code,
            source=source,
            requested_at=requested_at,
            due_at=due_at(service_code, requested_at, settings),
            lamp_id=lamp_id,
            lon=lon,
            lat=lat,
            geom=point(lon, lat) if lon is not None and lat is not None else None,
            agency_responsible=agency,
            status="open",
            work_state="open",
            **fields,
        )
        .returning(request_table)
    ).one()
    return row


def lock_lamp(connection: Connection, *, lamp_id: int) -> Row:
    """Lock a lamp row so that reports on it are handled one at a time."""
    row = connection.execute(
        select(
            lamp_table.c.id,
            lamp_table.c.code,
            lamp_table.c.status,
            func.ST_X(lamp_table.c.geom).label("lon"),
            func.ST_Y(lamp_table.c.geom).label("lat"),
        )
        .where(lamp_table.c.id == lamp_id)
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no lamp {lamp_id}.")
    return row
