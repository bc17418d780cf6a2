"""A large GeoPackage or Shapefile is imported a slice at a time, with the whole file's outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
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
