"""`geo-assets import lamps survey.xlsx`: an office's messy survey workbook, as a person runs it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.api.api_helpers import add_users, bearer, make_client
from tests.io.helpers import count, feature, point, write_geojson
from tests.io.survey_workbook import GOOD_IDS, SECOND_SHEET, write_survey


@pytest.fixture
def lamp_seven(city: Engine, tmp_path: Path) -> Engine:
    """The small city with one lamp already numbered 00007 in kecamatan 63.72.04."""
    path = write_geojson(
        tmp_path / "existing.geojson",
        [
            feature(
                point(114.81, -3.45),
                code="PJU-63.72.04-00007",
                lamp_type="led",
                wattage=60,
                pole_height_m=9,
            )
        ],
    )
    assert import_file(city, entity="lamps", path=path, write_report=False).ok
    return city


def _lamps(engine: Engine) -> dict[str, tuple]:
    """office_id → (code, lamp_type, wattage, status, lon, lat) of the lamps from a survey."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT office_id, code, lamp_type, wattage, status, "
                "round(ST_X(geom)::numeric, 5), round(ST_Y(geom)::numeric, 5) "
                "FROM lamp WHERE office_id IS NOT NULL"
            )
        ).all()
    return {row[0]: tuple(row[1:4]) + (row[4], float(row[5]), float(row[6])) for row in rows}


def test_survey_with_skip_invalid_imports_the_good_rows_with_codes_per_kecamatan(
    run, lamp_seven: Engine, tmp_path: Path
) -> None:  # noqa: ANN001
    """The 5 good rows go in, numbered per kecamatan after the highest code, labels mapped."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path), "--skip-invalid")
    assert result.exit_code == 2, result.output
    assert "survey.xlsx: 5 of 7 lamps imported; 2 row(s) refused." in result.output
    assert _lamps(lamp_seven) == {
        "BJB-001": ("PJU-63.72.04-00008", "led", 60, "working", 114.83, -3.4401),
        "BJB-002": ("PJU-63.72.04-00009", "sodium", 150, "damaged", 114.831, -3.4402),
        "BJB-003": ("PJU-63.72.05-00001", "mercury", 125, "damaged", 114.86, -3.44011),
        "BJB-004": ("PJU-63.72.04-00010", "led", 40, "out", 114.82, -3.43),
        "BJB-005": ("PJU-63.72.05-00002", "led", 90, "working", 114.86, -3.4399),
    }
    assert count(lamp_seven, "lamp") == 6
    assert "columns not used: NAMA JALAN, KETERANGAN" in result.output


def test_bad_rows_are_reported_by_excel_row_and_no(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """Each bad row is named by the row Excel shows and the sheet's NO, printed and in the CSV."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path), "--skip-invalid")
    printed = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in result.output.splitlines()
        if line.startswith("│")
    ]
    assert "excel row" in result.output
    assert {(row[0], row[1], row[2], row[4]) for row in printed if row[0]} == {
        ("6", "14", "6", "JENIS LAMPU"),
        ("7", "15", "7", "LINTANG"),
    }
    with (tmp_path / "survey.xlsx.report.csv").open(encoding="utf-8-sig") as report:
        rows = list(csv.DictReader(report))
    errors = [row for row in rows if row["severity"] == "error"]
    assert {(row["excel_row"], row["no"], row["field"]) for row in errors} == {
        ("14", "6", "JENIS LAMPU"),
        ("15", "7", "LINTANG"),
    }
    dms = next(row for row in errors if row["field"] == "LINTANG")
    assert "61 minutes" in dms["problem"]
    assert "degrees-minutes-seconds" in dms["allowed"]


def test_the_report_is_also_an_xlsx_workbook(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """The .xlsx report opens, its bad rows carry Excel row and NO as numbers, header frozen."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path))
    report_path = tmp_path / "survey.xlsx.report.xlsx"
    assert f"report: {report_path}" in result.output.replace("\n", "")
    workbook = load_workbook(report_path)
    sheet = workbook["Masalah"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Baris Excel", "NO", "Baris data"]
    rejected = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1] == "Ditolak"]
    assert {(row[0], row[1]) for row in rejected} == {(14, 6), (15, 7)}
    assert all(isinstance(row[0], int) and isinstance(row[1], int) for row in rejected)
    summary = dict(workbook["Ringkasan"].iter_rows(values_only=True))
    assert summary["Lembar"] == "Data PJU"
    assert (summary["Baris dibaca"], summary["Diimpor"], summary["Ditolak"]) == (7, 0, 2)


def test_without_skip_invalid_nothing_is_stored(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """Two bad rows refuse the whole survey: exit 1, no lamp and no event stored."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path))
    assert result.exit_code == 1, result.output
    assert "2 of 7 row(s) have problems, so nothing was imported" in result.output
    assert count(city, "lamp") == 0
    assert count(city, "lamp_event") == 0


def test_a_clean_survey_imports_every_lamp(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """Without its bad rows the survey imports whole; totals row and signature are not rows."""
    path = write_survey(tmp_path / "survey.xlsx", bad_rows=False)
    result = run("import", "lamps", str(path))
    assert result.exit_code == 0, result.output
    assert "survey.xlsx: 5 of 5 lamps imported." in result.output
    assert sorted(_lamps(city)) == list(GOOD_IDS)


def test_sheet_option_picks_another_sheet(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """`--sheet` (any case) reads the second table; KODE is the office's id there too."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path), "--sheet", SECOND_SHEET.upper())
    assert result.exit_code == 0, result.output
    assert "2 of 2 lamps imported" in result.output
    assert {office_id: row[0] for office_id, row in _lamps(city).items()} == {
        "U-01": "PJU-63.72.04-00001",
        "U-02": "PJU-63.72.05-00001",
    }


def test_unknown_sheet_is_named_with_the_sheets_there(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """`--sheet` naming no sheet says which sheets the workbook has, and stores nothing."""
    path = write_survey(tmp_path / "survey.xlsx")
    result = run("import", "lamps", str(path), "--sheet", "Rekap")
    assert result.exit_code == 1
    assert "has no sheet 'Rekap'. Sheets: Petunjuk, Data PJU, Usulan 2027." in " ".join(
        result.output.split()
    )
    assert count(city, "lamp") == 0


def test_a_survey_imported_twice_is_refused_by_office_id(city: Engine, tmp_path: Path) -> None:
    """The second import of the same survey refuses every row: the office ids are stored."""
    path = write_survey(tmp_path / "survey.xlsx", bad_rows=False)
    assert import_file(city, entity="lamps", path=path).imported == 5
    again = import_file(city, entity="lamps", path=path)
    assert again.imported == 0 and again.refused == 5
    first = again.errors[0]
    assert (first.line, first.no, first.field) == (8, "1", "ID PJU")
    assert "already has the office id 'BJB-001'" in first.problem
    assert count(city, "lamp") == 5


def test_office_id_is_searchable_in_the_api(city: Engine, db_url: str, tmp_path: Path) -> None:
    """GET /api/v1/lamps?office_id=BJB-003 finds the lamp the survey made, with its office id."""
    assert import_file(
        city, entity="lamps", path=write_survey(tmp_path / "s.xlsx", bad_rows=False)
    ).ok
    add_users(city)
    with make_client(db_url) as client:
        response = client.get(
            "/api/v1/lamps", params={"office_id": "BJB-003"}, headers=bearer(client, "planner")
        )
    assert response.status_code == 200, response.text
    features = response.json()["features"]
    assert [f["properties"]["code"] for f in features] == ["PJU-63.72.05-00001"]
    assert features[0]["properties"]["office_id"] == "BJB-003"
