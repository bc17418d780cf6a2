"""A file's rows on their way into a table: checked values by column, geometries, problems."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import shapely
from psycopg import sql
from sqlalchemy import Connection

from geo_assets.bulk import driver_connection
from geo_assets.io.entities import EntitySpec
from geo_assets.io.source import SourceTable
from geo_assets.io.validation import Problems
from geo_assets.models.base import SRID


@dataclass
class Batch:
    """Values by column name (object arrays, one entry per file row) and what is wrong."""

    spec: EntitySpec
    source: SourceTable
    problems: Problems
    columns: dict[str, pd.Series] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    geometry: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    ignored_columns: list[str] = field(default_factory=list)
    area: Any = None
    area_text: str = ""
    # Lookups that stay the same for every slice of one import (the city's area, kelurahan).
    shared: dict[str, Any] = field(default_factory=dict)
    # A slice of a larger file: its first row's place in the file (0 for the first slice), and
    # the values used more than once in the whole file, by field, with their file rows.
    first_row: int = 0
    repeated: dict[str, dict[str, list[int]]] | None = None

    def __len__(self) -> int:
        return len(self.source)

    @property
    def valid(self) -> np.ndarray:
        """Mask of the rows with no error."""
        return ~self.problems.bad

    def column(self, name: str) -> np.ndarray:
        """Values of `name` (None everywhere when the entity has no such value)."""
        if name == "geom":
            return ewkb(self.geometry)
        return self.values.get(name, np.full(len(self), None, dtype=object))

    def valid_rows(self, columns: Sequence[str]) -> Iterator[tuple[object, ...]]:
        """Tuples of `columns` for the valid rows, as plain Python values for COPY."""
        mask = self.valid
        arrays = [self.column(name)[mask] for name in columns]
        return zip(*(array.tolist() for array in arrays), strict=True)

    def drop_raw(self) -> None:
        """Let go of the file's raw values once every row is checked (a slice's largest part)."""
        self.columns.clear()
        self.source.frame = self.source.frame[[]]  # no columns; the rows (len) stay

    def valid_columns(self, columns: Sequence[str]) -> list[np.ndarray]:
        """The values of `columns` for the valid rows, column by column (for `copy_columns`)."""
        mask = self.valid
        return [self.column(name)[mask] for name in columns]


def ewkb(geometry: np.ndarray) -> np.ndarray:
    """Geometries as hex EWKB with SRID 4326: PostGIS reads it faster than WKT."""
    with_srid = shapely.set_srid(geometry, SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)


@dataclass
class CopyLoad:
    """The valid rows of one slice, ready for COPY: made while the slice before is written.

    `before` and `after` run on the writing connection before the COPY and once the rows are
    in (the lamps: tile cells deferred, first events sent), with state kept from slice to slice;
    `after` may leave a statement running in `state["pending"]`, awaited before the next query.
    """

    table: str
    columns: tuple[str, ...]
    # Made while they are sent (the database reads one while the next is formatted), unless
    # `made_now` formats them all beforehand (in the read-ahead thread).
    blocks: Iterable[bytes]
    count: int
    before: Callable[[Connection, dict[str, Any]], None] | None = None
    after: Callable[[Connection, dict[str, Any]], None] | None = None

    def made_now(self) -> CopyLoad:
        """The load with its COPY text formatted now, not while it is sent."""
        self.blocks = list(self.blocks)
        return self


def copy_load(batch: Batch, columns: Sequence[str] | None = None) -> CopyLoad:
    """The valid rows of `batch` as a CopyLoad of `columns` (default: the entity's)."""
    columns = tuple(columns or batch.spec.copy_columns)
    values = batch.valid_columns(columns)
    count = len(values[0]) if values else 0
    return CopyLoad(batch.spec.table, columns, copy_blocks(values), count)


def send_copy(connection: Connection, load: CopyLoad) -> int:
    """COPY a load's rows into its table; returns how many went in."""
    # Table and column names come from our entity specs, never from input.
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(load.table), sql.SQL(", ").join(map(sql.Identifier, load.columns))
    )
    with driver_connection(connection).cursor() as cursor, cursor.copy(statement) as copy:
        for block in load.blocks:
            copy.write(block)
    return load.count


# COPY's text format: these four characters in a value are written as escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
COPY_BLOCK_ROWS = 5_000


def copy_columns(
    connection: Connection, table: str, columns: Sequence[str], values: Sequence[np.ndarray]
) -> int:
    """COPY rows given column by column into `table`; returns the row count."""
    count = len(values[0]) if len(values) else 0
    return send_copy(connection, CopyLoad(table, tuple(columns), copy_blocks(values), count))


def copy_blocks(values: Sequence[np.ndarray]) -> Iterator[bytes]:
    """Rows given column by column as COPY text, in blocks of COPY_BLOCK_ROWS rows.

    Built a column at a time (each distinct value formatted once): for a bulk load this is
    several times faster than formatting row by row with `write_row`, and the database stores
    the same values.
    """
    count = len(values[0]) if len(values) else 0
    for start in range(0, count, COPY_BLOCK_ROWS):
        cells = [copy_cells(column[start : start + COPY_BLOCK_ROWS]) for column in values]
        lines = ["\t".join(row) for row in zip(*cells, strict=True)]
        yield ("\n".join(lines) + "\n").encode()


def copy_cells(values: np.ndarray) -> list[str]:
    """Each value as COPY text: NULL for None, escapes in text, ISO dates, exact floats."""
    plain = values.tolist()
    kinds = set(map(type, plain)) - {type(None)}
    if kinds == {str}:
        if _COPY_SPECIAL.search("".join(filter(None, plain))):
            plain = [None if value is None else value.translate(_COPY_ESCAPES) for value in plain]
        return [_NULL if value is None else value for value in plain] if None in plain else plain
    if kinds in ({int}, {float}):
        show = str if kinds == {int} else float.__repr__
        if None not in plain:
            return list(map(show, plain))
        return [_NULL if value is None else show(value) for value in plain]
    if len(kinds) > 1:  # 1 == 1.0 == True: no shared cache for mixed types
        return [_cell(value) for value in plain]
    formatted: dict[Any, str] = {}
    cells = []
    for value in plain:  # few distinct values (dates, times): each formatted once
        try:
            cells.append(formatted[value])
        except KeyError:
            cells.append(formatted.setdefault(value, _cell(value)))
    return cells


def _cell(value: object) -> str:
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool | np.bool_):
        return "t" if value else "f"
    if isinstance(value, float | np.floating):
        return float.__repr__(float(value))
    if isinstance(value, int | np.integer | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    return str(value).translate(_COPY_ESCAPES)
