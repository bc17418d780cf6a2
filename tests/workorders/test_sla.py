"""The SLA clock: due times per service, overdue when live past due, and the 7-day reopen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from geo_assets import workorders
from geo_assets.open311.intake import Report, submit_report
from geo_assets.settings import Settings
from tests.open311.builders import lamp_events, lonlat
from tests.workorders.crews import Crew

T0 = datetime(2026, 11, 2, 19, 30, tzinfo=UTC)


class CitySettings(Settings):
    """Settings of a city that wants pole damage fixed within a day."""

    sla_hours_by_service: dict[str, float] = {"streetlight_damaged": 24.0}


def _submit(
    crew: Crew, settings: Settings, now: datetime, dx: float = 3.0, service: str = "streetlight_out"
) -> int:
    with crew.engine.begin() as conn:
        lon, lat = lonlat(conn, dx, 0)
        receipt = submit_report(
            conn,
            report=Report(service_code=service, lon=lon, lat=lat),
            api_key=None,
            settings=settings,
            now=now,
        )
    return receipt.service_request_id


def _order(crew: Crew, order_id: int, now: datetime) -> workorders.WorkOrder:
    with crew.engine.connect() as conn:
        return workorders.get_work_order(conn, work_order_id=order_id, now=now)


def test_due_time_is_the_default_sla(crew: Crew, settings: Settings) -> None:
    """A report is due settings.sla_hours (72 h by default) after it was made."""
    order = _order(crew, _submit(crew, settings, T0), T0)
    assert order.due_at == T0 + timedelta(hours=72)
    shorter = settings.model_copy(update={"sla_hours": 48.0})
    order = _order(crew, _submit(crew, shorter, T0, dx=300), T0)
    assert order.due_at == T0 + timedelta(hours=48)


def test_sla_is_configurable_per_service(crew: Crew, db_url: str) -> None:
    """A per-service SLA applies to that service only; others keep the default."""
    settings = CitySettings(database_url=db_url)
    damaged = _order(crew, _submit(crew, settings, T0, service="streetlight_damaged"), T0)
    out = _order(crew, _submit(crew, settings, T0, dx=300), T0)
    assert damaged.due_at == T0 + timedelta(hours=24)
    assert out.due_at == T0 + timedelta(hours=72)


def test_overdue_only_when_live_past_due(crew: Crew, settings: Settings) -> None:
    """An open order is overdue one minute after its due time, not before; resolved never is."""
    order_id = _submit(crew, settings, T0)
    due = T0 + timedelta(hours=72)
    assert not _order(crew, order_id, due - timedelta(minutes=1)).overdue
    assert _order(crew, order_id, due + timedelta(minutes=1)).overdue
    with crew.engine.connect() as conn:
        late = workorders.list_work_orders(conn, overdue=True, now=due + timedelta(minutes=1))
        on_time = workorders.list_work_orders(conn, overdue=False, now=due - timedelta(hours=1))
    assert [o.id for o in late] == [order_id] and [o.id for o in on_time] == [order_id]
    with crew.engine.begin() as conn:
        workorders.change_state(
            conn,
            work_order_id=order_id,
            to_state="resolved",
            resolution="not_fixed",
            actor=crew.staff,
            settings=settings,
            now=due - timedelta(hours=1),
        )
    assert not _order(crew, order_id, due + timedelta(days=30)).overdue


def _fix(crew: Crew, settings: Settings, order_id: int, now: datetime) -> None:
    with crew.engine.begin() as conn:
        workorders.assign_work_order(
            conn, work_order_id=order_id, assignee="budi", actor=crew.staff
        )
        workorders.change_state(
            conn,
            work_order_id=order_id,
            to_state="resolved",
            resolution="fixed",
            actor=crew.budi,
            settings=settings,
            now=now,
        )


def test_new_report_within_7_days_of_a_fix_reopens(crew: Crew, settings: Settings) -> None:
    """A report 3 days after lamp A was fixed reopens its order on a fresh clock; no new order."""
    order_id = _submit(crew, settings, T0)
    fixed_at = T0 + timedelta(days=1)
    _fix(crew, settings, order_id, fixed_at)
    again = fixed_at + timedelta(days=3)
    new_id = _submit(crew, settings, again, dx=-4)
    order = _order(crew, order_id, again)
    assert (order.state, order.status, order.assignee, order.reopened_count) == (
        "assigned",
        "open",
        "budi",
        1,
    )
    assert order.resolution is None and order.due_at == again + timedelta(hours=72)
    with crew.engine.connect() as conn:
        duplicate_of = conn.execute(
            text("SELECT duplicate_of_id FROM service_request WHERE id = :i"), {"i": new_id}
        ).scalar()
        history = lamp_events(conn, crew.lamp_a)
    assert duplicate_of == order_id
    assert [status for status, _ in history] == ["working", "out", "working", "out"]


def test_report_after_7_days_opens_a_new_order(crew: Crew, settings: Settings) -> None:
    """Eight days after the fix, a new report is a new work order; the old one stays resolved."""
    order_id = _submit(crew, settings, T0)
    _fix(crew, settings, order_id, T0 + timedelta(days=1))
    later = T0 + timedelta(days=9)
    new_id = _submit(crew, settings, later)
    assert new_id != order_id
    assert _order(crew, new_id, later).state == "open"
    assert _order(crew, order_id, later).state == "resolved"
