"""The one path by which a lamp's status changes: appended events, replayable by key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from geo_assets.errors import InvalidInput, NotFound
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from tests.factories import add_lamp

T0 = datetime(2024, 3, 1, 19, 0, tzinfo=UTC)


def _lamp(conn) -> int:
    return add_lamp(conn, code="PJU-63.72.04-00001", lon=114.83, lat=-3.44)


def test_events_set_status_and_from_status(engine: Engine) -> None:
    """Each event records the status it left; the lamp shows the newest event's status."""
    with engine.begin() as conn:
        lamp_id = _lamp(conn)
        recorded = record_lamp_events(
            conn,
            [
                NewLampEvent(lamp_id, "working", "system", T0),
                NewLampEvent(lamp_id, "out", "field", T0 + timedelta(days=3)),
            ],
        )
    assert [(e.from_status, e.to_status) for e in recorded] == [
        (None, "working"),
        ("working", "out"),
    ]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM lamp")).scalar_one() == "out"


def test_same_key_replays_and_records_nothing_new(engine: Engine) -> None:
    """A retried submission with the same idempotency key returns the first event."""
    with engine.begin() as conn:
        lamp_id = _lamp(conn)
        first = record_lamp_events(
            conn, [NewLampEvent(lamp_id, "out", "field", T0, idempotency_key="k-1")]
        )[0]
    with engine.begin() as conn:
        again = record_lamp_events(
            conn, [NewLampEvent(lamp_id, "damaged", "field", T0, idempotency_key="k-1")]
        )[0]
        count = conn.execute(text("SELECT count(*) FROM lamp_event")).scalar_one()
    assert (first.replayed, again.replayed, again.id, again.to_status) == (
        False,
        True,
        first.id,
        "out",
    )
    assert count == 1


def test_late_event_does_not_override_newer(engine: Engine) -> None:
    """An offline event that arrives late joins the history but the newest event still rules."""
    with engine.begin() as conn:
        lamp_id = _lamp(conn)
        record_lamp_events(
            conn, [NewLampEvent(lamp_id, "working", "staff", T0 + timedelta(days=2))]
        )
        record_lamp_events(conn, [NewLampEvent(lamp_id, "out", "field", T0 + timedelta(days=1))])
        status = conn.execute(text("SELECT status FROM lamp")).scalar_one()
    assert status == "working"


def test_unknown_status_and_lamp_are_refused(engine: Engine) -> None:
    """A bad status names the allowed ones; an unknown lamp is NotFound; nothing is stored."""
    with engine.begin() as conn:
        lamp_id = _lamp(conn)
    with pytest.raises(InvalidInput, match="Allowed: working, out"), engine.begin() as conn:
        record_lamp_events(conn, [NewLampEvent(lamp_id, "burning", "field", T0)])
    with pytest.raises(NotFound), engine.begin() as conn:
        record_lamp_events(conn, [NewLampEvent(lamp_id + 99, "out", "field", T0)])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM lamp_event")).scalar_one() == 0


def test_history_cannot_be_rewritten(engine: Engine) -> None:
    """The database refuses to change or delete a lamp event."""
    with engine.begin() as conn:
        lamp_id = _lamp(conn)
        record_lamp_events(conn, [NewLampEvent(lamp_id, "out", "field", T0)])
    with pytest.raises(Exception, match="never changed"), engine.begin() as conn:
        conn.execute(text("UPDATE lamp_event SET note = 'x'"))
