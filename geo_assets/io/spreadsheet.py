"""Read a sheet of an .xlsx, .xls or .ods workbook as offices keep them, into a SourceTable.

What an office's sheet looks like, and what is done about it:
- a title block above the table: the header row is the row (among the first 40) that names the
  most known columns, and must name a latitude and a longitude column;
- merged cells: every cell of a merged range reads as its top-left value (a header merged over
  two rows, a road name merged down several lamps); a header split over two rows (`KOORDINAT`
  above `LINTANG | BUJUR`) is read as one;
- a row of column numbers (1, 2, 3, …) under the header, blank rows, and `JUMLAH`/`TOTAL` rows
  are skipped; rows after the last totals row (a signature block) are left out;
- coordinates are parsed by `geo_assets.io.coordinates` (numbers, decimal commas, DMS).

Each row keeps the row number Excel shows (1-based, title block counted) and the sheet's `NO`.
python-calamine reads all three formats (Rust; fast, with merged-cell ranges).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo_assets.errors import InvalidInput
from geo_assets.io.coordinates import (
    COORDINATE_HINT,
    Axis,
    CoordinateError,
    parse_coordinate,
)
from geo_assets.io.parsing import text_from_value
from geo_assets.io.source import RowProblem, SourceTable

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
HEADER_SEARCH_ROWS = 40
# Canonical names the reader itself uses; the caller's header map must produce lon and lat.
LON, LAT, ROW_LABEL = "lon", "lat", "no"
_TOTALS = re.compile(r"^(jumlah|jml|total|grand_total|sub_?total)(_|$)")

Grid = list[list[object]]


@dataclass(frozen=True)
class HeaderBand:
    """Where the header is: its last row (0-based) and each column's header text."""

    last_row: int
    names: list[str]


def is_spreadsheet(path: Path) -> bool:
    """True when `path` is read by this module (by its extension)."""
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


def header_key(text: object) -> str:
    """How header cells are compared: `DAYA (WATT)` → `daya_watt`, `No.` → `no`."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")


def read_spreadsheet(
    path: Path, *, headers: Mapping[str, str], sheet: str | None = None
) -> SourceTable:
    """Read `sheet` (default: the first with a recognisable header) of the workbook at `path`.

    `headers` maps header keys (see `header_key`) to column names; unknown headers keep their
    text. Raises InvalidInput, naming the file and sheet, when no table can be found.
    """
    workbook = _open(path)
    names = list(workbook.sheet_names)
    wanted = names if sheet is None else [_sheet_named(path, names, sheet)]
    for name in wanted:
        grid = _grid(workbook.get_sheet_by_name(name))
        band = find_header(grid, headers)
        if band is not None:
            return _table(path, name, grid, band, headers)
    raise InvalidInput(
        f"{path.name}: {'sheet ' + repr(wanted[0]) if sheet else 'no sheet'} has a header row "
        "with latitude and longitude columns (looked for LATITUDE/LINTANG and "
        f"LONGITUDE/BUJUR in the first {HEADER_SEARCH_ROWS} rows). Sheets: {', '.join(names)}."
    )


def _open(path: Path):  # noqa: ANN202 - a CalamineWorkbook (imported lazily)
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for a broken file
        raise InvalidInput(
            f"{path.name} cannot be read as a spreadsheet (.xlsx, .xls or .ods): {exc}"
        ) from None


def _sheet_named(path: Path, names: list[str], sheet: str) -> str:
    by_key = {name.strip().lower(): name for name in names}
    try:
        return by_key[sheet.strip().lower()]
    except KeyError:
        raise InvalidInput(
            f"{path.name} has no sheet '{sheet}'. Sheets: {', '.join(names)}."
        ) from None


def _grid(sheet) -> Grid:  # noqa: ANN001 - a CalamineSheet
    """The sheet's cells from A1 on, with merged ranges filled with their top-left value."""
    grid: Grid = [list(row) for row in sheet.to_python(skip_empty_area=False)]
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        if top >= len(grid):
            continue
        value = grid[top][left] if left < len(grid[top]) else ""
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            for c in range(left, min(right, len(grid[r]) - 1) + 1):
                grid[r][c] = value
    return grid


def find_header(grid: Grid, headers: Mapping[str, str]) -> HeaderBand | None:
    """The header band naming the most known columns (latitude and longitude among them)."""
    best: tuple[int, HeaderBand] | None = None
    for first in range(min(len(grid), HEADER_SEARCH_ROWS)):
        if not any(header_key(cell) in headers for cell in grid[first]):
            continue
        band = _band(grid, first, headers)
        known = {headers[key] for key in map(header_key, band.names) if key in headers}
        if LAT in known and LON in known and (best is None or len(known) > best[0]):
            best = (len(known), band)
    return None if best is None else best[1]


