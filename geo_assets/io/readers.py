"""Read a GeoJSON, GeoPackage, Shapefile or CSV file into attribute columns and WGS 84 geometries.

Row numbers are counted as a person counts them: data row 1 is the first feature of a GeoJSON,
GeoPackage or Shapefile, or the first non-blank line after the header of a CSV. For a CSV the
line in the file (header = line 1, blank lines counted) is kept too, to find the row in an editor.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo_assets.errors import InvalidInput
from geo_assets.io.parsing import number_from_text

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
OGR_KINDS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".zip": "Shapefile (zipped)",
}
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "bujur")
LAT_NAMES = ("lat", "latitude", "y", "lintang")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "wkt_geom")


@dataclass
class RowProblem:
    """Something wrong with one row, found while reading it (e.g. a lon that is not a number)."""

    index: int
    field: str
    value: str
    problem: str
    allowed: str = ""


@dataclass
class SourceTable:
    """A file's rows: raw attribute values, geometries in EPSG:4326, and reading problems."""

    path: Path
    kind: str
    frame: pd.DataFrame
    geometry: np.ndarray
    line_numbers: np.ndarray | None = None
    problems: list[RowProblem] = field(default_factory=list)
    reprojected_from: str | None = None

    def __len__(self) -> int:
        return len(self.frame)


def read_source(path: Path, *, layer_names: tuple[str, ...] = ()) -> SourceTable:
    """Read `path` by its extension; a layer named in `layer_names` is preferred in a GeoPackage.

    Raises InvalidInput, naming the file, when the file as a whole cannot be read.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    if suffix in OGR_KINDS:
        return read_ogr(path, OGR_KINDS[suffix], layer_names)
    raise InvalidInput(
        f"{path.name}: unknown file type '{suffix or '(none)'}'. Use .geojson, .gpkg, "
        ".shp (or a zipped Shapefile), or .csv with lon/lat columns."
    )


# --- GDAL formats -------------------------------------------------------------------------


def read_ogr(path: Path, kind: str, layer_names: tuple[str, ...] = ()) -> SourceTable:
    """Read a GDAL-readable file (GeoJSON, GeoPackage, Shapefile) with pyogrio."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layer = _pick_layer(path, pyogrio.list_layers(path), layer_names)
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError) as exc:
        raise InvalidInput(_unreadable_message(path, kind, exc)) from None
    if frame.empty:
        raise InvalidInput(f"{path.name} contains no features.")
    geometry = frame.geometry.to_numpy()
    reprojected_from = None
    if frame.crs is not None and _epsg_of(path, frame.crs) != 4326:
        reprojected_from = f"EPSG:{_epsg_of(path, frame.crs)}"
        geometry = frame.geometry.to_crs(4326).to_numpy()
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return SourceTable(
        path,
        kind,
        attributes.reset_index(drop=True),
        np.asarray(geometry),
        reprojected_from=reprojected_from,
    )


def _pick_layer(path: Path, layers: np.ndarray, preferred: tuple[str, ...]) -> str:
    names = [str(row[0]) for row in layers]
    if not names:
        raise InvalidInput(f"{path.name} contains no layer.")
    for name in preferred:
        if name in names:
            return name
    if len(names) > 1:
        raise InvalidInput(
            f"{path.name} has {len(names)} layers ({', '.join(names)}); name one "
            f"{' or '.join(preferred) or 'of them'} or keep one layer per file."
        )
    return names[0]


def _epsg_of(path: Path, crs: object) -> int:
    """The EPSG code of a file's CRS; OGC:CRS84 counts as 4326 (same datum, lon/lat order)."""
    from pyproj import CRS

    crs = CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    if epsg is not None:
        return epsg
    if crs.to_authority() == ("OGC", "CRS84"):
        return 4326
    raise InvalidInput(
        f"{path.name} is in a coordinate system without an EPSG code ({crs.name}). "
        "Reproject it to EPSG:4326 (WGS 84, lon/lat) first, e.g. "
        f"ogr2ogr -t_srs EPSG:4326 out{path.suffix} {path.name}"
    )


def _unreadable_message(path: Path, kind: str, exc: Exception) -> str:
    if kind == "GeoJSON":
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as bad:
            return (
                f"{path.name} is not valid JSON: {bad.msg} at line {bad.lineno}, "
                f"column {bad.colno}. Nothing was imported."
            )
        except UnicodeDecodeError:
            return f"{path.name} is not UTF-8 text, as GeoJSON must be."
        if not isinstance(document, dict) or document.get("type") not in (
            "FeatureCollection",
            "Feature",
        ):
            return f"{path.name} is JSON but not a GeoJSON FeatureCollection."
    return f"{path.name} cannot be read as {kind}: {str(exc).strip()}"


# --- CSV ------------------------------------------------------------------------------------


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
