"""Data versions: a number per table, bumped by a statement-level trigger (migration 0010).

A tile's ETag and its cache key come from the versions of the tables it is drawn from, so
they change exactly when the data might have.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import BigInteger, Column, Connection, DateTime, MetaData, Table, Text, select

# Not an ORM model: only the trigger writes it; tiles read it.
DATA_VERSION = Table(
    "data_version",
    MetaData(),
    Column("table_name", Text, primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)
# Bumped when what a tile holds changes for the same data (properties, merging rules).
TILE_FORMAT = "mvt-1"


def version_token(connection: Connection, table_names: tuple[str, ...]) -> str:
    """A short token that changes whenever one of `table_names` changes."""
    rows = connection.execute(
        select(DATA_VERSION.c.table_name, DATA_VERSION.c.version, DATA_VERSION.c.changed_at)
        .where(DATA_VERSION.c.table_name.in_(table_names))
        .order_by(DATA_VERSION.c.table_name)
    ).all()
    text = "|".join(f"{name}:{version}:{changed.timestamp()}" for name, version, changed in rows)
    return hashlib.sha1(f"{TILE_FORMAT}|{text}".encode(), usedforsecurity=False).hexdigest()[:20]
