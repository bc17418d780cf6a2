"""Survey workbooks in their other shapes: .ods, no table, our own codes, repeated office ids."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.io.helpers import count
from tests.io.survey_workbook import write_ods

HEADER = ["No.", "Kode", "Jenis Lampu", "Daya", "Tinggi Tiang", "Kondisi", "Lintang", "Bujur"]


def _xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _stored(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text("SELECT office_id, code, lamp_type, status FROM lamp ORDER BY code")
            )
        ]


def test_ods_with_a_header_split_over_two_rows(city: Engine, tmp_path: Path) -> None:
    """An .ods whose KOORDINAT spans LINTANG | BUJUR on the row below is read; rows as in Calc."""
    path = write_ods(
        tmp_path / "rekap.ods",
        {
            "Rekap": [
                ["REKAP PJU KECAMATAN BANJARBARU SELATAN"],
                [],
                HEADER[:6] + [("Koordinat", 2)],
                [None] * 6 + ["Lintang", "Bujur"],
                [1, "S-1", "SON", 70, 8, "hidup", "-3,4401", "114,86"],
                [2, "S-2", "LED", 70, 8, "padam", "3°99'S", "114,861"],
                ["Jumlah", None, None, 140],
            ]
        },
    )
    report = import_file(city, entity="lamps", path=path)
    assert [(i.line, i.no, i.field) for i in report.errors] == [(6, "2", "Lintang")]
    assert report.rows_read == 2 and report.imported == 0
    fixed = write_ods(
        tmp_path / "fixed.ods",
        {
            "Rekap": [
                HEADER,
                [1, "S-1", "SON", 70, 8, "hidup", "-3,4401", "114,86"],
                [2, "S-2", "LED", 70, 8, "padam", "3°26'24\"S", "114,861"],
            ]
        },
    )
    assert import_file(city, entity="lamps", path=fixed).ok
    assert _stored(city) == [
        ("S-1", "PJU-63.72.05-00001", "sodium", "working"),
        ("S-2", "PJU-63.72.05-00002", "led", "out"),
    ]


def test_xls_with_merged_header_cells(city: Engine, tmp_path: Path) -> None:
    """An Excel 97 .xls with headers merged over two rows and DMS text imports like an .xlsx."""
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("PJU")
    sheet.write_merge(0, 0, 0, 7, "DATA PJU 2026")
    for column, title in enumerate(HEADER[:6]):
        sheet.write_merge(2, 3, column, column, title.upper())
    sheet.write_merge(2, 2, 6, 7, "KOORDINAT")
    sheet.write(3, 6, "LINTANG")
    sheet.write(3, 7, "BUJUR")
    row = [1, "X-1", "Merkuri", 125, 9, "RUSAK", "3°26'24\"S", "114°49'48\"E"]
    for column, value in enumerate(row):
        sheet.write(4, column, value)
    for column, value in enumerate([2, "X-2", "LED", 60, 9, "Menyala", "-3,4402", "114°49'BB"]):
        sheet.write(5, column, value)
    workbook.save(str(tmp_path / "lama.xls"))
    report = import_file(city, entity="lamps", path=tmp_path / "lama.xls", skip_invalid=True)
    # 114°49' west (BB, bujur barat) is a valid longitude, on the other side of the world.
    assert [(i.line, i.no, i.field, i.problem) for i in report.errors] == [
        (6, "2", "geometry", "lies outside Banjarbaru")
    ]
    assert _stored(city) == [("X-1", "PJU-63.72.04-00001", "mercury", "damaged")]


def test_a_workbook_without_a_table_is_refused_with_its_sheets(
    city: Engine, tmp_path: Path
) -> None:
    """No header with coordinates anywhere: one file-level problem, the .xlsx report says it."""
    path = _xlsx(tmp_path / "notes.xlsx", [["Catatan"], ["NO", "NAMA JALAN", "DAYA"]], "Memo")
    report = import_file(city, entity="lamps", path=path)
    assert [i.row for i in report.issues] == [None]
    assert "LATITUDE/LINTANG and LONGITUDE/BUJUR" in report.issues[0].problem
    assert "Sheets: Memo." in report.issues[0].problem
    workbook = load_workbook(tmp_path / "notes.xlsx.report.xlsx")
    assert "Sheets: Memo." in workbook["Masalah"]["G2"].value
    assert count(city, "lamp") == 0


def test_a_kode_column_of_our_own_codes_is_our_code(city: Engine, tmp_path: Path) -> None:
    """KODE holding only codes in our pattern is taken as our code, not as the office's id."""
    path = _xlsx(
        tmp_path / "ours.xlsx",
        [HEADER, [1, "PJU-63.72.04-00042", "LED", 60, 9, "Menyala", -3.4401, 114.83]],
    )
    assert import_file(city, entity="lamps", path=path).ok
    assert _stored(city) == [(None, "PJU-63.72.04-00042", "led", "working")]


def test_an_office_id_twice_in_a_survey_names_the_first_row(city: Engine, tmp_path: Path) -> None:
    """The second row with the same ID is refused, naming the Excel row of the first."""
    path = _xlsx(
        tmp_path / "twice.xlsx",
        [
            ["SURVEI PJU"],
            HEADER,
            [1, "A-1", "LED", 60, 9, "Menyala", -3.4401, 114.83],
            [2, "A-1", "LED", 60, 9, "Menyala", -3.4402, 114.831],
        ],
    )
    report = import_file(city, entity="lamps", path=path)
    assert [(i.line, i.no, i.field, i.problem) for i in report.errors] == [
        (4, "2", "Kode", "the office id 'A-1' is also on Excel row 3")
    ]
    assert count(city, "lamp") == 0


def test_blank_cells_take_defaults_or_say_they_are_empty(city: Engine, tmp_path: Path) -> None:
    """A blank KONDISI means the default (working); a blank BUJUR is named as empty."""
    path = _xlsx(
        tmp_path / "blank.xlsx",
        [
            HEADER,
            [1, "B-1", "LED", 60, 9, None, -3.4401, 114.83],
            [2, "B-2", "LED", 60, 9, "Mati", -3.4402, None],
        ],
    )
    report = import_file(city, entity="lamps", path=path, skip_invalid=True)
    assert [(i.line, i.no, i.field, i.problem) for i in report.errors] == [
        (3, "2", "Bujur", "is empty")
    ]
    assert _stored(city) == [("B-1", "PJU-63.72.04-00001", "led", "working")]


def test_lines_and_polygons_are_not_read_from_spreadsheets(city: Engine, tmp_path: Path) -> None:
    """Roads from a workbook are refused with a pointer to the formats that carry lines."""
    path = _xlsx(tmp_path / "roads.xlsx", [["KODE", "NAMA", "LINTANG", "BUJUR"]])
    report = import_file(city, entity="roads", path=path)
    assert "a spreadsheet holds points" in report.issues[0].problem
    assert count(city, "road") == 2
