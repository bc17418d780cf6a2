"""What each importable entity looks like in a file: its columns, their rules, its geometry.

One `EntitySpec` per importable entity drives reading, validation and the COPY column list. The
specs are derived from the entity registry (`geo_assets.entities`): columns, rules, aliases and
references are written there once; text lengths come from the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from geo_assets import entities
from geo_assets.entities import Column, Entity
from geo_assets.vocab import Vocabulary

FieldKind = Literal["text", "integer", "number", "date", "vocabulary"]
GeometryType = Literal["Point", "LineString", "Polygon", "MultiPolygon"]


@dataclass(frozen=True)
class Field:
    """A column of the file and the rule its values follow."""

    name: str
    kind: FieldKind
    required: bool = False
    default: object | None = None
    vocabulary: Vocabulary | None = None
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    unit: str = ""
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    # False: read and checked, but stored in another form (gate_lon/gate_lat → gate_geom).
    stored: bool = True
    # What is allowed, when the generic description says too little.
    hint: str = ""


@dataclass(frozen=True)
class Reference:
    """A column holding another entity's code, stored as that row's id."""

    column: str
    table: str
    target: str
    noun: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySpec:
    """An importable entity: table, geometry type, columns, references and code format."""

    name: str
    table: str
    noun: str
    geometry_type: GeometryType
    fields: tuple[Field, ...]
    references: tuple[Reference, ...] = ()
    code_pattern: str | None = None
    code_example: str = ""
    extra_columns: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(f for f in self.fields if f.name == name)

    @property
    def copy_columns(self) -> tuple[str, ...]:
        """Table columns written by COPY, in order (geometry last)."""
        return (
            *(f.name for f in self.fields if f.stored),
            *(r.target for r in self.references),
            *self.extra_columns,
            "geom",
        )


# Where a point column is read in files: `gate_geom` as `gate_lon` and `gate_lat`.
_LON_LAT = (("lon", -180.0, 180.0), ("lat", -90.0, 90.0))


def _fields(entity: Entity, column: Column) -> tuple[Field, ...]:
    """The file fields of one registry column (a point column is read as lon and lat)."""
    if column.kind == "point":
        stem = column.name.removesuffix("_geom")
        return tuple(
            Field(f"{stem}_{axis}", "number", minimum=low, maximum=high, stored=False)
            for axis, low, high in _LON_LAT
        )
    kind = column.kind if column.kind in ("integer", "number", "date", "vocabulary") else "text"
    length = getattr(entity.table.c[column.name].type, "length", None) if kind == "text" else None
    return (
        Field(
            column.name,
            kind,  # type: ignore[arg-type]  # narrowed to FieldKind just above
            required=column.required,
            default=column.default,
            vocabulary=column.vocabulary,
            minimum=column.minimum,
            maximum=column.maximum,
            minimum_exclusive=column.minimum_exclusive,
            unit=column.unit,
            max_length=length,
            aliases=column.aliases,
            hint=column.hint,
        ),
    )


def _reference(column: Column) -> Reference:
    assert column.reference is not None
    ref = column.reference
    return Reference(
        ref.file_column, ref.target.name, column.name, ref.noun, column.required, ref.aliases
    )


def entity_spec_of(entity: Entity) -> EntitySpec:
    """The import spec of a registry entity: its imported columns, references and checks."""
    read = [c for c in entity.columns if c.imported]
    points = tuple(c.name for c in read if c.kind == "point")
    if entity.geometry_type is None:
        raise ValueError(f"{entity.name} has no geometry of its own and cannot be imported.")
    return EntitySpec(
        name=entity.files_name,
        table=entity.table.name,
        noun=entity.noun,
        geometry_type=entity.geometry_type,
        fields=tuple(f for c in read if c.reference is None for f in _fields(entity, c)),
        references=tuple(_reference(c) for c in read if c.reference is not None),
        code_pattern=entity.code_pattern,
        code_example=entity.code_example,
        extra_columns=(*entity.copy_extra, *points),
    )


ENTITY_SPECS: dict[str, EntitySpec] = {
    entity.files_name: entity_spec_of(entity) for entity in entities.ENTITIES if entity.importable
}
