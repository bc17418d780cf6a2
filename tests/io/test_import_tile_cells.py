"""A lamp import counts its lamps in the tile cells once, before commit, and the cell trigger
stays exact for every other write: the cells always equal a recount from the lamps."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.factories import add_lamp
from tests.io.helpers import write_ogr

STATUSES = ("working", "out", "damaged", "in_repair", "planned", "decommissioned")
STORED = f"""
SELECT zoom, cell_x, cell_y, {", ".join(STATUSES)} FROM lamp_tile_cell
WHERE {" + ".join(STATUSES)} > 0 ORDER BY 1, 2, 3
"""
# The cells from the lamps, zoom by zoom, with the formula of migration 0010.
RECOUNT = f"""
SELECT z.zoom, floor((ST_X(l.geom) + 180.0) / 360.0 * (2 ^ z.zoom) * 128)::int,
       floor((1.0 - ln(tan(pi() / 4 + radians(ST_Y(l.geom)) / 2)) / pi()) / 2.0
             * (2 ^ z.zoom) * 128)::int,
       {", ".join(f"count(*) FILTER (WHERE l.status = '{s}')" for s in STATUSES)}
FROM lamp l CROSS JOIN generate_series(10, 14) AS z(zoom) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
# Two places already holding a lamp each, and the file's nine lamps: three on the first place
# (its cells are added to), the others on new places (new cells), across several statuses.
PLACE_A, PLACE_B = (114.8301, -3.4401), (114.8502, -3.4503)
FILE_PLACES = [PLACE_A, PLACE_A, PLACE_A] + [
    (114.81 + n * 0.007, -3.43 - n * 0.003) for n in range(6)
]


def _cells(engine: Engine) -> tuple[list[tuple], list[tuple]]:
    """(the stored cells, the recount)."""
    with engine.connect() as conn:
        stored = [tuple(row) for row in conn.execute(text(STORED))]
        recount = [tuple(row) for row in conn.execute(text(RECOUNT))]
    return stored, recount


def test_sliced_import_adds_each_lamp_once_to_the_tile_cells(city: Engine, tmp_path: Path) -> None:
    """Nine lamps imported in three slices, onto a cell already counted and onto new ones: the
    cells equal the recount (each lamp once), and an insert after the import is counted."""
    with city.begin() as conn:
        add_lamp(conn, code="PJU-63.72.04-00001", lon=PLACE_A[0], lat=PLACE_A[1])
        add_lamp(conn, code="PJU-63.72.05-00001", lon=PLACE_B[0], lat=PLACE_B[1], status="out")
    rows = [
        {
            "code": f"PJU-63.72.04-{n:05d}",
            "status": STATUSES[n % len(STATUSES)],
            "lamp_type": "led",
            "wattage": 60,
            "pole_height_m": 9.0,
        }
        for n in range(2, 2 + len(FILE_PLACES))
    ]
    wkts = [f"POINT ({lon} {lat})" for lon, lat in FILE_PLACES]
    path = write_ogr(tmp_path / "lamps.gpkg", rows, wkts)
    report = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=4)
    assert report.ok and report.imported == 9, report.issues
    stored, recount = _cells(city)
    assert stored == recount
    assert sum(sum(cell[3:]) for cell in stored if cell[0] == 14) == 11
    with city.begin() as conn:
        add_lamp(conn, code="PJU-63.72.05-00002", lon=PLACE_B[0], lat=PLACE_B[1])
    stored, recount = _cells(city)
    assert stored == recount
    assert sum(sum(cell[3:]) for cell in stored if cell[0] == 14) == 12


def test_cell_trigger_stays_exact_through_insert_update_move_and_delete(city: Engine) -> None:
    """Lamps inserted in one statement, a status change, a move and a delete: after each the
    cells equal the recount."""
    steps = [
        "INSERT INTO lamp (code, status, lamp_type, wattage, pole_height_m, geom) "
        "SELECT 'PJU-63.72.04-' || lpad(n::text, 5, '0'), "
        "(ARRAY['working', 'out', 'damaged'])[n % 3 + 1], 'led', 60, 9, "
        "ST_SetSRID(ST_MakePoint(114.83 + (n % 4) * 0.0003, -3.44 - (n % 5) * 0.002), 4326) "
        "FROM generate_series(1, 30) AS n",
        "UPDATE lamp SET status = 'in_repair' WHERE status = 'out'",
        "UPDATE lamp SET geom = ST_Translate(geom, 0.01, 0) WHERE code LIKE '%1_'",
        "DELETE FROM lamp WHERE status = 'damaged'",
    ]
    for step in steps:
        with city.begin() as conn:
            conn.execute(text(step))
        stored, recount = _cells(city)
        assert stored == recount, step
