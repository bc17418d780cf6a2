"""Lamp tile cells: counted once per bulk import, and with less work per statement.

The `lamp_tile_cell` trigger of 0010 upserted some 34,000 cells for every 14,000 lamps
inserted, for each statement: a GeoPackage of 1.4 million lamps read in 70 slices upserted the
same cells 70 times (40 of its 105 s). Now:
- an INSERT skips the count while the transaction says `geo_assets.lamp_tile_cells = deferred`;
  whoever defers (the importer) calls `geo_assets_add_lamp_tile_cells(first_ids, last_ids)` once
  before commit for the id ranges it inserted: one aggregation, one write per cell;
- the counts are aggregated once, at zoom 14, and the lower zooms derived by halving the cell
  numbers (`cell >> (14 - zoom)`: exact, as the cell's Mercator position is scaled by powers of
  two), in integers rather than numerics; an INSERT or DELETE needs no second grouping.
UPDATE keeps its netting of old and new rows. The counts are the same as 0010's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("working", "out", "damaged", "in_repair", "planned", "decommissioned")
COLUMNS = f"zoom, cell_x, cell_y, {', '.join(STATUSES)}"
# Cell numbers at zoom 14 (128 cells per tile side, as geo_assets.tiles.cells says); the zooms
# 10 to 13 are these shifted right.
CELL_X14 = "floor((ST_X(r.geom) + 180.0) / 360.0 * 16384.0 * 128)::int"
CELL_Y14 = (
    "floor((1.0 - ln(tan(pi() / 4 + radians(ST_Y(r.geom)) / 2)) / pi()) / 2.0 * 16384.0 * 128)::int"
)
ZOOMS = "(VALUES (10), (11), (12), (13), (14)) AS z(zoom)"
ADDED = ", ".join(f"{status} = c.{status} + EXCLUDED.{status}" for status in STATUSES)
DEFERRED = "current_setting('geo_assets.lamp_tile_cells', true) = 'deferred'"


def _cells(rows: str, sign: str) -> str:
    """Lamps of `rows` (a FROM item aliased r) per zoom, cell and status, times `sign`."""
    counts = ", ".join(
        f"{sign}count(*) FILTER (WHERE r.status = '{status}')::int AS {status}"
        for status in STATUSES
    )
    sums = ", ".join(f"sum({status})::int AS {status}" for status in STATUSES)
    return (
        f"SELECT z.zoom::smallint AS zoom, x >> (14 - z.zoom) AS cell_x, "
        f"y >> (14 - z.zoom) AS cell_y, {sums} "
        f"FROM (SELECT {CELL_X14} AS x, {CELL_Y14} AS y, {counts} FROM {rows} GROUP BY 1, 2) c14 "
        f"CROSS JOIN {ZOOMS} GROUP BY 1, 2, 3"
    )


def _upsert(cells: str) -> str:
    """Add `cells` to the table, in key order (concurrent writers lock cells in one order)."""
    return (
        f"INSERT INTO lamp_tile_cell AS c ({COLUMNS}) {cells} ORDER BY 1, 2, 3 "
        f"ON CONFLICT (zoom, cell_x, cell_y) DO UPDATE SET {ADDED};"
    )


def _moved() -> str:
    """The 0010 netting of an UPDATE's old and new rows (a cell may net to no change)."""
    sums = ", ".join(f"sum({status})" for status in STATUSES)
    changed = " OR ".join(f"sum({status}) <> 0" for status in STATUSES)
    both = f"{_cells('new_rows r', '+')} UNION ALL {_cells('old_rows r', '-')}"
    return (
        f"INSERT INTO lamp_tile_cell AS c ({COLUMNS}) SELECT zoom, cell_x, cell_y, {sums} "
        f"FROM ({both}) d GROUP BY 1, 2, 3 HAVING {changed} ORDER BY 1, 2, 3 "
        f"ON CONFLICT (zoom, cell_x, cell_y) DO UPDATE SET {ADDED};"
    )


