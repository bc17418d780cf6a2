"""A cheap fingerprint of the tables a map is drawn from, to know when a cached map is stale."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, func, literal, select, union_all

from geo_assets.models import Base

# Which tables each map reads; a change in any of them means the map must be rebuilt.
MAP_TABLES: dict[str, tuple[str, ...]] = {
    "status": ("lamp", "lamp_event", "road", "kelurahan", "kecamatan", "cemetery"),
    "coverage": ("lamp", "road", "kelurahan", "kecamatan", "cemetery"),
    "cemeteries": (
        "cemetery",
        "cemetery_block",
        "plot",
        "access_road",
        "prayer_room",
        "lamp",
        "lamp_event",
        "road",
        "kelurahan",
        "kecamatan",
    ),
}


def data_version(engine: Engine, *, tables: Iterable[str]) -> str:
    """Row count, highest id and newest `updated_at` of each table, as one string.

    Every insert raises the count or the highest id, every delete lowers the count, and every
    update moves `updated_at` (set by trigger), so the string changes whenever the data does.
    One index-free aggregate per table: a few milliseconds at 14,000 lamps.
    """
    parts = []
    for name in sorted(set(tables)):
        table = Base.metadata.tables[name]
        parts.append(
            select(
                literal(name).label("name"),
                func.count().label("rows"),
                func.max(table.c.id).label("max_id"),
                func.max(table.c.updated_at).label("max_updated"),
            )
        )
    with engine.connect() as connection:
        rows = connection.execute(union_all(*parts)).all()
    return ";".join(f"{row.name}:{row.rows}:{row.max_id}:{row.max_updated}" for row in rows)
