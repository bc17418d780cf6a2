"""Request and response property models built from the entity registry.

`properties_model` gives what a client sets (`...Properties`, every writable column with its
rule: vocabulary, bounds, length, example); `public_model` adds what is read besides (version,
read-only columns, joined codes and names). The schema names stay those of the API document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.schemas.common import GeometryIn, Versioned, choice
from geo_assets.entities import Column, Entity

_TYPES: dict[str, Any] = {
    "text": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": date,
    "datetime": datetime,
    "id": int,
    "point": GeometryIn,
}


def api_name(column: Column) -> str:
    """The property's name on the API: a point column without `_geom` (`gate`)."""
    return column.name.removesuffix("_geom") if column.kind == "point" else column.name


def _type(column: Column) -> Any:
    if column.vocabulary is not None:
        return choice(column.vocabulary)
    return _TYPES[column.kind]


def _rule(entity: Entity, column: Column) -> dict[str, Any]:
    """The column's bounds, length, pattern, example and description as Field arguments."""
    rule: dict[str, Any] = {}
    if column.kind == "id":
        rule["ge"] = 1
    if column.minimum is not None:
        rule["gt" if column.minimum_exclusive else "ge"] = column.minimum
    if column.maximum is not None:
        rule["le"] = column.maximum
    if column.name == "code" and entity.code_pattern:
        rule["pattern"] = entity.code_pattern
    elif column.kind == "text":
        table_length = getattr(entity.table.c[column.name].type, "length", None)
        if column.max_length or table_length:
            rule["max_length"] = column.max_length or table_length
    if column.example is not None:
        rule["examples"] = [column.example]
    if column.description:
        rule["description"] = column.description
    return rule


def _field(entity: Entity, column: Column) -> tuple[Any, Any]:
    """(annotation, default) of one writable column.

    A column that changes only by its own route (a lamp's status) is optional and set only on
    creation; a vocabulary with a default takes it; any other column not required is optional.
    """
    kind, rule = _type(column), _rule(entity, column)
    if column.name in entity.immutable or (not column.required and column.default is None):
        return Optional[kind], Field(None, **rule)  # noqa: UP045  # a runtime type
    if column.default is not None:
        return kind, Field(column.default, **rule)
    return kind, Field(**rule)


def properties_model(
    entity: Entity, name: str, doc: str, *, without: tuple[str, ...] = ()
) -> type[BaseModel]:
    """What a client sets on `entity`: its writable columns, minus `without`."""
    fields = {
        api_name(column): _field(entity, column)
        for column in entity.columns
        if column.writable and column.name not in without
    }
    config = ConfigDict(extra="forbid")
    return create_model(name, __config__=config, __doc__=doc, **fields)  # type: ignore[call-overload]  # fields built at run time


def derived_names(entity: Entity) -> tuple[str, ...]:
    """The joined properties `entity` is read with (codes and names of related rows)."""
    return tuple(entity.derived(entity.table).properties) if entity.derived else ()


def public_model(
    entity: Entity,
    properties: type[BaseModel],
    name: str,
    doc: str,
    *,
    required: tuple[str, ...] = (),
    open_ended: bool = False,
) -> type[BaseModel]:
    """`properties` as read: with version, read-only columns and joined codes and names.

    `required` names columns set from the URL (a block's cemetery) that are always read back;
    `open_ended` allows members the model does not list (personal ones, for staff).
    """
    annotations: dict[str, Any] = dict.fromkeys(required, int)
    defaults: dict[str, Any] = {}
    for column in entity.columns:
        if column.public and not column.writable and column.kind != "point":
            annotations[column.name] = Optional[_type(column)]  # noqa: UP045  # a runtime type
            defaults[column.name] = None
    for derived in derived_names(entity):
        annotations[derived], defaults[derived] = Optional[str], None  # noqa: UP045
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        "__doc__": doc,
        "__module__": __name__,
        **defaults,
    }
    if open_ended:
        namespace["model_config"] = ConfigDict(extra="allow")
    return type(name, (properties, Versioned), namespace)
