"""The rows of a kecamatan or kelurahan boundary file: fields recognised, codes, polygons checked.

Official files name their fields in several ways; the BIG/Kemendagri administrative layers use
`KDCPUM` / `WADMKC` (kecamatan code and name), `KDEPUM` / `WADMKD` (desa/kelurahan code and
name) and `NAMOBJ` (the object's name). Those and the common Indonesian names (`kode`, `nama`,
`kode_kel`, `nama_desa`, `kecamatan`, `luas`…) are recognised, first match in `ALIASES` order;
`--column TARGET=SOURCE` renames anything else before this module sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon

from geo_assets.io.parsing import text_from_value
from geo_assets.io.source import SourceTable
from geo_assets.io.validation import Problems, column_key

LEVELS = ("kecamatan", "kelurahan")
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kecamatan": {
        "code": ("code", "kode", "kode_kec", "kode_kecamatan", "kd_kec", "kdcpum", "kode_wilayah"),
        "name": ("name", "nama", "nama_kec", "nama_kecamatan", "wadmkc", "kecamatan", "namobj"),
        "official_area_km2": ("official_area_km2", "luas_km2", "luas", "luas_wilayah"),
    },
    "kelurahan": {
        "code": (
            *("code", "kode", "kode_kel", "kode_kelurahan", "kode_desa", "kd_kel", "kd_desa"),
            *("kdepum", "kode_wilayah"),
        ),
        "name": (
            *("name", "nama", "nama_kel", "nama_kelurahan", "nama_desa", "wadmkd", "kelurahan"),
            *("desa", "desa_kelurahan", "namobj"),
        ),
        "kecamatan_code": ("kecamatan_code", "kode_kec", "kode_kecamatan", "kd_kec", "kdcpum"),
    },
}
CODE_PATTERN = {
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "kelurahan": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
CODE_HINT = {
    "kecamatan": "a Kemendagri kecamatan code such as 63.72.04 (or 637204)",
    "kelurahan": "a Kemendagri kelurahan code such as 63.72.04.1002 (or 6372041002)",
}
POLYGON_HINT = "a Polygon or MultiPolygon"


@dataclass
class BoundaryRows:
    """Checked rows: code, name, kecamatan code, area and MultiPolygon (None where refused)."""

    level: str
    codes: np.ndarray
    names: np.ndarray
    kecamatan_codes: np.ndarray  # kelurahan only: from a column, else from the code
    areas: np.ndarray  # kecamatan only: official area in km², None when the file has none
    geometry: np.ndarray
    problems: Problems
    mapping: dict[str, str]  # field → file column
    ignored: list[str]

    def __len__(self) -> int:
        return len(self.codes)


def recognise_columns(level: str, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """({field: column}, ignored columns): each field takes its first alias present."""
    keys = {column_key(c): str(c) for c in columns}
    mapping: dict[str, str] = {}
    for target, aliases in ALIASES[level].items():
        for alias in aliases:
            if alias in keys and keys[alias] not in mapping.values():
                mapping[target] = keys[alias]
                break
    return mapping, [str(c) for c in columns if str(c) not in mapping.values()]


def normalise_code(value: object, level: str) -> str | None:
    """`63.72.04.1002`, `6372041002` or ` 63.72.04.1002 ` → `63.72.04.1002`; None if malformed."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = text_from_value(value).replace(" ", "")
    if text.isdigit() and len(text) in (6, 10):
        parts = [text[0:2], text[2:4], text[4:6]] + ([text[6:]] if len(text) == 10 else [])
        text = ".".join(parts)
    return text if CODE_PATTERN[level].match(text) else None


def check_rows(level: str, source: SourceTable) -> BoundaryRows:
    """Every row's code, name and polygon checked; problems recorded by row."""
    problems = Problems(len(source))
    for problem in source.problems:
        problems.add(problem.index, problem.field, problem.problem, problem.allowed, problem.value)
    mapping, ignored = recognise_columns(level, list(source.frame.columns))
    for field in ("code", "name"):
        if field not in mapping:
            known = ", ".join(ALIASES[level][field])
            problems.file(
                field,
                f"no column for the {level}'s {field}",
                f"a column named one of {known}, or --column {field}=COLUMN",
            )
    n = len(source)
    codes = _codes(level, _column(source.frame, mapping.get("code"), n), problems)
    names = _names(_column(source.frame, mapping.get("name"), n), problems)
    kecamatan_codes = np.full(n, None, dtype=object)
    if level == "kelurahan":
        kecamatan_codes = _kecamatan_codes(
            codes, _column(source.frame, mapping.get("kecamatan_code"), n), problems
        )
    areas = _areas(_column(source.frame, mapping.get("official_area_km2"), n), problems)
    geometry = check_polygons(source.geometry, problems)
    return BoundaryRows(
        level, codes, names, kecamatan_codes, areas, geometry, problems, mapping, ignored
    )


