"""A big seed is made and written in chunks: the chunks do not change the city, lamp codes stay
well-formed past 99,999 lamps in a kecamatan, and each lamp's row agrees with its history."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from geo_assets.seed import plan, seed_city
from geo_assets.seed.lamps import LampCoder
from tests.factories import add_lamp
from tests.seed.test_seed_command import _digest


def test_small_chunks_and_event_batches_seed_the_same_city(
    engine: Engine, seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lamps made and written in chunks of 1,000 give the very rows of one chunk of 14,000."""
    monkeypatch.setattr(plan, "LAMP_CHUNK", 1_000)
    summary = seed_city(engine)
    assert (summary.lamps, summary.lamp_events) == (14_000, 32_560)
    assert _digest(engine) == _digest(seeded_engine)


def test_lamp_codes_take_more_digits_past_99999(engine: Engine) -> None:
    """Lamp 100,000 of a kecamatan is PJU-63.72.04-100000, and the lamp table stores it."""
    coder = LampCoder()
    codes = coder.codes(["63.72.04"] * 60_000) + coder.codes(["63.72.04"] * 40_000)
    codes += coder.codes(["63.72.04", "63.72.05"])
    assert codes[99_998:] == [
        "PJU-63.72.04-99999",
        "PJU-63.72.04-100000",
        "PJU-63.72.04-100001",
        "PJU-63.72.05-00001",
    ]
    assert len(set(codes)) == len(codes)
    with engine.begin() as connection:
        add_lamp(connection, code="PJU-63.72.04-100000")
    with pytest.raises(IntegrityError, match="ck_lamp_code_format"), engine.begin() as connection:
        add_lamp(connection, code="PJU-63.72.04-1000")


def test_lamp_rows_agree_with_their_history(seeded_engine: Engine) -> None:
    """Each lamp's status and time are its newest event's, its kelurahan the one covering it
    first (as the trigger picks), and events chain from_status in time order."""
    with seeded_engine.connect() as connection:
        wrong = connection.execute(
            text("""
            SELECT
              count(*) FILTER (WHERE n.to_status IS DISTINCT FROM l.status
                               OR n.occurred_at IS DISTINCT FROM l.status_changed_at),
              count(*) FILTER (WHERE l.kelurahan_id IS DISTINCT FROM (
                  SELECT k.id FROM kelurahan k WHERE ST_Covers(k.geom, l.geom)
                  ORDER BY k.id LIMIT 1)),
              count(*) FILTER (WHERE l.version <> 2)
            FROM lamp l
            LEFT JOIN LATERAL (
                SELECT e.to_status, e.occurred_at FROM lamp_event e WHERE e.lamp_id = l.id
                ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
            ) n ON true
        """)
        ).one()
        broken_chains = connection.execute(
            text("""
            SELECT count(*) FROM (
                SELECT from_status, lag(to_status) OVER (
                    PARTITION BY lamp_id ORDER BY occurred_at, id) AS previous
                FROM lamp_event
            ) e WHERE e.from_status IS DISTINCT FROM e.previous
        """)
        ).scalar_one()
    assert tuple(wrong) == (0, 0, 0)
    assert broken_chains == 0
