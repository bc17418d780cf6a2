"""Reading the audit log: who wrote what, when, before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    cast,
    desc,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from geo_assets import tables
from geo_assets.errors import InvalidInput
from geo_assets.inventory.features import FeaturePage, json_object
from geo_assets.vocab import AUDIT_ACTION, codes


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit log; each is optional."""

    table: str | None = None
    row_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


def _where(query: AuditQuery) -> list[ColumnElement[bool]]:
    if query.action and query.action not in AUDIT_ACTION:
        raise InvalidInput(
            f"Unknown action '{query.action}'. Allowed: {', '.join(codes(AUDIT_ACTION))}."
        )
    clauses = []
    for column, value in (
        ("table_name", query.table),
        ("row_id", query.row_id),
        ("actor", query.actor),
        ("action", query.action),
    ):
        if value is not None:
            clauses.append(tables.AUDIT_LOG.c[column] == value)
    if query.since:
        clauses.append(tables.AUDIT_LOG.c.occurred_at >= query.since)
    if query.until:
        clauses.append(tables.AUDIT_LOG.c.occurred_at < query.until)
    return clauses


def list_audit(*, connection: Connection, query: AuditQuery) -> FeaturePage:
    """A page of audit entries, newest first, as a JSON array (text)."""
    where = _where(query)
    entry = json_object(
        {
            name: tables.AUDIT_LOG.c[name]
            for name in (
                "id",
                "occurred_at",
                "actor",
                "action",
                "table_name",
                "row_id",
                "before",
                "after",
            )
        }
    )
    page = (
        select(tables.AUDIT_LOG.c.id, entry.label("entry"))
        .where(*where)
        .order_by(desc(tables.AUDIT_LOG.c.id))
        .limit(query.limit)
        .offset(query.offset)
        .subquery()
    )
    matched = select(func.count()).select_from(tables.AUDIT_LOG).where(*where).scalar_subquery()
    aggregated = func.json_agg(aggregate_order_by(page.c.entry, desc(page.c.id)))
    row = connection.execute(
        select(
            matched.label("matched"),
            func.count().label("returned"),
            cast(func.coalesce(aggregated, literal_column("'[]'::json")), Text).label("entries"),
        ).select_from(page)
    ).one()
    return FeaturePage(row.matched, row.returned, row.entries)
