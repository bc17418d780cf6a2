"""Writing the inventory: create, partial update and delete, each checked against the version.

Every write names its actor (for the audit trigger) and is guarded by optimistic concurrency:
`UPDATE ... WHERE id = :id AND version = :v`, so of two edits of one version exactly one wins;
the loser learns what changed since the version it had.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from geo_assets.bulk import set_actor
from geo_assets.errors import Conflict, InvalidInput, NotFound, StaleVersion
from geo_assets.inventory.features import resolve_id
from geo_assets.inventory.geometry import geometry_for_write
from geo_assets.inventory.resources import Resource

IGNORED_IN_CHANGES = {"updated_at", "version"}


@contextlib.contextmanager
def readable_integrity_errors(resource: Resource) -> Iterator[None]:
    """Turn constraint violations into domain errors a person can act on."""
    try:
        yield
    except DataError as exc:
        reason = str(exc.orig).splitlines()[0]
        raise InvalidInput(f"A value does not fit a {resource.noun}: {reason}.") from None
    except IntegrityError as exc:
        diag = getattr(exc.orig, "diag", None)
        state = getattr(exc.orig, "sqlstate", "")
        detail = (getattr(diag, "message_detail", None) or "").strip()
        constraint = getattr(diag, "constraint_name", None) or ""
        if state == "23505":
            raise Conflict(f"A {resource.noun} with this value exists already: {detail}") from None
        if state == "23503" and "is still referenced" in detail:
            raise Conflict(
                f"This {resource.noun} is still used by other records ({detail}); "
                f"remove or move those first.{resource.in_use_hint}"
            ) from None
        if state == "23503":
            raise InvalidInput(f"A referenced record does not exist: {detail}") from None
        message = getattr(diag, "message_primary", None) or str(exc.orig).splitlines()[0]
        if not constraint:  # a rule raised by a trigger: its own words, and its hint if any
            hint = getattr(diag, "message_hint", None)
            raise InvalidInput(f"{message}.{f' {hint}' if hint else ''}") from None
        raise InvalidInput(f"The {resource.noun} breaks the rule {constraint}: {message}") from None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_required(resource: Resource, properties: dict[str, Any], *, creating: bool) -> None:
    """Refuse a write that would leave a required property null or blank (spaces only)."""
    blank = [
        name
        for name in resource.required
        if (creating or name in properties) and _is_blank(properties.get(name))
    ]
    if blank:
        raise InvalidInput(
            f"These properties of a {resource.noun} cannot be null or blank: {', '.join(blank)}."
            if not creating
            else f"A new {resource.noun} needs: {', '.join(blank)} (not null, not blank)."
        )


def _values(
    connection: Connection, resource: Resource, properties: dict[str, Any], geometry: Any | None
) -> dict[str, Any]:
    unknown = sorted(set(properties) - set(resource.writable) - {"gate"})
    if unknown:
        raise InvalidInput(
            f"Unknown or read-only properties for a {resource.noun}: {', '.join(unknown)}. "
            f"Writable: {', '.join(resource.writable)}."
        )
    values = dict(properties)
    for column in resource.point_columns:
        name = column.removesuffix("_geom")
        if values.get(name) is not None:
            values[column] = geometry_for_write(connection, values.pop(name), expected="Point")
        elif name in values:
            values[column] = values.pop(name)
    if geometry is not None:
        if resource.geometry_type is None:
            raise InvalidInput(f"A {resource.noun} has no geometry of its own.")
        values["geom"] = geometry_for_write(
            connection, geometry, expected=resource.geometry_type, boundary=resource.boundary
        )
    return values


def create_row(
    *,
    connection: Connection,
    resource: Resource,
    properties: dict[str, Any],
    geometry: Any | None,
    actor: str,
    extra: dict[str, Any] | None = None,
) -> int:
    """Insert one row from GeoJSON properties and geometry; returns its id."""
    if resource.geometry_type and geometry is None:
        raise InvalidInput(f"A new {resource.noun} needs: geometry.")
    _check_required(resource, properties, creating=True)
    values = _values(connection, resource, properties, geometry) | (extra or {})
    set_actor(connection, actor)
    with readable_integrity_errors(resource):
        return connection.execute(
            insert(resource.table).values(**values).returning(resource.table.c.id)
        ).scalar_one()


def changes_since(
    *, connection: Connection, resource: Resource, row_id: int, version: int
) -> list[dict[str, Any]]:
    """What each write after `version` changed, from the audit log: who, when, which fields."""
    rows = connection.execute(
        text("""
            SELECT occurred_at, actor, action, before, after FROM audit_log
            WHERE table_name = :table AND row_id = :row_id
              AND coalesce((after ->> 'version')::int, 2147483647) > :version
            ORDER BY id
        """),
        {"table": resource.table.name, "row_id": row_id, "version": version},
    )
    changes = []
    for row in rows:
        before, after = row.before or {}, row.after or {}
        fields = {
            key: {"from": before.get(key), "to": after.get(key)}
            for key in sorted(set(before) | set(after))
            if key not in IGNORED_IN_CHANGES and before.get(key) != after.get(key)
        }
        changes.append(
            {
                "version": after.get("version"),
                "action": row.action,
                "actor": row.actor,
                "at": row.occurred_at.isoformat(),
                "fields": fields,
            }
        )
    return changes


def _stale(connection: Connection, resource: Resource, row_id: int, version: int) -> Exception:
    current = connection.execute(
        select(resource.table.c.version).where(resource.table.c.id == row_id)
    ).scalar_one_or_none()
    if current is None:
        return NotFound(f"The {resource.noun} {row_id} was deleted meanwhile.")
    return StaleVersion(
        f"The {resource.noun} was changed since version {version}: it is now at version "
        f'{current}. Read it again, re-apply your change, and send If-Match: "{current}".',
        current_version=current,
        changes=changes_since(
            connection=connection, resource=resource, row_id=row_id, version=version
        ),
    )


def update_row(
    *,
    connection: Connection,
    resource: Resource,
    key: str,
    version: int,
    properties: dict[str, Any],
    geometry: Any | None,
    actor: str,
) -> int:
    """Apply a partial update if the row is still at `version`; returns its id."""
    for name, reason in resource.immutable.items():
        if name in properties:
            raise InvalidInput(reason)
    _check_required(resource, properties, creating=False)
    row_id = resolve_id(connection=connection, resource=resource, key=key)
    values = _values(connection, resource, properties, geometry)
    set_actor(connection, actor)
    table = resource.table
    with readable_integrity_errors(resource):
        updated = connection.execute(
            update(table)
            .where(table.c.id == row_id, table.c.version == version)
            .values(**values, version=table.c.version + 1, updated_at=func.now())
            .returning(table.c.id)
        ).scalar_one_or_none()
    if updated is None:
        raise _stale(connection, resource, row_id, version)
    return row_id


def delete_row(
    *, connection: Connection, resource: Resource, key: str, version: int, actor: str
) -> int:
    """Delete the row if it is still at `version`; returns its id."""
    row_id = resolve_id(connection=connection, resource=resource, key=key)
    set_actor(connection, actor)
    table = resource.table
    with readable_integrity_errors(resource):
        deleted = connection.execute(
            delete(table)
            .where(table.c.id == row_id, table.c.version == version)
            .returning(table.c.id)
        ).scalar_one_or_none()
    if deleted is None:
        raise _stale(connection, resource, row_id, version)
    return row_id


def current_version(*, connection: Connection, resource: Resource, key: str) -> int:
    """The version of the row named by `key`."""
    row_id = resolve_id(connection=connection, resource=resource, key=key)
    version = connection.execute(
        select(resource.table.c.version).where(resource.table.c.id == row_id)
    ).scalar_one_or_none()
    if version is None:
        raise NotFound(f"There is no {resource.noun} {key!r}.")
    return version