def _bulk_add() -> str:
    """The body of geo_assets_add_lamp_tile_cells: under the import's lock no one else writes
    cells, so existing cells are updated and new ones inserted plainly (a third faster than an
    upsert into an empty table)."""
    rows = (
        "lamp r JOIN unnest(first_ids, last_ids) AS b(low, high) ON r.id BETWEEN b.low AND b.high"
    )
    added = ", ".join(f"{status} = c.{status} + d.{status}" for status in STATUSES)
    same = "(c.zoom, c.cell_x, c.cell_y) = (d.zoom, d.cell_x, d.cell_y)"
    return (
        "LOCK TABLE lamp IN SHARE ROW EXCLUSIVE MODE; "
        f"WITH d AS MATERIALIZED ({_cells(rows, '+')}), "
        f"updated AS (UPDATE lamp_tile_cell c SET {added} FROM d WHERE {same}) "
        f"INSERT INTO lamp_tile_cell ({COLUMNS}) SELECT d.* FROM d "
        f"WHERE NOT EXISTS (SELECT FROM lamp_tile_cell c WHERE {same}) ORDER BY 1, 2, 3;"
    )


def upgrade() -> None:
    """The faster trigger function with its deferral, and the bulk function."""
    op.execute(
        "CREATE OR REPLACE FUNCTION geo_assets_lamp_tile_cells() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'INSERT' THEN IF {DEFERRED} THEN RETURN NULL; END IF; "
        f"{_upsert(_cells('new_rows r', '+'))} "
        f"ELSIF TG_OP = 'DELETE' THEN {_upsert(_cells('old_rows r', '-'))} "
        f"ELSE {_moved()} END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION geo_assets_add_lamp_tile_cells(first_ids integer[], last_ids integer[]) "
        f"RETURNS void LANGUAGE plpgsql AS $$ BEGIN {_bulk_add()} END $$"
    )


# The 0010 function, as it was.
_OLD_X = "floor((ST_X(r.geom) + 180.0) / 360.0 * (2 ^ z.zoom) * 128)::int"
_OLD_Y = (
    "floor((1.0 - ln(tan(pi() / 4 + radians(ST_Y(r.geom)) / 2)) / pi()) / 2.0"
    " * (2 ^ z.zoom) * 128)::int"
)


def _old_counts(rows: str, sign: str) -> str:
    counts = ", ".join(
        f"{sign} count(*) FILTER (WHERE r.status = '{status}') AS {status}" for status in STATUSES
    )
    return (
        f"SELECT z.zoom, {_OLD_X} AS cell_x, {_OLD_Y} AS cell_y, {counts} "
        f"FROM {rows} r CROSS JOIN {ZOOMS} GROUP BY 1, 2, 3"
    )


def _old_upsert(counts: str) -> str:
    sums = ", ".join(f"sum({status})" for status in STATUSES)
    changed = " OR ".join(f"sum({status}) <> 0" for status in STATUSES)
    return (
        f"INSERT INTO lamp_tile_cell AS c ({COLUMNS}) "
        f"SELECT zoom, cell_x, cell_y, {sums} FROM ({counts}) d "
        f"GROUP BY 1, 2, 3 HAVING {changed} ORDER BY 1, 2, 3 "
        f"ON CONFLICT (zoom, cell_x, cell_y) DO UPDATE SET {ADDED};"
    )


def downgrade() -> None:
    """Back to 0010's trigger function (no deferral) without the bulk function."""
    op.execute("DROP FUNCTION geo_assets_add_lamp_tile_cells(integer[], integer[])")
    added = _old_upsert(_old_counts("new_rows", "+"))
    removed = _old_upsert(_old_counts("old_rows", "-"))
    moved = _old_upsert(f"{_old_counts('new_rows', '+')} UNION ALL {_old_counts('old_rows', '-')}")
    op.execute(
        "CREATE OR REPLACE FUNCTION geo_assets_lamp_tile_cells() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'INSERT' THEN {added} "
        f"ELSIF TG_OP = 'DELETE' THEN {removed} "
        f"ELSE {moved} END IF; RETURN NULL; END $$"
    )