def _column(frame: pd.DataFrame, name: str | None, n: int) -> list[object]:
    return [None] * n if name is None else list(frame[name])


def _codes(level: str, values: list[object], problems: Problems) -> np.ndarray:
    codes = np.full(len(values), None, dtype=object)
    first_row: dict[str, int] = {}
    for index, value in enumerate(values):
        code = normalise_code(value, level)
        if code is None:
            shown = "" if value is None else value
            problems.add(index, "code", "is missing or not a code", CODE_HINT[level], shown)
        elif code in first_row:
            problems.add(
                index, "code", f"repeats row {first_row[code] + 1}", "each code once", code
            )
        else:
            first_row[code] = index
        codes[index] = code
    return codes


def _names(values: list[object], problems: Problems) -> np.ndarray:
    names = np.full(len(values), None, dtype=object)
    for index, value in enumerate(values):
        text = "" if value is None or pd.isna(value) else text_from_value(value)
        if not text:
            problems.add(index, "name", "is empty", "the name of the area")
        elif len(text) > 80:
            problems.add(index, "name", "is longer than 80 characters", "a name", text)
        else:
            names[index] = " ".join(text.split())
    return names


def _kecamatan_codes(codes: np.ndarray, values: list[object], problems: Problems) -> np.ndarray:
    result = np.full(len(codes), None, dtype=object)
    for index, (code, value) in enumerate(zip(codes, values, strict=True)):
        own = code.rsplit(".", 1)[0] if code else None
        given = None if value is None or pd.isna(value) else normalise_code(value, "kecamatan")
        if value is not None and not pd.isna(value) and given is None:
            problems.add(index, "kecamatan_code", "is not a code", CODE_HINT["kecamatan"], value)
        elif given and own and given != own:
            problems.add(
                index,
                "kecamatan_code",
                f"does not match the kelurahan code {code}",
                f"{own}, the first three parts of the kelurahan code",
                given,
            )
        result[index] = given or own
    return result


def _areas(values: list[object], problems: Problems) -> np.ndarray:
    areas = np.full(len(values), None, dtype=object)
    for index, value in enumerate(values):
        if value is None or pd.isna(value) or text_from_value(value) == "":
            continue
        try:
            area = float(text_from_value(value).replace(",", "."))
        except ValueError:
            area = -1.0
        if area <= 0:
            problems.add(index, "official_area_km2", "is not a positive number", "km²", value)
        else:
            areas[index] = area
    return areas


def check_polygons(geometry: np.ndarray, problems: Problems) -> np.ndarray:
    """MultiPolygons in lon/lat degrees (Polygons promoted), None where refused."""
    result = np.full(len(geometry), None, dtype=object)
    for index, geom in enumerate(geometry):
        if geom is None or shapely.is_missing(geom) or geom.is_empty:
            problems.add(index, "geometry", "has no geometry", POLYGON_HINT)
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.add(index, "geometry", f"is a {geom.geom_type}", POLYGON_HINT)
            continue
        geom = shapely.force_2d(geom)
        if not geom.is_valid:
            problems.add(index, "geometry", _invalid(geom), "a valid polygon (repair it in GIS)")
            continue
        x0, y0, x1, y1 = geom.bounds
        if max(abs(y0), abs(y1)) > 90 and max(abs(x0), abs(x1)) <= 90:
            problems.add(
                index,
                "geometry",
                "coordinates look swapped (lat/lon)",
                "lon first (east, about 114.7 to 114.9), then lat (about -3.4 to -3.6)",
                f"{x0:.6f}, {y0:.6f}",
            )
            continue
        if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
            problems.add(
                index,
                "geometry",
                "coordinates are not degrees; the file's coordinate system is missing or wrong",
                "lon/lat in EPSG:4326, or a file that names its coordinate system (e.g. a .prj)",
                f"{x0:.1f}, {y0:.1f}",
            )
            continue
        result[index] = geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])
    return result


def _invalid(geom: shapely.Geometry) -> str:
    """`Self-intersection[114.8 -3.44]` → `invalid polygon: self-intersection at 114.8, -3.44`."""
    reason = shapely.is_valid_reason(geom)
    match = re.match(r"^(?P<what>.*?)\[(?P<x>\S+) (?P<y>\S+)\]$", reason)
    if not match:
        return f"invalid polygon: {reason.lower()}"
    x, y = float(match["x"]), float(match["y"])
    return f"invalid polygon: {match['what'].lower()} at {x:.6f}, {y:.6f}"