def _band(grid: Grid, first: int, headers: Mapping[str, str]) -> HeaderBand:
    """Row `first` as a header, with the rows under it that name columns it leaves unnamed."""
    names = [text_from_value(cell) for cell in grid[first]]
    last = first
    while last + 1 < len(grid) and _adds_names(names, grid[last + 1], headers):
        last += 1
        for column, cell in enumerate(grid[last]):
            names.extend([""] * (column + 1 - len(names)))
            if header_key(cell) in headers or not names[column]:
                names[column] = text_from_value(cell)
    return HeaderBand(last, names)


def _adds_names(names: list[str], row: list[object], headers: Mapping[str, str]) -> bool:
    """True when `row` names a known column where the header so far has none."""
    return any(
        header_key(cell) in headers
        and (column >= len(names) or header_key(names[column]) not in headers)
        for column, cell in enumerate(row)
    )


def _table(
    path: Path, sheet: str, grid: Grid, band: HeaderBand, headers: Mapping[str, str]
) -> SourceTable:
    columns = _column_names(band.names, headers)
    rows, excel_rows = _data_rows(grid, band, columns)
    if not rows:
        raise InvalidInput(f"{path.name}, sheet '{sheet}': the table has a header but no rows.")
    kept = [i for i, name in enumerate(columns) if name]
    frame = pd.DataFrame(
        [[_cell(row, i) for i in kept] for row in rows],
        columns=[columns[i] for i in kept],
        dtype=object,
    )
    sheet_headers = {columns[i]: band.names[i].strip() for i in kept}
    labels = frame.pop(ROW_LABEL).map(_shown) if ROW_LABEL in frame else None
    problems: list[RowProblem] = []
    geometry = _points(frame, sheet_headers, problems)
    return SourceTable(
        path,
        "spreadsheet",
        frame,
        geometry,
        np.asarray(excel_rows),
        problems,
        sheet=sheet,
        row_labels=None if labels is None else labels.to_numpy(object),
        headers=sheet_headers,
    )


def _cell(row: list[object], column: int) -> object:
    """The value of a cell; None where it is empty (calamine gives "")."""
    value = row[column] if column < len(row) else None
    return None if isinstance(value, str) and not value.strip() else value


def _shown(value: object) -> str:
    """A cell as text for a person; "" for an empty one."""
    return "" if value is None or pd.isna(value) else text_from_value(value)


def _column_names(names: list[str], headers: Mapping[str, str]) -> list[str]:
    """Each column's name: the known name once, else the sheet's text (made unique)."""
    result: list[str] = []
    for text in names:
        base = headers.get(header_key(text), text.strip())
        name, count = base, 1
        while name and name in result:
            count += 1
            name = f"{text.strip()} ({count})"
        result.append(name)
    return result


def _data_rows(grid: Grid, band: HeaderBand, columns: list[str]) -> tuple[Grid, list[int]]:
    """The table's rows and their Excel row numbers, without blank, numbering and totals rows."""
    rows: Grid = []
    excel_rows: list[int] = []
    body = [row[: len(columns)] for row in grid[band.last_row + 1 :]]
    totals = {i for i, row in enumerate(body) if _is_total(row)}
    for offset, cells in enumerate(body[: max(totals, default=len(body))]):
        if offset in totals or not any(text_from_value(cell) for cell in cells):
            continue
        if not rows and _is_numbering(cells):
            continue
        rows.append(cells)
        excel_rows.append(band.last_row + offset + 2)
    return rows, excel_rows


def _is_total(row: list[object]) -> bool:
    """A `JUMLAH` / `TOTAL` row: its first filled cell says so."""
    first = next((cell for cell in row if cell is not None and cell != ""), "")
    return isinstance(first, str) and bool(_TOTALS.match(header_key(first)))


def _is_numbering(row: list[object]) -> bool:
    """The row of column numbers (1, 2, 3, … or (1), (2), …) some offices put under a header."""
    filled = [header_key(text_from_value(cell)) for cell in row if text_from_value(cell)]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _points(
    frame: pd.DataFrame, sheet_headers: dict[str, str], problems: list[RowProblem]
) -> np.ndarray:
    """Points from the lat/lon columns (removed from `frame`); bad cells become problems."""
    xs = _axis(frame.pop(LON).tolist(), "lon", sheet_headers[LON], problems)
    ys = _axis(frame.pop(LAT).tolist(), "lat", sheet_headers[LAT], problems)
    geometry = np.full(len(frame), None, dtype=object)
    both = ~np.isnan(xs) & ~np.isnan(ys)
    geometry[both] = shapely.points(xs[both], ys[both])
    return geometry


def _axis(values: list[object], axis: Axis, header: str, problems: list[RowProblem]) -> np.ndarray:
    """One coordinate column as numbers (NaN where bad); each distinct cell is parsed once."""
    parsed: dict[tuple[type, object], float | str] = {}
    numbers = np.full(len(values), np.nan)
    for index, value in enumerate(values):
        key = (type(value), value)
        if key not in parsed:
            try:
                parsed[key] = parse_coordinate(value, axis)
            except CoordinateError as exc:
                parsed[key] = str(exc)
        result = parsed[key]
        if isinstance(result, str):
            problems.append(RowProblem(index, header, _shown(value), result, COORDINATE_HINT))
        else:
            numbers[index] = result
    return numbers
