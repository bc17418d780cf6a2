"""Spreadsheets for people: `.xlsx` workbooks with real numbers and dates in their cells.

Every sheet has its header in row 1 (bold, frozen so it stays in view while scrolling, with an
auto-filter), column widths that fit the content, and an optional bold totals row at the end.
Numbers stay numbers and dates become Excel dates (timestamps in city time, WITA, since Excel
has no time zones). openpyxl is imported inside the functions that write, so commands that
never write a spreadsheet do not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from geo_assets.errors import InvalidInput

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CITY_TIMEZONE = ZoneInfo("Asia/Makassar")  # WITA: timestamps are written in city time
MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
WIDTH_SAMPLE_ROWS = 2000  # column widths are measured on the first rows
MIN_WIDTH, MAX_WIDTH = 6, 60

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
COORDINATE_FORMAT = "0.0000000"


@dataclass(frozen=True)
class Column:
    """One column: its header label and, when the values need one, an Excel number format."""

    label: str
    number_format: str | None = None


@dataclass
class Sheet:
    """A sheet: a title (≤ 31 characters), its columns, its rows and an optional totals row."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    totals: Sequence[Any] | None = None


def excel_value(value: Any) -> Any:
    """A value Excel can hold: aware timestamps in city time without zone, Decimal as float."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(CITY_TIMEZONE).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _format_of(value: Any, column: Column) -> str | None:
    if column.number_format:
        return column.number_format
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def _shown_length(value: Any, number_format: str | None) -> int:
    """Roughly how many characters the cell shows."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float):
        if number_format == COORDINATE_FORMAT:
            return len(f"{value:.7f}")
        text = f"{value:,.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
        return len(text)
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_workbook(sheets: Sequence[Sheet], out: Path | None = None) -> bytes:
    """Write the sheets as one workbook; returns its bytes (and writes `out` when given).

    InvalidInput when a sheet has more rows than Excel can open.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        out.write_bytes(data)
    return data


def _write_sheet(book: Any, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows_iter = iter(sheet.rows)
    sample = [
        list(map(excel_value, row))
        for _, row in zip(range(WIDTH_SAMPLE_ROWS), rows_iter, strict=False)
    ]
    totals = [excel_value(v) for v in sheet.totals] if sheet.totals is not None else None
    ws = book.create_sheet(sheet.title[:31])
    widths = _widths(sheet.columns, [*sample, *([totals] if totals else [])])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    if sheet.columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, column.label)
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    ws.append(header)

    def cells(row: Sequence[Any], font: Any = None) -> list[Any]:
        out = []
        for value, column in zip(row, sheet.columns, strict=False):
            number_format = _format_of(value, column)
            if number_format is None and font is None:
                out.append(value)
                continue
            cell = WriteOnlyCell(ws, value)
            if number_format:
                cell.number_format = number_format
            if font is not None:
                cell.font = font
            out.append(cell)
        return out

    written = 1
    for row in _chain(sample, rows_iter):
        written += 1
        if written > MAX_ROWS - (1 if totals else 0):
            raise InvalidInput(
                f"Sheet '{sheet.title}' has more rows than Excel opens ({MAX_ROWS - 1:,}); "
                "filter the export (--kecamatan, --bbox, --status) or use gpkg or csv."
            )
        ws.append(cells(row))
    if totals is not None:
        ws.append(cells(totals, bold))


def _chain(sample: list[list[Any]], rest: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield from sample
    for row in rest:
        yield [excel_value(value) for value in row]


def _widths(columns: Sequence[Column], rows: list[Sequence[Any]]) -> list[float]:
    """Column widths (in characters) that fit the header's words and the sampled values."""
    widths = []
    for index, column in enumerate(columns):
        longest_word = max((len(word) for word in column.label.split()), default=0)
        longest = max(
            [
                min(len(column.label), 24),
                longest_word,
                *(
                    _shown_length(row[index], _format_of(row[index], column))
                    for row in rows
                    if index < len(row)
                ),
            ]
        )
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths
