"""The import report as an .xlsx workbook, for an office that sent a spreadsheet.

Sheet `Masalah`: one row per problem, with the row Excel shows and the sheet's own NO first,
row numbers as numbers (not text), a frozen header row and an autofilter. Sheet `Ringkasan`:
the file, the sheet read, and how many rows were read, imported and refused.
"""

from __future__ import annotations

from pathlib import Path

from geo_assets.io.report import ImportReport, Issue

ISSUE_HEADERS = (
    "Baris Excel",
    "NO",
    "Baris data",
    "Kode",
    "Kolom",
    "Nilai",
    "Masalah",
    "Yang diterima",
    "Tingkat",
)
SEVERITY_LABELS = {"error": "Ditolak", "warning": "Peringatan"}
_WIDTHS = (12, 8, 11, 22, 18, 24, 70, 60, 12)


def write_sheet_report(report: ImportReport, path: Path) -> Path:
    """Write `report` as an .xlsx workbook at `path`; records the path on the report."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    issues = workbook.active
    assert issues is not None
    issues.title = "Masalah"
    issues.append(ISSUE_HEADERS)
    for issue in report.issues:
        issues.append(_issue_row(issue))
    for cell in issues[1]:
        cell.font = Font(bold=True)
    issues.freeze_panes = "A2"
    issues.auto_filter.ref = issues.dimensions
    for letter, width in zip("ABCDEFGHI", _WIDTHS, strict=True):
        issues.column_dimensions[letter].width = width
    summary = workbook.create_sheet("Ringkasan")
    for row in _summary_rows(report):
        summary.append(row)
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 90
    workbook.save(path)
    report.sheet_report_path = path
    return path


def _issue_row(issue: Issue) -> tuple[object, ...]:
    return (
        issue.line,
        _number_or_text(issue.no),
        issue.row,
        issue.code or None,
        issue.field,
        issue.value or None,
        issue.problem,
        issue.allowed or None,
        SEVERITY_LABELS.get(issue.severity, issue.severity),
    )


def _number_or_text(value: str) -> object:
    """The sheet's NO as a number when it is one (so it sorts as the office's sheet does)."""
    return int(value) if value.isdigit() else (value or None)


def _summary_rows(report: ImportReport) -> list[tuple[object, object]]:
    return [
        ("Berkas", report.path.name),
        ("Lembar", report.sheet or None),
        ("Baris dibaca", report.rows_read),
        ("Diimpor", report.imported),
        ("Ditolak", report.refused),
        ("Ringkasan", report.summary()),
    ]
