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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Float, Row, and_, cast, func, null, select, text, update

from geo_assets.auth import Account
from geo_assets.bulk import set_actor
from geo_assets.errors import Conflict, InvalidInput, NotFound
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models import SRID, Lamp, ServiceRequest, User
from geo_assets.open311.services import due_at, service_name
from geo_assets.settings import Settings
from geo_assets.vocab import RESOLUTION, WORK_STATE, codes

ACTIVE_STATES = ("open", "assigned", "in_progress")
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
ASSIGNABLE_ROLES = ("crew", "staff")
STAFF_ROLES = ("admin", "staff")

request_table = ServiceRequest.__table__
lamp_table = Lamp.__table__
user_table = User.__table__


@dataclass(frozen=True)
class WorkOrder:
    """A work order as staff and crews see it."""

    id: int
    service_code: str
    service_name: str
    state: str
    status: str
    source: str
    lamp_id: int | None
    lamp_code: str | None
    lamp_status: str | None
    lon: float | None
    lat: float | None
    description: str | None
    address: str | None
    assignee: str | None
    assignee_name: str | None
    requested_at: datetime
    due_at: datetime | None
    overdue: bool
    resolution: str | None
    resolved_at: datetime | None
    closed_at: datetime | None
    status_notes: str | None
    reopened_count: int
    duplicates: int
    version: int
    distance_m: float | None = None


def is_overdue(*, state: str, due: datetime | None, now: datetime) -> bool:
    """True when a live work order is past its due time."""
    return state in ACTIVE_STATES and due is not None and due < now


def _point(lon: float, lat: float):  # noqa: ANN202 - a SQL expression
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def _select_orders(now: datetime, near: tuple[float, float] | None):  # noqa: ANN202
    sr, lamp, user = request_table, lamp_table, user_table
    duplicate = request_table.alias("duplicate")
    duplicates = (
        select(func.count())
        .where(duplicate.c.duplicate_of_id == sr.c.id)
        .correlate(sr)
        .scalar_subquery()
    )
    where = func.coalesce(sr.c.geom, lamp.c.geom)
    distance = (
        func.ST_Distance(func.geography(where), func.geography(_point(*near)))
        if near
        else cast(null(), Float)
    )
    return (
        select(
            sr.c.id,
            sr.c.service_code,
            sr.c.work_state.label("state"),
            sr.c.status,
            sr.c.source,
            sr.c.lamp_id,
            lamp.c.code.label("lamp_code"),
            lamp.c.status.label("lamp_status"),
            func.coalesce(sr.c.lon, func.ST_X(lamp.c.geom)).label("lon"),
            func.coalesce(sr.c.lat, func.ST_Y(lamp.c.geom)).label("lat"),
            sr.c.description,
            sr.c.address_string.label("address"),
            user.c.username.label("assignee"),
            user.c.full_name.label("assignee_name"),
            sr.c.requested_at,
            sr.c.due_at,
            sr.c.resolution,
            sr.c.resolved_at,
            sr.c.closed_at,
            sr.c.status_notes,
            sr.c.reopened_count,
            duplicates.label("duplicates"),
            sr.c.version,
            distance.label("distance_m"),
        )
        .select_from(
            sr.outerjoin(lamp, lamp.c.id == sr.c.lamp_id).outerjoin(
                user, user.c.id == sr.c.assignee_id
            )
        )
        .where(sr.c.duplicate_of_id.is_(None))
    )


def _order(row: Row, now: datetime) -> WorkOrder:
    values = dict(row._mapping)
    values["service_name"] = service_name(values["service_code"])
    values["overdue"] = is_overdue(state=values["state"], due=values["due_at"], now=now)
    return WorkOrder(**values)


def list_work_orders(
    connection: Connection,
    *,
    assignee_id: int | None = None,
    states: tuple[str, ...] | None = None,
    overdue: bool | None = None,
    near: tuple[float, float] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> list[WorkOrder]:
    """Work orders, filtered; nearest first when `near` (lon, lat) is given, else by due time."""
    now = now or datetime.now(UTC)
    for state in states or ():
        if state not in WORK_STATE:
            raise InvalidInput(f"Unknown state '{state}'. Allowed: {', '.join(codes(WORK_STATE))}.")
    query = _select_orders(now, near)
    sr = request_table
    if assignee_id is not None:
        query = query.where(sr.c.assignee_id == assignee_id)
    if states:
        query = query.where(sr.c.work_state.in_(states))
    if overdue is not None:
        late = and_(sr.c.work_state.in_(ACTIVE_STATES), sr.c.due_at < now)
        query = query.where(late if overdue else ~late)
    ordering = [text("distance_m")] if near else [sr.c.due_at.nulls_last()]
    rows = connection.execute(query.order_by(*ordering, sr.c.id).limit(limit))
    return [_order(row, now) for row in rows]


def get_work_order(
    connection: Connection, *, work_order_id: int, now: datetime | None = None
) -> WorkOrder:
    """One work order; NotFound for an unknown id or a merged duplicate."""
    now = now or datetime.now(UTC)
    row = connection.execute(
        _select_orders(now, None).where(request_table.c.id == work_order_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no work order {work_order_id}.")
    return _order(row, now)


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
            geom=_point(lon, lat) if lon is not None and lat is not None else None,
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


def user_id(connection: Connection, *, username: str) -> int:
    """The id of the user `username`; InvalidInput when there is none."""
    found = connection.execute(
        select(user_table.c.id).where(user_table.c.username == username)
    ).scalar()
    if found is None:
        raise InvalidInput(f"There is no user named '{username}'.")
    return found


def assignees(connection: Connection) -> list[dict[str, str | None]]:
    """Active users who may be given work: crews first, then staff."""
    rows = connection.execute(
        select(user_table.c.username, user_table.c.full_name, user_table.c.role)
        .where(user_table.c.is_active, user_table.c.role.in_(ASSIGNABLE_ROLES))
        .order_by(user_table.c.role, user_table.c.username)
    )
    return [dict(row._mapping) for row in rows]
