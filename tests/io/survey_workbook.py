"""A public-works office's lamp survey as offices keep it, written with openpyxl for the tests.

Sheet `Petunjuk` (instructions, no table), then `Data PJU` (the survey) and `Usulan 2027`
(a second, plain table). `Data PJU` has a three-line title block, a header merged over rows
5-6 with `KOORDINAT` over `LINTANG | BUJUR`, a row of column numbers, Indonesian labels in any
case with stray spaces, coordinates as numbers, decimal-comma text and DMS, a road name merged
down three lamps, a condition merged over two, a blank row, two bad rows, a `JUMLAH` row and a
signature block. The small city of tests/io/conftest.py splits at 114.84 E: 63.72.04 west of
it, 63.72.05 east.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

SURVEY_SHEET = "Data PJU"
SECOND_SHEET = "Usulan 2027"
HEADER = (
    "NO",
    "ID PJU",
    "NAMA JALAN",
    "JENIS LAMPU",
    "DAYA (WATT)",
    "TINGGI TIANG (M)",
    "KONDISI",
    "KOORDINAT",
    None,
    "KETERANGAN",
)
# (Excel row, cells); the NO is the first cell. Rows 14 and 15 are bad.
ROWS: list[tuple[int, tuple[object, ...]]] = [
    (8, (1, "BJB-001", "Jl. A. Yani", "LED", 60, 9, "Menyala", -3.4401, 114.8300, None)),
    (9, (2, "BJB-002", None, " son-t ", 150, 10, " Rusak ", "-3,4402", "114,8310", "lama")),
    (10, (3, "BJB-003", None, "Merkuri", 125, 9, None, "3°26'24.4\"S", "114°51'36\"E", None)),
    (
        12,
        (
            4,
            "BJB-004",
            "Jl. Mentaos",
            "led",
            40,
            7,
            "MATI",
            "3° 25′ 48″ LS",
            "114° 49′ 12″ BT",
            None,
        ),
    ),
    (13, (5, "BJB-005", "Jl. Mentaos", "LED", "90", "9", "Nyala", -3.4399, 114.86, None)),
    (14, (6, "BJB-006", "Jl. Mentaos", "Neon", 60, 9, "Menyala", -3.44, 114.83, "jenis?")),
    (15, (7, "BJB-007", "Jl. Mentaos", "LED", 60, 9, "Menyala", "3°61'10\"S", 114.83, None)),
]
GOOD_IDS = ("BJB-001", "BJB-002", "BJB-003", "BJB-004", "BJB-005")
BAD_EXCEL_ROWS = {14: "6", 15: "7"}


def write_survey(path: Path, *, bad_rows: bool = True) -> Path:
    """Write the survey workbook at `path` (without rows 14 and 15 when `bad_rows` is False)."""
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Petunjuk"
    notes.append(["Isi satu baris per titik lampu."])
    notes.append(["Koordinat boleh dalam derajat desimal atau derajat-menit-detik."])
    _survey_sheet(workbook.create_sheet(SURVEY_SHEET), bad_rows)
    _second_sheet(workbook.create_sheet(SECOND_SHEET))
    workbook.save(path)
    return path


def _survey_sheet(sheet, bad_rows: bool) -> None:  # noqa: ANN001 - an openpyxl Worksheet
    sheet["A1"] = "DATA PENERANGAN JALAN UMUM (PJU)"
    sheet["A2"] = "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KOTA BANJARBARU"
    sheet["A3"] = "Keadaan per 30 September 2026"
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
    for column, text in enumerate(HEADER, start=1):
        if text:
            sheet.cell(5, column, text)
        if text not in ("KOORDINAT", None):
            sheet.merge_cells(start_row=5, start_column=column, end_row=6, end_column=column)
    sheet.merge_cells("H5:I5")
    sheet["H6"], sheet["I6"] = "LINTANG", "BUJUR"
    for column in range(1, 11):
        sheet.cell(7, column, column)
    for excel_row, cells in ROWS:
        if excel_row in BAD_EXCEL_ROWS and not bad_rows:
            continue
        for column, value in enumerate(cells, start=1):
            if value is not None:
                sheet.cell(excel_row, column, value)
    sheet.merge_cells("C8:C10")
    sheet.merge_cells("G9:G10")  # both lamps damaged: offices merge equal neighbours
    sheet["A16"] = "JUMLAH"
    sheet.merge_cells("A16:D16")
    sheet["E16"] = 585
    sheet["H18"] = "Banjarbaru, 30 September 2026"
    sheet["H19"] = "Kepala Bidang Penerangan Jalan"


def _second_sheet(sheet) -> None:  # noqa: ANN001 - an openpyxl Worksheet
    sheet.append(["NO", "KODE", "JENIS", "DAYA", "TINGGI TIANG", "LATITUDE", "LONGITUDE"])
    sheet.append([1, "U-01", "LED", 60, 9, -3.4501, 114.8201])
    sheet.append([2, "U-02", "LED", 60, 9, -3.4502, 114.8601])
    sheet.append(["TOTAL", None, None, 120])


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (as LibreOffice saves one), one table per sheet.

    A cell given as `("text", columns)` spans that many columns (a merged cell).
    """
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value: object) -> str:
        span = ""
        if isinstance(value, tuple):
            value, columns = value
            span = f' table:number-columns-spanned="{columns}"'
        if value is None:
            return f"<table:table-cell{span}/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell{span} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell{span} office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
