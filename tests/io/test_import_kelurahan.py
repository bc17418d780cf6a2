"""Imported lamps get their kelurahan from the importer by the trigger's rule; the trigger still
derives it for any other INSERT without one, and for every move."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.io.helpers import feature, point, write_geojson

LAMP = {"lamp_type": "led", "wattage": 60, "pole_height_m": 9.0}
# The trigger's rule: the kelurahan covering the point, the lowest id when several do.
TRIGGER_RULE = """
    SELECT l.code, l.kelurahan_id,
           (SELECT k.id FROM kelurahan k WHERE ST_Covers(k.geom, l.geom) ORDER BY k.id LIMIT 1)
    FROM lamp l ORDER BY l.code
"""


def test_imported_lamps_get_the_kelurahan_the_trigger_would_give(
    city: Engine, tmp_path: Path
) -> None:
    """Inside either kelurahan, on their shared edge (the lower id) and on the city's corner."""
    places = [(114.83, -3.44), (114.86, -3.45), (114.84, -3.44), (114.80, -3.46)]
    path = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(point(lon, lat), code=f"PJU-63.72.04-{n:05d}", **LAMP)
            for n, (lon, lat) in enumerate(places, start=1)
        ],
    )
    assert import_file(city, entity="lamps", path=path, write_report=False).imported == 4
    with city.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(TRIGGER_RULE))]
    assert [row[1] for row in rows] == [1, 2, 1, 1]
    assert all(row[1] == row[2] for row in rows)


def test_trigger_derives_kelurahan_on_plain_insert_and_on_every_move(city: Engine) -> None:
    """An INSERT without kelurahan gets one; one given (as the importer does) is kept; a move
    derives it again whatever the UPDATE says."""
    insert = text(
        "INSERT INTO lamp (code, lamp_type, wattage, pole_height_m, kelurahan_id, geom) "
        "VALUES (:code, 'led', 60, 9, :kelurahan, ST_SetSRID(ST_MakePoint(:lon, -3.44), 4326)) "
        "RETURNING kelurahan_id"
    )
    with city.begin() as conn:
        derived = conn.execute(
            insert, {"code": "PJU-63.72.05-00001", "kelurahan": None, "lon": 114.86}
        ).scalar_one()
        given = conn.execute(
            insert, {"code": "PJU-63.72.04-00001", "kelurahan": 2, "lon": 114.83}
        ).scalar_one()
        moved = conn.execute(
            text(
                "UPDATE lamp SET geom = ST_SetSRID(ST_MakePoint(114.831, -3.44), 4326), "
                "kelurahan_id = 2 WHERE code = 'PJU-63.72.04-00001' RETURNING kelurahan_id"
            )
        ).scalar_one()
    assert (derived, given, moved) == (2, 2, 1)
