"""One SELECT per exportable entity, derived from the registry: properties, geometry, filters.

Every entity is exported with `id`, its `code` (where it has one), its `status`/`condition` with
the Indonesian label, and the names of the kelurahan and kecamatan it lies in: for lamps through
`kelurahan_id`; for everything else by a spatial join on a representative point (a line's
midpoint, a point on a polygon's surface), done in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    FromClause,
    Numeric,
    Select,
    case,
    func,
    literal,
    or_,
    select,
    true,
)

from geo_assets.entities import ENTITIES, Column, Entity
from geo_assets.errors import InvalidInput
from geo_assets.io.export_tables import entity_table, export_table, reference_table
from geo_assets.io.vocabulary import vocabulary_key, vocabulary_lookup
from geo_assets.tables import SRID
from geo_assets.vocab import Vocabulary, codes, label

# A SQL column expression: a mapped attribute (`Lamp.code`) or a Sql. SQLAlchemy's own
# types for "either" are private, hence Any.
Sql = Any


@dataclass(frozen=True)
class ExportFilters:
    """Which features to export: by status/condition, kecamatan (code or name), bounding box."""

    status: str | None = None
    kecamatan: str | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class EntityQuery:
    """The parts of an entity's export query."""

    columns: list[Sql]
    geometry: Sql
    geometry_type: str
    source: FromClause
    kecamatan_id: Sql
    status: Sql | None = None
    vocabulary: Vocabulary | None = None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`x0,y0,x1,y1` in lon/lat degrees; InvalidInput names the part that is wrong."""
    names = ("x0 (west lon)", "y0 (south lat)", "x1 (east lon)", "y1 (north lat)")
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 4:
        raise InvalidInput(
            f"--bbox needs 4 numbers x0,y0,x1,y1 (lon/lat), got {len(parts)}: "
            f"'{text}'. Example: 114.80,-3.47,114.86,-3.42"
        )
    values = []
    for name, part in zip(names, parts, strict=True):
        try:
            values.append(float(part))
        except ValueError:
            raise InvalidInput(f"--bbox part {name} '{part}' is not a number.") from None
    x0, y0, x1, y1 = values
    for name, value, limit in zip(names, values, (180, 90, 180, 90), strict=True):
        if abs(value) > limit:
            raise InvalidInput(
                f"--bbox part {name} {value:g} is outside -{limit}..{limit}; "
                "give lon/lat degrees (lon first)."
            )
    if x0 >= x1:
        raise InvalidInput(f"--bbox x0 {x0:g} must be west of (less than) x1 {x1:g}.")
    if y0 >= y1:
        raise InvalidInput(f"--bbox y0 {y0:g} must be south of (less than) y1 {y1:g}.")
    return x0, y0, x1, y1


def status_label(column: Sql, vocabulary: Vocabulary, lang: str) -> Sql:
    """The label of a vocabulary code in `lang`, computed in SQL."""
    return case({code: literal(label(vocabulary, code, lang)) for code in vocabulary}, value=column)


def representative_point(geometry: Sql, geometry_type: str) -> Sql:
    """A point that stands for the feature: a line's midpoint, a point on a polygon's surface."""
    if geometry_type == "LineString":
        return func.ST_LineInterpolatePoint(geometry, 0.5)
    return func.ST_PointOnSurface(geometry)


def _area_of(geometry: Sql, geometry_type: str) -> Any:
    """Kelurahan and kecamatan covering a representative point of `geometry` (at most one)."""
    kelurahan, kecamatan = export_table("kelurahan"), export_table("kecamatan")
    return (
        select(
            kelurahan.c.name.label("kelurahan"),
            kecamatan.c.name.label("kecamatan"),
            kecamatan.c.id.label("kecamatan_id"),
        )
        .join(kecamatan, kecamatan.c.id == kelurahan.c.kecamatan_id)
        .where(func.ST_Covers(kelurahan.c.geom, representative_point(geometry, geometry_type)))
        .order_by(kelurahan.c.id)
        .limit(1)
        .lateral("area")
    )


def _metres(expression: Sql) -> Sql:
    return func.round(expression.cast(Numeric), 1).cast(Float)


def _reference_columns(column: Column, target: Any) -> list[Sql]:
    """A foreign key as the other row's code (and name, where the entity asks for it)."""
    assert column.reference is not None
    shown = [target.c.code.label(column.reference.file_column)]
    if column.reference.name_column:
        shown.append(target.c.name.label(column.reference.name_column))
    return shown


def _column(entity: Entity, table: Any, column: Column, lang: str) -> list[Sql]:
    """What one registry column of `table` becomes in an export (a point: lon and lat)."""
    if column.kind == "point":
        stem = column.name.removesuffix("_geom")
        return [
            func.round(func.ST_X(table.c[column.name]).cast(Numeric), 7)
            .cast(Float)
            .label(f"{stem}_lon"),
            func.round(func.ST_Y(table.c[column.name]).cast(Numeric), 7)
            .cast(Float)
            .label(f"{stem}_lat"),
        ]
    shown = [table.c[column.name]]
    if column.name == entity.status_column and column.vocabulary is not None:
        label_of = status_label(table.c[column.name], column.vocabulary, lang)
        shown.append(label_of.label(f"{column.name}_label"))
    return shown


