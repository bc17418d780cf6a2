"""Writing the planned city: refuse or empty a full database, COPY every table, fix sequences."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, func, select, text

from geo_assets.bulk import copy_rows
from geo_assets.errors import NotEmpty
from geo_assets.lamp_status import record_lamp_events
from geo_assets.models import Base
from geo_assets.seed.plan import REQUEST_COLUMNS, CityPlan

# In insert order (parents first). Users, tokens and the audit log are not sample data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kecamatan": ("id", "code", "name", "official_area_km2", "geom"),
    "kelurahan": ("id", "code", "name", "kecamatan_id", "geom"),
    "road": ("id", "code", "name", "road_class", "surface", "width_m", "geom"),
    "lamp": (
        "id",
        "code",
        "road_id",
        "lamp_type",
        "wattage",
        "pole_height_m",
        "mounting",
        "ownership",
        "power_billing",
        "installed_on",
        "geom",
    ),
    "service_request": REQUEST_COLUMNS,
    "cemetery": (
        "id",
        "code",
        "name",
        "kind",
        "manager",
        "address",
        "capacity",
        "gate_geom",
        "geom",
    ),
    "cemetery_block": ("id", "code", "cemetery_id", "name", "geom"),
    "plot": ("id", "code", "block_id", "row_number", "plot_number", "status", "geom"),
    "interment": (
        "id",
        "plot_id",
        "deceased_name",
        "born_on",
        "died_on",
        "buried_on",
        "heir_name",
        "heir_phone",
        "heir_address",
        "notes",
    ),
    "access_road": (
        "id",
        "code",
        "name",
        "cemetery_id",
        "road_id",
        "condition",
        "surface",
        "width_m",
        "planned_improvement",
        "improvement_cost_idr",
        "geom",
    ),
    "prayer_room": (
        "id",
        "code",
        "name",
        "cemetery_id",
        "status",
        "capacity",
        "estimated_cost_idr",
        "planned_year",
        "geom",
    ),
}
DATA_TABLES = (*COLUMNS, "lamp_event")
EVENT_BATCH = 200_000


def stored_counts(connection: Connection) -> dict[str, int]:
    """Rows in each sample-data table that holds any (table names are our own constants)."""
    counts = {}
    for table in DATA_TABLES:
        count = connection.execute(select(func.count()).select_from(_table(table))).scalar_one()
        if count:
            counts[table] = count
    return counts


def refuse_if_full(connection: Connection) -> None:
    """Raise NotEmpty, naming `--replace`, when sample-data tables already hold rows."""
    counts = stored_counts(connection)
    if counts:
        held = ", ".join(f"{table}: {n:,}" for table, n in counts.items())
        raise NotEmpty(
            f"The database already holds data ({held}). Seeding would mix two cities; run "
            "`geo-assets seed --replace` to delete that data and seed again."
        )


def empty_tables(connection: Connection) -> None:
    """Delete every sample-data row; TRUNCATE does not fire the append-only event trigger."""
    # TRUNCATE has no Core construct; the names are our own constants, quoted all the same.
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(table) for table in DATA_TABLES)
    connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def write_plan(
    connection: Connection, plan: CityPlan, step: Callable[[str], None] = lambda _: None
) -> None:
    """COPY all tables, record the lamp events, then move each id sequence past its rows."""
    before = {
        "lamp": "writing lamps",
        "service_request": "writing service requests",
        "cemetery": "writing cemeteries, plots and musala",
    }
    for table, columns in COLUMNS.items():
        if table == "cemetery":  # events need the lamps and requests, nothing needs events
            step("recording lamp events")
            _record_events(connection, plan)
        if table in before:
            step(before[table])
        copy_rows(connection, table, columns, plan.tables[table])
    for name in DATA_TABLES:
        stored = _table(name)
        next_id = func.coalesce(select(func.max(stored.c.id)).scalar_subquery(), 0) + 1
        sequence = func.pg_get_serial_sequence(name, "id")
        connection.execute(select(func.setval(sequence, next_id, False)))


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _record_events(connection: Connection, plan: CityPlan) -> None:
    """In batches that never split one lamp's history, so each batch orders it alone."""
    events = plan.events
    start = 0
    while start < len(events):
        end = min(start + EVENT_BATCH, len(events))
        while end < len(events) and events[end].lamp_id == events[end - 1].lamp_id:
            end += 1
        record_lamp_events(connection, events[start:end])
        start = end
