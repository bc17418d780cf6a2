"""Data versions per spatial table, and lamp counts per pixel cell for low-zoom tiles.

Vector tiles take their ETag from `data_version`: a tile is unchanged as long as the versions
of the tables it is drawn from are. One statement-level trigger per table (not per row), so a
bulk import of a million lamps bumps the version once; a change rolled back rolls its bump
back. A table gets its row at its first change (a new database stays empty, as a restore
wants it).

`lamp_tile_cell` counts lamps per status in each cell (2x2 pixels) of zooms 10 to 14, so a
tile of the whole city at 1.4 million lamps reads a few thousand cells instead of every lamp.
Statement-level triggers with transition tables keep it exact, set-based: one grouped upsert
per statement, in key order (so concurrent writers lock cells in the same order). Emptied
cells stay at 0.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables vector tiles are drawn from (the OGC collections with a geometry).
VERSIONED_TABLES = (
    "lamp",
    "road",
    "kecamatan",
    "kelurahan",
    "cemetery",
    "cemetery_block",
    "plot",
    "access_road",
    "prayer_room",
    "service_request",
)


# Zooms with lamp cells, 128 cells per tile side (geo_assets.tiles.cells agrees).
CELL_ZOOMS = "(VALUES (10), (11), (12), (13), (14)) AS z(zoom)"
CELL_X = "floor((ST_X(r.geom) + 180.0) / 360.0 * (2 ^ z.zoom) * 128)::int"
CELL_Y = (
    "floor((1.0 - ln(tan(pi() / 4 + radians(ST_Y(r.geom)) / 2)) / pi()) / 2.0"
    " * (2 ^ z.zoom) * 128)::int"
)
# One count per lamp status (the vocabulary of ck_lamp_status).
STATUSES = ("working", "out", "damaged", "in_repair", "planned", "decommissioned")


def _cell_counts(rows: str, sign: str) -> str:
    """Lamps of `rows` per zoom, cell and status, times `sign`."""
    counts = ", ".join(
        f"{sign} count(*) FILTER (WHERE r.status = '{status}') AS {status}" for status in STATUSES
    )
    return (
        f"SELECT z.zoom, {CELL_X} AS cell_x, {CELL_Y} AS cell_y, {counts} "
        f"FROM {rows} r CROSS JOIN {CELL_ZOOMS} GROUP BY 1, 2, 3"
    )


def _upsert(counts: str) -> str:
    sums = ", ".join(f"sum({status})" for status in STATUSES)
    changed = " OR ".join(f"sum({status}) <> 0" for status in STATUSES)
    added = ", ".join(f"{status} = c.{status} + EXCLUDED.{status}" for status in STATUSES)
    return (
        f"INSERT INTO lamp_tile_cell AS c (zoom, cell_x, cell_y, {', '.join(STATUSES)}) "
        f"SELECT zoom, cell_x, cell_y, {sums} FROM ({counts}) d "
        f"GROUP BY 1, 2, 3 HAVING {changed} ORDER BY 1, 2, 3 "
        f"ON CONFLICT (zoom, cell_x, cell_y) DO UPDATE SET {added};"
    )


def _lamp_cells() -> None:
    counts = ", ".join(f"{status} integer NOT NULL DEFAULT 0" for status in STATUSES)
    op.execute(
        "CREATE TABLE lamp_tile_cell ("
        f" zoom smallint NOT NULL, cell_x integer NOT NULL, cell_y integer NOT NULL, {counts},"
        " PRIMARY KEY (zoom, cell_x, cell_y))"
    )
    added = _upsert(_cell_counts("new_rows", "+"))
    removed = _upsert(_cell_counts("old_rows", "-"))
    moved = _upsert(f"{_cell_counts('new_rows', '+')} UNION ALL {_cell_counts('old_rows', '-')}")
    op.execute(
        "CREATE FUNCTION geo_assets_lamp_tile_cells() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'INSERT' THEN {added} "
        f"ELSIF TG_OP = 'DELETE' THEN {removed} "
        f"ELSE {moved} END IF; RETURN NULL; END $$"
    )
    for verb, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER lamp_tile_cells_{verb.lower()} AFTER {verb} ON lamp "
            f"REFERENCING {tables} FOR EACH STATEMENT "
            "EXECUTE FUNCTION geo_assets_lamp_tile_cells()"
        )
    op.execute(
        "CREATE FUNCTION geo_assets_lamp_tile_cells_truncate() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN TRUNCATE lamp_tile_cell; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER lamp_tile_cells_truncate AFTER TRUNCATE ON lamp "
        "FOR EACH STATEMENT EXECUTE FUNCTION geo_assets_lamp_tile_cells_truncate()"
    )
    op.execute(_upsert(_cell_counts("lamp", "+")))


def upgrade() -> None:
    """`data_version` with its bump trigger per table, and `lamp_tile_cell` with its triggers."""
    op.execute(
        "CREATE TABLE data_version ("
        " table_name text PRIMARY KEY,"
        " version bigint NOT NULL DEFAULT 1,"
        " changed_at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute(
        "CREATE FUNCTION geo_assets_bump_data_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO data_version AS v (table_name) VALUES (TG_TABLE_NAME) "
        "ON CONFLICT (table_name) DO UPDATE SET version = v.version + 1, changed_at = now(); "
        "RETURN NULL; END $$"
    )
    for table in VERSIONED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_data_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION geo_assets_bump_data_version()"
        )
    _lamp_cells()


def downgrade() -> None:
    """Drop the triggers, functions and tables."""
    for verb in ("insert", "delete", "update", "truncate"):
        op.execute(f"DROP TRIGGER lamp_tile_cells_{verb} ON lamp")
    op.execute("DROP FUNCTION geo_assets_lamp_tile_cells()")
    op.execute("DROP FUNCTION geo_assets_lamp_tile_cells_truncate()")
    op.execute("DROP TABLE lamp_tile_cell")
    for table in VERSIONED_TABLES:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
    op.execute("DROP FUNCTION geo_assets_bump_data_version()")
    op.execute("DROP TABLE data_version")
