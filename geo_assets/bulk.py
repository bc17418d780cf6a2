"""Bulk writes with PostgreSQL COPY, inside the caller's SQLAlchemy transaction."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, text


def driver_connection(connection: Connection) -> Any:
    """The psycopg connection under a SQLAlchemy connection (same transaction)."""
    return connection.connection.driver_connection


def copy_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """COPY `rows` into `table`; geometry values may be EWKT strings. Returns the row count."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with driver_connection(connection).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def without_row_audit(
    connection: Connection, *, actor: str, summary: str, table: str, count: int
) -> None:
    """Switch row-level audit off for this transaction and log one summary row instead.

    A bulk load of 14,000 lamps would otherwise write 14,000 audit rows that say nothing more.
    """
    row_audit_off(connection)
    log_bulk_write(connection, actor=actor, summary=summary, table=table, count=count)


def row_audit_off(connection: Connection) -> None:
    """Switch row-level audit off until this transaction ends; log_bulk_write says what was done."""
    connection.execute(text("SELECT set_config('geo_assets.audit', 'off', true)"))


def log_bulk_write(
    connection: Connection, *, actor: str, summary: str, table: str, count: int
) -> None:
    """One audit row for a bulk write: who, which table, what and how many rows."""
    connection.execute(
        text(
            "INSERT INTO audit_log (actor, action, table_name, after) "
            "VALUES (:actor, 'bulk', :table, "
            "jsonb_build_object('summary', CAST(:summary AS text), 'rows', CAST(:n AS integer)))"
        ),
        {"actor": actor, "table": table, "summary": summary, "n": count},
    )


def set_actor(connection: Connection, actor: str) -> None:
    """Name who writes in this transaction; the audit trigger records it."""
    connection.execute(
        text("SELECT set_config('geo_assets.actor', :actor, true)"), {"actor": actor}
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector during a bulk read, check and write.

    A bulk load makes millions of small objects (parsed JSON, row values) that reference
    counting frees; the collector, woken every 700 allocations, walked them all again and again
    (a fifth of a 14,000-lamp import). A caller working in slices collects the young
    generations between them (`gc.collect(1)`), so memory stays flat. Nested uses are fine; the
    collector is as before afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
