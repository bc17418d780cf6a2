"""Bulk helpers: an array sent as one literal reads back exactly as the Python values."""

from __future__ import annotations

from sqlalchemy import Engine, text

from geo_assets.bulk import array_literal

AWKWARD = ["PJU-63.72.04-00001", "a,b", "{x}", 'say "hi"', "back\\slash", "", " pad ", "NULL", "é"]


def test_array_literal_reads_back_every_awkward_text(engine: Engine) -> None:
    """Commas, braces, quotes, backslashes, blanks and the word NULL survive the round trip."""
    with engine.connect() as conn:
        values = conn.execute(
            text("SELECT CAST(:values AS text[])"), {"values": array_literal(AWKWARD)}
        ).scalar_one()
        empty = conn.execute(
            text("SELECT cardinality(CAST(:values AS text[]))"), {"values": array_literal([])}
        ).scalar_one()
    assert values == AWKWARD
    assert empty == 0
