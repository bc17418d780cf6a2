"""The row-level import report: what was wrong with which row, and what would have been allowed.

`row` is the data row as a person counts it (1 = first feature, or first CSV data line); `line`
is, for a CSV, the line in the file (the header is line 1). File-level problems have no row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

Severity = Literal["error", "warning"]
REPORT_COLUMNS = ("row", "line", "code", "field", "value", "problem", "allowed", "severity")
# A spreadsheet's report: `excel_row` is the row Excel shows, `no` the sheet's own NO column.
SHEET_REPORT_COLUMNS = ("row", "excel_row", "no", *REPORT_COLUMNS[2:])


@dataclass(frozen=True)
class Issue:
    """One problem in one row (or in the whole file when `row` is None)."""

    row: int | None
    field: str
    problem: str
    allowed: str = ""
    value: str = ""
    code: str = ""
    line: int | None = None
    severity: Severity = "error"
    no: str = ""

    def as_row(self, *, sheet: bool = False) -> tuple[object, ...]:
        """The issue as a report CSV row (with the sheet's NO for a spreadsheet)."""
        return (
            self.row if self.row is not None else "",
            self.line or "",
            *((self.no,) if sheet else ()),
            self.code,
            self.field,
            self.value,
            self.problem,
            self.allowed,
            self.severity,
        )


@dataclass
class ImportReport:
    """What an import did: rows read, imported and refused, and every problem found."""

    entity: str
    path: Path
    rows_read: int = 0
    imported: int = 0
    refused: int = 0
    skip_invalid: bool = False
    issues: list[Issue] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    reprojected_from: str | None = None
    report_path: Path | None = None
    # Set for a spreadsheet ("" until its sheet is known); its report is also written as .xlsx.
    sheet: str | None = None
    sheet_report_path: Path | None = None

    @property
    def errors(self) -> list[Issue]:
        """The issues that refuse a row (or the file)."""
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """Notes about rows that were accepted anyway (e.g. a lamp far from any road)."""
        return [issue for issue in self.issues if issue.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when every row of the file was imported."""
        return not self.errors

    def summary(self) -> str:
        """One sentence for a person."""
        name = self.path.name
        if self.ok:
            text = f"{name}: {self.imported} of {self.rows_read} {self.entity} imported."
        elif self.imported:
            text = (
                f"{name}: {self.imported} of {self.rows_read} {self.entity} imported; "
                f"{self.refused} row(s) refused."
            )
        elif self.rows_read and self.refused < self.rows_read and not self.skip_invalid:
            text = (
                f"{name}: {self.refused} of {self.rows_read} row(s) have problems, so nothing "
                f"was imported. Fix them, or run again with --skip-invalid to import the "
                f"{self.rows_read - self.refused} valid row(s)."
            )
        else:
            text = f"{name}: nothing was imported."
        if self.warnings:
            text += f" {len(self.warnings)} warning(s)."
        return text

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (e.g. for a JSON response)."""
        return {
            "entity": self.entity,
            "file": self.path.name,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "refused": self.refused,
            "summary": self.summary(),
            "reprojected_from": self.reprojected_from,
            "ignored_columns": self.ignored_columns,
            "issues": [asdict(issue) for issue in self.issues],
        }

    def write_csv(self, path: Path) -> Path:
        """Write the report as CSV (UTF-8 with BOM, so spreadsheets show Indonesian text right)."""
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            sheet = self.sheet is not None
            writer.writerow(SHEET_REPORT_COLUMNS if sheet else REPORT_COLUMNS)
            writer.writerows(issue.as_row(sheet=sheet) for issue in self.issues)
        self.report_path = path
        return path


def default_report_path(source: Path) -> Path:
    """`<file>.report.csv`, next to the imported file."""
    return source.with_name(source.name + ".report.csv")


Progress = Callable[[str], None]
Report = TypeVar("Report", bound=ImportReport)


def say(progress: Progress | None, message: str) -> None:
    """Tell the progress display (when there is one) what the import is doing."""
    if progress:
        progress(message)


def finish_report(report: Report, report_path: Path | None, write: bool) -> Report:
    """Write the report next to the file (or at `report_path`) as CSV, and also as .xlsx for a
    spreadsheet; where it cannot be written, `report.report_path` stays None."""
    if write and (report_path or report.path.exists()):
        try:
            report.write_csv(report_path or default_report_path(report.path))
            if report.sheet is not None and report.report_path:
                # Imported here: the spreadsheet modules build on this one.
                from geo_assets.io.sheet_report import write_sheet_report
                from geo_assets.io.survey import sheet_report_path

                write_sheet_report(report, sheet_report_path(report.report_path))
        except OSError:
            report.report_path = None
    return report
