"""`--format xlsx` exports, opened with openpyxl: real numbers and dates, Indonesian headers."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
import shapely
from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli.main import app
from geo_assets.io.exporter import export_features
from geo_assets.io.xlsx_export import fitting_wkt
from geo_assets.io.xlsx_writer import MAX_CELL_CHARS
from tests.io.test_export_files import ENTITIES, EXPECTED_COUNTS


def _export(engine: Engine, tmp_path: Path, entity: str, **options: str) -> tuple[int, object]:
    path = tmp_path / f"{entity}.xlsx"
    written = export_features(engine, entity=entity, out=path, fmt="xlsx", **options)
    return written, load_workbook(path)


def _column(sheet, header: str) -> list:  # noqa: ANN001 - an openpyxl worksheet
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def test_lamps_sheet_has_typed_cells_and_indonesian_headers(
    shared_stocked_city: Engine, tmp_path: Path
) -> None:
    """Lamps: Indonesian headers, wattage and lon/lat as numbers, installed_on a date, the
    status time an Excel date-time, header row frozen, column widths set."""
    written, book = _export(shared_stocked_city, tmp_path, "lamps")
    sheet = book["Lampu PJU"]
    headers = [cell.value for cell in sheet[1]]
    assert written == 3 and sheet.max_row == 4
    assert headers[:4] == ["ID", "Kode", "Kode status", "Status"]
    assert {"Jenis lampu", "Daya (W)", "Tanggal pasang", "Bujur (lon)", "Lintang (lat)"} <= set(
        headers
    )
    assert "Geometri (WKT)" not in headers  # points: lon/lat columns instead
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    wattage = _column(sheet, "Daya (W)")
    assert [c.value for c in wattage] == [60, 150, 90] and {c.data_type for c in wattage} == {"n"}
    lon = _column(sheet, "Bujur (lon)")
    assert [c.value for c in lon] == [114.83, 114.82, 114.86]
    assert lon[0].number_format == "0.0000000"
    installed = _column(sheet, "Tanggal pasang")[0]
    assert installed.is_date and installed.value.date() == date(2021, 6, 1)
    changed = _column(sheet, "Status berubah (WITA)")[1]
    assert changed.is_date and isinstance(changed.value, datetime)
    assert [c.value for c in _column(sheet, "Status")] == ["Menyala", "Mati", "Menyala"]
    for letter, header in zip("ABCDEFGHIJKLMNOPQRS", headers, strict=False):
        width = sheet.column_dimensions[letter].width
        assert width >= max(len(word) for word in header.split()), header
    notes = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows(min_row=2)}
    assert notes["Jumlah baris"] == 3 and notes["Sistem koordinat"] == "WGS 84 (EPSG:4326)"


def test_english_headers_with_lang_en(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """lang='en' gives English headers and status labels."""
    _, book = _export(shared_stocked_city, tmp_path, "lamps", lang="en")
    sheet = book["Street lights"]
    headers = [cell.value for cell in sheet[1]]
    assert {"Code", "Wattage (W)", "Longitude", "Latitude"} <= set(headers)
    assert [c.value for c in _column(sheet, "Status")] == ["Working", "Out", "Working"]


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_entity_exports(shared_stocked_city: Engine, tmp_path: Path, entity: str) -> None:
    """Every exportable entity gives one row per feature, frozen header, and its geometry:
    lon/lat numbers for points, a WKT that shapely reads for lines and polygons."""
    written, book = _export(shared_stocked_city, tmp_path, entity)
    sheet = book.worksheets[0]
    assert written == EXPECTED_COUNTS[entity] == sheet.max_row - 1
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    if "Geometri (WKT)" in headers:
        shapes = [shapely.from_wkt(c.value) for c in _column(sheet, "Geometri (WKT)")]
        assert all(shape.is_valid and not shape.is_empty for shape in shapes)
    else:
        assert {c.data_type for c in _column(sheet, "Lintang (lat)")} == {"n"}
    assert {c.data_type for c in _column(sheet, "ID")} == {"n"}


def test_polygon_measures_are_numbers(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """Cemetery area, capacity and gate coordinates are numeric cells, not text."""
    _, book = _export(shared_stocked_city, tmp_path, "cemeteries")
    sheet = book["TPU"]
    for header in ("Luas (m²)", "Kapasitas", "Bujur gerbang"):
        assert {c.data_type for c in _column(sheet, header) if c.value is not None} == {"n"}
    assert [c.value for c in _column(sheet, "Kapasitas")] == [500, 200]


def test_filters_apply_to_xlsx(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """--kecamatan filters the spreadsheet like the other formats."""
    from geo_assets.io.export_queries import ExportFilters

    path = tmp_path / "utara.xlsx"
    written = export_features(
        shared_stocked_city,
        entity="lamps",
        out=path,
        fmt="xlsx",
        filters=ExportFilters(kecamatan="Banjarbaru Utara"),
    )
    assert written == 2 and load_workbook(path).worksheets[0].max_row == 3


def test_long_wkt_is_simplified_to_fit_a_cell() -> None:
    """A polygon whose WKT exceeds Excel's 32,767 characters is simplified until it fits."""
    circle = shapely.Point(114.8, -3.44).buffer(0.05, quad_segs=2000)
    wkt = shapely.to_wkt(circle, rounding_precision=7)
    assert len(wkt) > MAX_CELL_CHARS
    fitted = fitting_wkt(wkt)
    assert len(fitted) <= MAX_CELL_CHARS
    assert shapely.from_wkt(fitted).symmetric_difference(circle).area < 0.001 * circle.area


def test_cli_export_xlsx_by_option_and_extension(
    shared_stocked_city: Engine, tmp_path: Path
) -> None:
    """`geo-assets export roads --format xlsx` and `-o roads.xlsx` both write a workbook."""
    url = shared_stocked_city.url.render_as_string(hide_password=False)
    runner = CliRunner()
    env = {"GEO_ASSETS_DATABASE_URL": url, "COLUMNS": "200"}
    by_option = tmp_path / "roads-file"
    result = runner.invoke(
        app, ["export", "roads", "--format", "xlsx", "-o", str(by_option)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "wrote 2 roads" in result.output
    by_extension = tmp_path / "roads.xlsx"
    result = runner.invoke(app, ["export", "roads", "-o", str(by_extension)], env=env)
    assert result.exit_code == 0, result.output
    for path in (by_option, by_extension):
        sheet = load_workbook(io.BytesIO(path.read_bytes()))["Jalan"]
        assert [c.value for c in sheet[1]][:4] == ["ID", "Kode", "Nama", "Kelas jalan"]
        assert {c.data_type for c in _column(sheet, "Panjang (m)")} == {"n"}
    assert not list(tmp_path.glob(".*partial*"))
