"""A lamp's status at a past moment, from its append-only event history (SQLAlchemy Core)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    FromClause,
    Select,
    Subquery,
    case,
    cast,
    func,
    null,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.sql import literal

from geo_assets import tables


def status_before_first_event(event: FromClause) -> ColumnElement[str | None]:
    """What a lamp was before its first `event`.

    The from_status if the event says; else, when the first event is `working` or `planned`,
    the lamp did not exist yet (it was installed or planned then: NULL); else (first news is a
    fault of an imported lamp) it was working.
    """
    return func.coalesce(
        event.c.from_status,
        case((event.c.to_status.in_(("working", "planned")), null()), else_=literal("working")),
    )


def first_events() -> Subquery:
    """Each lamp's first event: lamp_id, occurred_at and the status before it (`before_status`)."""
    e = tables.LAMP_EVENT.alias("e")
    return (
        select(e.c.lamp_id, e.c.occurred_at, status_before_first_event(e).label("before_status"))
        .ext(distinct_on(e.c.lamp_id))
        .order_by(e.c.lamp_id, e.c.occurred_at, e.c.id)
        .subquery("first_event")
    )


def lamp_states(at: datetime | None) -> Select[tuple]:
    """Every lamp (id, kelurahan_id, road_id, wattage, lamp_type, pole_height_m, geom, status)
    with its status now (`at` None) or at the moment `at`.

    Status at `at` = the newest event at or before `at`, else the status before the first
    event; a lamp with no events at all has its current status. Lamps installed after `at`, or
    without a status then, did not exist yet. Set-based (two DISTINCT ON scans of the events),
    so it stays fast for every lamp of the city at once.
    """
    lamp = tables.LAMP
    columns = (
        lamp.c.id,
        lamp.c.kelurahan_id,
        lamp.c.road_id,
        lamp.c.wattage,
        lamp.c.lamp_type,
        lamp.c.pole_height_m,
        lamp.c.geom,
    )
    if at is None:
        return select(*columns, lamp.c.status)
    e = tables.LAMP_EVENT.alias("e")
    last = (
        select(e.c.lamp_id, e.c.to_status)
        .where(e.c.occurred_at <= at)
        .ext(distinct_on(e.c.lamp_id))
        .order_by(e.c.lamp_id, e.c.occurred_at.desc(), e.c.id.desc())
        .subquery("last_event")
    )
    first = first_events()
    # installed_on is a date: compared as a timestamptz (its midnight in the session's zone).
    moment = cast(literal(at, DateTime(timezone=True)), DateTime(timezone=True))
    status = case(
        (first.c.lamp_id.is_(None), lamp.c.status),
        else_=func.coalesce(last.c.to_status, first.c.before_status),
    )
    return (
        select(*columns, status.label("status"))
        .select_from(
            lamp.outerjoin(last, last.c.lamp_id == lamp.c.id).outerjoin(
                first, first.c.lamp_id == lamp.c.id
            )
        )
        .where(or_(lamp.c.installed_on.is_(None), lamp.c.installed_on <= moment))
    )
