"""Writing the planned city: refuse or empty a full database, COPY every table, fix sequences."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, func, select, text

from geo_assets.bulk import copy_rows
from geo_assets.errors import NotEmpty
from geo_assets.models import Base
from geo_assets.seed.plan import LAMP_COLUMNS, REQUEST_COLUMNS, CityPlan

# In insert order (parents first). Users, tokens and the audit log are not sample data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kecamatan": ("id", "code", "name", "official_area_km2", "geom"),
    "kelurahan": ("id", "code", "name", "kecamatan_id", "geom"),
    "road": ("id", "code", "name", "road_class", "surface", "width_m", "geom"),
    "lamp": LAMP_COLUMNS,
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
EVENT_COLUMNS = (
    "lamp_id",
    "from_status",
    "to_status",
    "note",
    "source",
    "actor",
    "occurred_at",
    "idempotency_key",
)


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
) -> dict[str, int]:
    """COPY all tables, the lamps batch by batch as they are made, then move each id sequence
    past its rows and ANALYZE. Returns the rows written per table."""
    written = {}
    for table in ("kecamatan", "kelurahan", "road"):
        written[table] = copy_rows(connection, table, COLUMNS[table], plan.tables[table])
    _stage(connection)
    written["lamp"] = 0
    with indexes_built_after(connection, BIG_TABLES):
        step("lamps and two years of their history")
        for batch in plan.batches:
            written["lamp"] += copy_rows(connection, "lamp", LAMP_COLUMNS, batch.lamps)
            copy_rows(connection, "seed_request", REQUEST_COLUMNS, batch.requests)
            copy_rows(connection, "seed_event", _STAGED_EVENT, batch.events)
        step("writing service requests")
        written["service_request"] = _number_requests(connection)
        step("recording lamp events")
        written["lamp_event"] = _insert_events(connection)
        step("indexing lamps and their history")
    step("writing cemeteries, plots and musala")
    for table in ("cemetery", "cemetery_block", "plot", "interment", "access_road", "prayer_room"):
        written[table] = copy_rows(connection, table, COLUMNS[table], plan.tables[table])
    for name in DATA_TABLES:
        stored = _table(name)
        next_id = func.coalesce(select(func.max(stored.c.id)).scalar_subquery(), 0) + 1
        sequence = func.pg_get_serial_sequence(name, "id")
        connection.execute(select(func.setval(sequence, next_id, False)))
    # Fresh statistics, so the first queries on a big city get good plans (names are ours).
    connection.execute(text(f"ANALYZE {', '.join(DATA_TABLES)}"))
    return written


# Loaded without their secondary indexes and unique/foreign-key checks, built after (as pg_restore
# does): one sort per index and one join per foreign key instead of a lookup per row.
BIG_TABLES = ("lamp", "service_request", "lamp_event")

_SAVED_CONSTRAINTS = text("""
    SELECT conrelid::regclass::text AS table_name, conname AS name,
           pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE conrelid = ANY(CAST(:tables AS regclass[])) AND contype IN ('u', 'f')
    ORDER BY contype DESC, conrelid, conname
""")
_SAVED_INDEXES = text("""
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) AND NOT i.indisprimary
      AND NOT EXISTS (
          SELECT FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid
      )
    ORDER BY 1
""")


@contextmanager
def indexes_built_after(connection: Connection, tables: tuple[str, ...]) -> Iterator[None]:
    """Drop the secondary indexes and unique/foreign-key constraints of `tables` (empty, in this
    transaction), and build them again from their own definitions when the block ends."""
    tables_param = {"tables": list(tables)}
    constraints = connection.execute(_SAVED_CONSTRAINTS, tables_param).all()
    indexes = connection.execute(_SAVED_INDEXES, tables_param).all()
    quote = connection.dialect.identifier_preparer.quote
    # Names and definitions come from the catalog (our own schema), never from input.
    for c in reversed(constraints):
        connection.execute(text(f"ALTER TABLE {c.table_name} DROP CONSTRAINT {quote(c.name)}"))
    for index in indexes:
        connection.execute(text(f"DROP INDEX {index.name}"))
    yield
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    for index in indexes:
        connection.execute(text(index.definition))
    for c in constraints:
        connection.execute(
            text(f"ALTER TABLE {c.table_name} ADD CONSTRAINT {quote(c.name)} {c.definition}")
        )


_STAGED_EVENT = ("batch", "number", *EVENT_COLUMNS, "request_key")


def _stage(connection: Connection) -> None:
    """Temporary tables for requests and events until requests get their ids (by time)."""
    connection.execute(
        text(
            "CREATE TEMP TABLE seed_request (LIKE service_request INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
    )
    connection.execute(
        text("""
        CREATE TEMP TABLE seed_event (
            batch integer, number integer, lamp_id integer, from_status text, to_status text,
            note text, source text, actor text, occurred_at timestamptz, idempotency_key text,
            request_key integer
        ) ON COMMIT DROP
    """)
    )


def _number_requests(connection: Connection) -> int:
    """Store the staged requests with ids in order of request time; keys become ids."""
    connection.execute(
        text("""
        CREATE TEMP TABLE seed_request_id ON COMMIT DROP AS
        SELECT id AS key, row_number() OVER (ORDER BY requested_at, id)::integer AS id
        FROM seed_request
    """)
    )
    connection.execute(text("CREATE UNIQUE INDEX ON seed_request_id (key)"))
    connection.execute(text("ANALYZE seed_request_id"))
    columns = ", ".join(REQUEST_COLUMNS)
    chosen = ", ".join(
        {"id": "n.id", "duplicate_of_id": "d.id"}.get(c, f"s.{c}") for c in REQUEST_COLUMNS
    )
    # Column names are our own constants.
    return connection.execute(
        text(f"""
        INSERT INTO service_request ({columns})
        SELECT {chosen}
        FROM seed_request s
        JOIN seed_request_id n ON n.key = s.id
        LEFT JOIN seed_request_id d ON d.key = s.duplicate_of_id
        ORDER BY n.id
    """)
    ).rowcount


def _insert_events(connection: Connection) -> int:
    """Store the staged events batch by batch, ids in time order within each batch (as
    `record_lamp_events` numbers a batch), each pointing at its request's id."""
    connection.execute(text("CREATE INDEX ON seed_event (batch)"))
    connection.execute(text("ANALYZE seed_event"))
    batches = connection.execute(text("SELECT max(batch) FROM seed_event")).scalar_one()
    columns = ", ".join(EVENT_COLUMNS)
    chosen = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    count = 0
    for batch in range(0 if batches is None else batches + 1):
        count += connection.execute(
            text(f"""
            INSERT INTO lamp_event (id, {columns}, service_request_id)
            SELECT :first + row_number() OVER (ORDER BY e.occurred_at, e.number), {chosen}, n.id
            FROM seed_event e LEFT JOIN seed_request_id n ON n.key = e.request_key
            WHERE e.batch = :batch
            ORDER BY 1
        """),
            {"first": count, "batch": batch},
        ).rowcount
    return count


def _table(name: str) -> Table:
    return Base.metadata.tables[name]