def _measure(entity: Entity, table: Any) -> list[Sql]:
    geography = func.Geography(table.c.geom)
    if entity.measure == "length_m":
        return [_metres(func.ST_Length(geography)).label("length_m")]
    if entity.measure == "area_m2":
        return [_metres(func.ST_Area(geography)).label("area_m2")]
    if entity.measure == "area_km2":
        return [_metres(func.ST_Area(geography) / 1e6).label("area_km2")]
    return []


def export_query(entity: Entity, lang: str = "id") -> EntityQuery:
    """The export query of a registry entity: its exported columns, joins and place names.

    Personal columns are never exported. References become the other row's code, the status
    column gets its label in `lang`, then come the measure and the kelurahan/kecamatan names.
    """
    table = entity_table(entity)
    assert entity.geometry_type is not None
    source: Any = table
    columns: list[Sql] = [table.c.id]
    for column in entity.columns:
        if not column.exported or column.personal:
            continue
        if column.reference is None:
            columns += _column(entity, table, column, lang)
            continue
        target = reference_table(column.reference).alias(f"ref_{column.name}")
        on = target.c.id == table.c[column.name]
        source = source.join(target, on) if column.required else source.outerjoin(target, on)
        columns += _reference_columns(column, target)
    columns += _measure(entity, table)
    source, place, kecamatan_id = _place(entity, table, source)
    status = table.c[entity.status_column] if entity.status_column else None
    vocabulary = entity.column(entity.status_column).vocabulary if entity.status_column else None
    return EntityQuery(
        [*columns, *place],
        table.c.geom,
        entity.geometry_type,
        source,
        kecamatan_id,
        status,
        vocabulary,
    )


def _place(entity: Entity, table: Any, source: Any) -> tuple[Any, list[Sql], Sql]:
    """The FROM with the area joined, the kelurahan/kecamatan name columns, the kecamatan id."""
    if entity.place == "kelurahan_id":
        kelurahan = export_table("kelurahan").alias("area_kl")
        kecamatan = export_table("kecamatan").alias("area_kc")
        source = source.outerjoin(kelurahan, kelurahan.c.id == table.c.kelurahan_id).outerjoin(
            kecamatan, kecamatan.c.id == kelurahan.c.kecamatan_id
        )
        names = [kelurahan.c.name.label("kelurahan"), kecamatan.c.name.label("kecamatan")]
        return source, names, kecamatan.c.id
    if entity.place == "spatial":
        area = _area_of(table.c.geom, entity.geometry_type or "Point")
        return (
            source.outerjoin(area, true()),
            [area.c.kelurahan, area.c.kecamatan],
            area.c.kecamatan_id,
        )
    # Boundaries: a kecamatan is its own area, a kelurahan lies in its kecamatan.
    own = table.c.id if entity.table_name == "kecamatan" else table.c.kecamatan_id
    return source, [], own


def entity_query(entity: str, lang: str = "id") -> EntityQuery:
    """The export query parts of `entity`, or InvalidInput naming the allowed entities."""
    exportable = [e for e in ENTITIES if e.exportable]
    found = next((e for e in exportable if e.files_name == entity), None)
    if found is None:
        allowed = ", ".join(e.files_name for e in exportable)
        raise InvalidInput(f"Cannot export '{entity}'. Allowed: {allowed}.")
    return export_query(found, lang)


def filtered_select(
    query: EntityQuery, entity: str, filters: ExportFilters, kecamatan_id: int | None
) -> Select:
    """SELECT the entity's columns and `geom`, filtered (callers order by `id`)."""
    statement = select(*query.columns, query.geometry.label("geom")).select_from(query.source)
    if filters.status is not None:
        status: Sql = query.status
        statement = statement.where(status == _status_code(query, entity, filters.status))
    if kecamatan_id is not None:
        statement = statement.where(query.kecamatan_id == kecamatan_id)
    if filters.bbox is not None:
        envelope = func.ST_MakeEnvelope(*filters.bbox, SRID)
        statement = statement.where(func.ST_Intersects(query.geometry, envelope))
    return statement


def _status_code(query: EntityQuery, entity: str, given: str) -> str:
    if query.status is None or query.vocabulary is None:
        raise InvalidInput(
            f"{entity} have no status or condition to filter on; leave out --status."
        )
    code = vocabulary_lookup(query.vocabulary).get(vocabulary_key(given))
    if code is None:
        raise InvalidInput(
            f"Unknown {query.status.key} '{given}' for {entity}. Allowed: "
            f"{', '.join(codes(query.vocabulary))}."
        )
    return code


def kecamatan_condition(given: str) -> Sql:
    """Matches a kecamatan by code or name, case-insensitively."""
    wanted = given.strip().lower()
    kecamatan = export_table("kecamatan")
    return or_(func.lower(kecamatan.c.code) == wanted, func.lower(kecamatan.c.name) == wanted)
