"""How one inventory table is exposed: its properties, derived properties, filters and rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, FromClause, Table, and_, exists, false, func, or_, select

from geo_assets import tables
from geo_assets.errors import InvalidInput
from geo_assets.inventory.params import MAX_ID, parse_id
from geo_assets.vocab import Vocabulary, codes

# A filter turns the values of one query parameter into a WHERE clause on the resource's table.
Filter = Callable[[Table, Sequence[str]], ColumnElement[bool]]
# Derived properties: the FROM (base table and left joins), named expressions, and the geometry
# when it is not the table's own `geom` (an interment is shown at its plot).
Derived = Callable[[Table], "Joined"]


@dataclass(frozen=True)
class Joined:
    """What `Resource.derived` gives: the FROM clause, derived properties, the geometry."""

    from_clause: FromClause
    properties: dict[str, ColumnElement]
    geometry: ColumnElement | None = None


@dataclass(frozen=True)
class Resource:
    """One table of the inventory as clients see it."""

    name: str
    noun: str
    table: Table
    geometry_type: str | None
    columns: tuple[str, ...]
    writable: tuple[str, ...]
    required: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    derived: Derived | None = None
    filters: dict[str, Filter] = field(default_factory=dict)
    point_columns: tuple[str, ...] = ()  # extra point columns shown as GeoJSON properties
    immutable: dict[str, str] = field(default_factory=dict)  # column -> why it can't be PATCHed
    in_use_hint: str = ""  # what to do instead when a delete finds the row still referenced
    boundary: bool = False  # the city's own outline: checked against the bbox only

    def joined(self) -> Joined:
        """The FROM clause, derived properties and geometry used to read this resource."""
        if self.derived:
            return self.derived(self.table)
        geometry = self.table.c.geom if self.geometry_type else None
        return Joined(self.table, {}, geometry)

    @property
    def has_code(self) -> bool:
        """True when rows have a unique human-readable `code`."""
        return "code" in self.table.c


def vocabulary_values(param: str, values: Sequence[str], vocabulary: Vocabulary) -> list[str]:
    """`values` when each is a code of `vocabulary`, else InvalidInput listing the allowed ones."""
    unknown = [value for value in values if value not in vocabulary]
    if unknown:
        raise InvalidInput(
            f"Unknown {param} '{unknown[0]}'. Allowed: {', '.join(codes(vocabulary))}."
        )
    return list(values)


def equals(column: str, vocabulary: Vocabulary | None = None) -> Filter:
    """Filter: the text column equals one of the values (checked against a vocabulary)."""

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        checked = vocabulary_values(column, values, vocabulary) if vocabulary else list(values)
        return table.c[column].in_(checked)

    return clause


def numbers(column: str, kind: type = float) -> Filter:
    """Filter: the numeric column equals one of the values."""

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        try:
            parsed = [kind(value) for value in values]
        except ValueError:
            raise InvalidInput(
                f"{column} must be a number; got {', '.join(map(repr, values))}."
            ) from None
        if any(not -MAX_ID <= number <= MAX_ID for number in parsed):
            raise InvalidInput(f"{column} is out of range: {', '.join(map(str, values))}.")
        return table.c[column].in_(parsed)

    return clause


def key_clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
    """Rows of `table` whose id or code is one of `values` (names match too when present)."""
    ids = [row_id for row_id in map(parse_id, values) if row_id is not None]
    names = [value for value in values if parse_id(value) is None]
    clauses = [table.c.id.in_(ids)] if ids else []
    if names and "code" in table.c:
        clauses.append(table.c.code.in_(names))
    if names and "name" in table.c:
        clauses.append(table.c.name.in_(names))
    return or_(*clauses) if clauses else false()


def reference(column: str, target: Table | str) -> Filter:
    """Filter: the foreign key `column` points at a row of `target` given by id, code or name.

    `target` may be the table's name (the registry's way: the table is looked up when used).
    """

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        other = tables.resolve(target)
        return table.c[column].in_(select(other.c.id).where(key_clause(other, values)))

    return clause


def spatial_within(area: Table | str) -> Filter:
    """Filter: the row's geometry intersects one of the given areas (by id, code or name).

    `area` may be the table's name (looked up when the filter is used).
    """

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        areas = tables.resolve(area)
        return exists().where(
            and_(key_clause(areas, values), func.ST_Intersects(areas.c.geom, table.c.geom))
        )

    return clause
