"""A large GeoPackage or Shapefile is imported a slice at a time, with the whole file's outcome."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from geo_assets.errors import InvalidInput
from geo_assets.io import ogr_chunks
from geo_assets.io.importer import import_file
from tests.factories import add_lamp
from tests.io.helpers import count, write_ogr

# Twelve lamps on Jl. A. Yani; three slices of four when read four rows at a time.
ROWS = [
    {"code": f"PJU-63.72.04-{n:05d}", "lamp_type": "led", "wattage": 60, "pole_height_m": 9.0}
    for n in range(1, 13)
]
WKTS = [f"POINT ({114.805 + n * 0.002:.3f} -3.4401)" for n in range(12)]


def _file(tmp_path: Path, name: str, rows: list[dict], driver: str | None = None) -> Path:
    return write_ogr(tmp_path / name, rows, WKTS, driver=driver)


def _flawed() -> list[dict]:
    """Rows 6 and 10 share a code (two slices); row 11's wattage is no number; slice 1 is clean."""
    rows = [dict(row) for row in ROWS]
    rows[5]["code"] = rows[9]["code"]
    rows[10]["wattage"] = "terang"
    return rows


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_sliced_import_reports_like_the_whole_file_and_stores_nothing(
    city: Engine, tmp_path: Path, suffix: str
) -> None:
    """Read 4 rows at a time, the report (file row numbers, repeats across slices) is the whole
    file's, and a refused row in the last slice undoes the slices stored before it."""
    path = _file(tmp_path, f"lamps{suffix}", _flawed())
    whole = import_file(city, entity="lamps", path=path, write_report=False)
    sliced = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=4)
    assert sliced.issues == whole.issues
    assert [(i.row, i.field) for i in sliced.errors] == [(6, "code"), (10, "code"), (11, "wattage")]
    assert "(rows 6, 10)" in sliced.errors[0].problem
    assert (sliced.rows_read, sliced.refused, sliced.imported) == (12, 3, 0)
    assert count(city, "lamp") == 0
    assert count(city, "lamp_event") == 0


def test_sliced_import_with_skip_invalid_stores_the_valid_rows_of_every_slice(
    city: Engine, tmp_path: Path
) -> None:
    """With --skip-invalid, the 9 valid lamps of three slices go in, with one summary audit row."""
    path = _file(tmp_path, "lamps.gpkg", _flawed())
    report = import_file(
        city, entity="lamps", path=path, write_report=False, chunk_rows=4, skip_invalid=True
    )
    assert (report.rows_read, report.refused, report.imported) == (12, 3, 9)
    assert count(city, "lamp") == 9
    assert count(city, "lamp_event") == 9
    with city.connect() as conn:
        audit = conn.execute(text("SELECT after FROM audit_log WHERE action = 'bulk'")).all()
        codes = conn.execute(text("SELECT code FROM lamp ORDER BY code")).scalars().all()
    assert [row[0]["rows"] for row in audit] == [9]
    assert not {"PJU-63.72.04-00006", "PJU-63.72.04-00010", "PJU-63.72.04-00011"} & set(codes)


def test_sliced_import_of_a_clean_file_stores_every_row(city: Engine, tmp_path: Path) -> None:
    """A clean file read in slices of 5 (the last one short) stores all 12 lamps."""
    path = _file(tmp_path, "lamps.gpkg", ROWS)
    report = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=5)
    assert report.ok and report.imported == 12, report.issues
    with city.connect() as conn:
        codes = conn.execute(text("SELECT code FROM lamp ORDER BY code")).scalars().all()
    assert codes == [row["code"] for row in ROWS]


def test_next_slice_is_checked_while_the_database_writes(city: Engine, tmp_path: Path) -> None:
    """With every lamp COPY slowed down by the database (0.5 s), each next slice is checked
    right after the slice before is handed to the database, not once it is written; all 12 go
    in."""
    with city.begin() as conn:
        conn.execute(text(SLOW_LAMP_INSERTS))
    said: list[tuple[float, str]] = []
    report = import_file(
        city,
        entity="lamps",
        path=_file(tmp_path, "lamps.gpkg", ROWS),
        write_report=False,
        chunk_rows=4,
        progress=lambda message: said.append((time.monotonic(), message)),
    )
    assert report.ok and report.imported == 12, report.issues
    checking = [at for at, message in said if message.startswith("checking")]
    storing = [at for at, message in said if message.startswith("storing")]
    assert len(checking) == len(storing) == 3
    # Read slice by slice without overlap, each check would start after a 0.5 s write.
    assert checking[1] - storing[0] < 0.25, said
    assert checking[2] - storing[1] < 0.25, said
    assert count(city, "lamp_event") == 12


# A pause after each statement that inserts lamps (test database only).
SLOW_LAMP_INSERTS = """
CREATE FUNCTION slow_lamp_inserts() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
CREATE TRIGGER slow_lamp_inserts AFTER INSERT ON lamp
FOR EACH STATEMENT EXECUTE FUNCTION slow_lamp_inserts();
"""


def test_a_slice_that_cannot_be_read_stores_nothing(
    city: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read error in the third slice (made while the first two are written) is the file's
    report, the slices stored before are undone, and the reading thread is gone."""
    read = ogr_chunks._table
    calls = []

    def third_fails(source: ogr_chunks.OgrLayer, frame: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise InvalidInput("the file is damaged after row 8")
        return read(source, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(ogr_chunks, "_table", third_fails)
    threads = threading.active_count()
    path = _file(tmp_path, "lamps.gpkg", ROWS)
    report = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=4)
    assert [(i.row, i.problem) for i in report.errors] == [
        (None, "the file is damaged after row 8")
    ]
    assert report.imported == 0
    assert count(city, "lamp") == 0
    assert count(city, "lamp_event") == 0
    assert threading.active_count() == threads


def test_office_ids_repeated_across_slices_are_reported_like_the_whole_file(
    city: Engine, tmp_path: Path
) -> None:
    """An office id on rows 2 and 7 (slices 1 and 2 of 4 rows) is refused on row 7 as 'also on
    row 2', as when the file is read whole; nothing is stored."""
    rows = [dict(row, office_id=f"A-{n}") for n, row in enumerate(ROWS, start=1)]
    rows[6]["office_id"] = "A-2"
    path = _file(tmp_path, "lamps.gpkg", rows)
    whole = import_file(city, entity="lamps", path=path, write_report=False)
    sliced = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=4)
    assert sliced.issues == whole.issues
    assert [(i.row, i.field, i.problem) for i in sliced.errors] == [
        (7, "office_id", "the office id 'A-2' is also on row 2")
    ]
    assert count(city, "lamp") == 0


def test_lamps_without_codes_are_numbered_on_across_slices(city: Engine, tmp_path: Path) -> None:
    """A file without codes read in slices of 5: its 12 lamps get 12 consecutive numbers after
    the highest one stored in their kecamatan, none twice."""
    with city.begin() as conn:
        add_lamp(conn, code="PJU-63.72.04-00041", lon=114.81, lat=-3.4401)
    rows = [{k: v for k, v in row.items() if k != "code"} for row in ROWS]
    path = _file(tmp_path, "lamps.gpkg", rows)
    report = import_file(city, entity="lamps", path=path, write_report=False, chunk_rows=5)
    assert report.ok and report.imported == 12, report.issues
    with city.connect() as conn:
        codes = conn.execute(text("SELECT code FROM lamp ORDER BY id")).scalars().all()
    district = codes[1].rsplit("-", 1)[0]
    assert codes[1:] == [f"{district}-{n:05d}" for n in range(42, 54)], codes
