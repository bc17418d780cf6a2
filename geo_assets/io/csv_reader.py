"""Read a CSV with lon/lat (or WKT) columns, as spreadsheets in Indonesia write them.

`,`, `;`, tab or `|` separated (guessed from the header), UTF-8 (with or without BOM) or
Windows-1252, blank lines skipped, decimal commas tolerated in coordinates. Each row keeps the
line it starts on (header = line 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo_assets.errors import InvalidInput
from geo_assets.io.parsing import number_from_text
from geo_assets.io.source import RowProblem, SourceTable

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "bujur")
LAT_NAMES = ("lat", "latitude", "y", "lintang")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "wkt_geom")


def read_csv(path: Path) -> SourceTable:
    """Read a CSV with lon/lat (or WKT) columns; `,`, `;` or tab separated; blank lines skipped."""
    text = _decode(path)
    header, records, lines = _csv_records(path, text)
    if not records:
        raise InvalidInput(f"{path.name} has a header but no data rows.")
    problems = [
        RowProblem(
            i,
            "(row)",
            f"{len(r)} values",
            f"has {len(r)} values but the header has {len(header)} columns",
            "one value per column",
        )
        for i, r in enumerate(records)
        if len(r) > len(header) and any(c.strip() for c in r[len(header) :])
    ]
    width = len(header)
    frame = pd.DataFrame(
        [(r + [""] * width)[:width] for r in records], columns=header, dtype=object
    )
    geometry = _csv_geometry(path, frame, problems)
    return SourceTable(path, "CSV", frame, geometry, np.asarray(lines), problems)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_records(path: Path, text: str) -> tuple[list[str], list[list[str]], list[int]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InvalidInput(f"{path.name} is empty.")
    delimiter = max((",", ";", "\t", "|"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    line_before = 0
    for record in reader:
        start, line_before = line_before + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            continue
        records.append(record)
        lines.append(start)
    assert header is not None
    duplicated = sorted({name for name in header if header.count(name) > 1 and name})
    if duplicated:
        raise InvalidInput(f"{path.name}: the header repeats column(s) {', '.join(duplicated)}.")
    return header, records, lines


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_key = {str(column).strip().lower(): column for column in frame.columns}
    return next((by_key[name] for name in names if name in by_key), None)


def _csv_geometry(path: Path, frame: pd.DataFrame, problems: list[RowProblem]) -> np.ndarray:
    """Points from lon/lat columns, else shapes from a WKT column; the columns are removed."""
    lon_col, lat_col = _column(frame, LON_NAMES), _column(frame, LAT_NAMES)
    wkt_col = _column(frame, WKT_NAMES)
    if not (lon_col and lat_col) and not wkt_col:
        raise InvalidInput(
            f"{path.name} has no coordinates: add 'lon' and 'lat' columns (also accepted: "
            "lng/longitude/x/bujur and latitude/y/lintang) or a 'wkt' column. "
            f"Columns found: {', '.join(map(str, frame.columns))}."
        )
    geometry = np.full(len(frame), None, dtype=object)
    if wkt_col:
        wkt = frame.pop(wkt_col).astype(str).str.strip()
        parsed = shapely.from_wkt(wkt.where(wkt != "", None).to_numpy(), on_invalid="ignore")
        geometry[:] = parsed
        for index in np.flatnonzero(pd.isna(parsed) & (wkt != "").to_numpy()):
            problems.append(
                RowProblem(
                    int(index),
                    wkt_col,
                    wkt.iloc[index][:60],
                    "is not valid WKT",
                    "e.g. LINESTRING (114.8 -3.44, ...)",
                )
            )
    if lon_col and lat_col:
        _csv_points(frame.pop(lon_col), frame.pop(lat_col), geometry, problems)
    return geometry


def _csv_points(
    lon: pd.Series, lat: pd.Series, geometry: np.ndarray, problems: list[RowProblem]
) -> None:
    """Fill `geometry` with points where lon and lat are numbers; report the rows where not."""
    xs, ys = _coordinates(lon), _coordinates(lat)
    both = ~np.isnan(xs) & ~np.isnan(ys)
    geometry[both] = shapely.points(xs[both], ys[both])
    for index in np.flatnonzero(~both):
        if geometry[index] is not None:
            continue  # the WKT column gave this row its shape
        for name, series, numbers in ((lon.name, lon, xs), (lat.name, lat, ys)):
            if np.isnan(numbers[index]):
                raw = str(series.iloc[index]).strip()
                problem = f"'{raw}' is not a number" if raw else "is empty"
                problems.append(
                    RowProblem(
                        int(index),
                        str(name),
                        raw,
                        problem,
                        "decimal degrees, e.g. 114.8312 / -3.4420",
                    )
                )


def _coordinates(column: pd.Series) -> np.ndarray:
    """Numbers of a coordinate column (NaN where not a number); plain ones are parsed at once."""
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(float, copy=True)
    for index in np.flatnonzero(np.isnan(numbers)):
        value = number_from_text(column.iloc[index]) if str(column.iloc[index]).strip() else None
        numbers[index] = np.nan if value is None else value
    return numbers
