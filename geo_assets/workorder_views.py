"""Reading work orders: the list staff and crews see, with due time, overdue flag and distance.

The rules that change work orders are in `geo_assets.workorders`, which re-exports these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Float, Row, and_, cast, func, null, select, text

from geo_assets import tables
from geo_assets.errors import InvalidInput, NotFound
from geo_assets.models import SRID
from geo_assets.services import service_name
from geo_assets.vocab import WORK_STATE, codes

ACTIVE_STATES = ("open", "assigned", "in_progress")
ASSIGNABLE_ROLES = ("crew", "staff")

request_table = tables.SERVICE_REQUEST
lamp_table = tables.LAMP
user_table = tables.APP_USER


def point(lon: float, lat: float):  # noqa: ANN201 - a SQL expression
    """The lon/lat point as a PostGIS geometry in SRID 4326."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


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


def _select_orders(now: datetime, near: tuple[float, float] | None):  # noqa: ANN202
    sr, lamp, user = request_table, lamp_table, user_table
    duplicate = request_table.alias("duplicate")
    # Counted in one grouped pass; a correlated count per order scanned all requests each time.
    merged = (
        select(duplicate.c.duplicate_of_id.label("id"), func.count().label("n"))
        .where(duplicate.c.duplicate_of_id.is_not(None))
        .group_by(duplicate.c.duplicate_of_id)
        .subquery("merged")
    )
    duplicates = func.coalesce(merged.c.n, 0)
    where = func.coalesce(sr.c.geom, lamp.c.geom)
    distance = (
        func.ST_Distance(func.geography(where), func.geography(point(*near)))
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
            sr.outerjoin(lamp, lamp.c.id == sr.c.lamp_id)
            .outerjoin(user, user.c.id == sr.c.assignee_id)
            .outerjoin(merged, merged.c.id == sr.c.id)
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
