"""The importer's column-wise COPY stores exactly what psycopg's row-by-row COPY stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
from sqlalchemy import Engine, text

from geo_assets.bulk import copy_rows
from geo_assets.io.batch import copy_columns

COLUMNS = ("label", "whole", "real", "day", "moment", "amount", "flag", "blob")
TABLE = """CREATE TEMP TABLE {} (label text, whole bigint, real double precision, day date,
           moment timestamptz, amount numeric, flag boolean, blob bytea)"""
# Text that COPY must escape, NULL-lookalikes, Unicode, floats that only exact repr round-trips.
ROWS = [
    (
        "back\\slash",
        1,
        0.1,
        date(2024, 2, 29),
        datetime(2026, 1, 1, tzinfo=UTC),
        Decimal("1.50"),
        True,
        b"\x00\xff",
    ),
    (
        "tab\there",
        -(2**40),
        1e-7,
        None,
        datetime(2026, 1, 1, 7, tzinfo=timezone(timedelta(hours=8))),
        None,
        False,
        None,
    ),
    ("line\nbreak\r\n", None, 1 / 3, date(1999, 12, 31), None, Decimal("-0.001"), None, b""),
    (
        "\\N",
        0,
        -0.0,
        date(2026, 11, 29),
        datetime(2026, 11, 29, 20, 30, 5, 123456, tzinfo=UTC),
        Decimal("7"),
        True,
        b"\\",
    ),
    (None, 7, 123456789.123456789, date(2026, 11, 29), None, None, False, None),
    ("", 7, None, None, None, None, None, None),
    ("Lampu jalan · Jl. A. Yani km 5 — ✓", 2**62, 2.5e300, None, None, None, None, None),
]


def _stored(engine: Engine, rows: list[tuple]) -> tuple[list, list]:
    """The rows read back after COPY row by row (psycopg) and column by column (ours)."""
    with engine.connect() as connection:
        for name in ("by_row", "by_column"):
            connection.execute(text(TABLE.format(name)))
        copy_rows(connection, "by_row", COLUMNS, rows)
        columns = [np.array([row[i] for row in rows], dtype=object) for i in range(len(COLUMNS))]
        assert copy_columns(connection, "by_column", COLUMNS, columns) == len(rows)
        read = "SELECT * FROM {} ORDER BY ctid"
        by_row = connection.execute(text(read.format("by_row"))).all()
        by_column = connection.execute(text(read.format("by_column"))).all()
    return by_row, by_column


def test_column_copy_stores_what_row_copy_stores(engine: Engine) -> None:
    """Escapes, NULLs, '\\N' as text, Unicode, exact floats, dates, time zones, bytes: same rows."""
    by_row, by_column = _stored(engine, ROWS)
    assert by_column == by_row
    assert by_column[3][0] == "\\N" and by_column[4][0] is None
    assert by_column[2][2] == 1 / 3


def test_column_copy_keeps_mixed_numbers_apart(engine: Engine) -> None:
    """A column holding 1, 1.0 and True (equal as dict keys) is still written value by value."""
    rows = [("a", 1, 1, None, None, 1, True, None), ("b", 2, 1.0, None, None, 1.0, 1, None)]
    by_row, by_column = _stored(engine, rows)
    assert by_column == by_row
