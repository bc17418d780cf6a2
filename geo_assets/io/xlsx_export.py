"""`geo-assets export ENTITY --format xlsx`: an entity's features as a spreadsheet.

The columns are the export's own (as in CSV), under Indonesian headers (English with
`lang="en"`): the labels the registry gives the entity's columns (geo_assets.entities), on a
sheet named by the entity's `sheet_label`. Geometry: point entities get lon/lat columns
(numbers a person can sort, filter and paste into a map; a WKT point would repeat them as
text); lines and polygons get a WKT column, because two numbers cannot describe them. A WKT
longer than the 32,767 characters an Excel cell holds is simplified until it fits, and the
"Keterangan" sheet says how many were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Float, Numeric, Select, func, select

from geo_assets.entities import BY_FILE_NAME, Entity, Label
from geo_assets.entities import Column as RegistryColumn
from geo_assets.io.xlsx_writer import (
    CITY_TIMEZONE,
    COORDINATE_FORMAT,
    INTEGER_FORMAT,
    MAX_CELL_CHARS,
    Column,
    Sheet,
    write_workbook,
)

DECIMALS = 7
CHUNK_ROWS = 5000
# Tolerances (degrees, ~1 m to ~100 m) tried in turn on a WKT too long for one cell.
SIMPLIFY_TOLERANCES = (1e-5, 5e-5, 1e-4, 5e-4, 1e-3)

# Export columns that are not registry columns: the row's id, its geometry, measure and area.
# Every other header is the label its registry column gives (geo_assets.entities).
EXPORT_LABELS: dict[str, Label] = {
    "id": Label("ID", "ID"),
    "lon": Label("Bujur (lon)", "Longitude"),
    "lat": Label("Lintang (lat)", "Latitude"),
    "wkt": Label("Geometri (WKT)", "Geometry (WKT)"),
    "length_m": Label("Panjang (m)", "Length (m)"),
    "area_m2": Label("Luas (m²)", "Area (m²)"),
    "area_km2": Label("Luas (km²)", "Area (km²)"),
    "kelurahan": Label("Kelurahan", "Kelurahan"),
    "kecamatan": Label("Kecamatan", "Kecamatan"),
}
NOTES: dict[str, dict[str, str]] = {
    "sheet": {"id": "Keterangan", "en": "Notes"},
    "exported": {"id": "Diekspor (WITA)", "en": "Exported (WITA)"},
    "rows": {"id": "Jumlah baris", "en": "Rows"},
    "crs": {"id": "Sistem koordinat", "en": "Coordinate system"},
    "geometry": {"id": "Geometri", "en": "Geometry"},
    "points": {
        "id": "kolom Bujur/Lintang (derajat desimal)",
        "en": "Longitude/Latitude columns (decimal degrees)",
    },
    "wkt": {"id": "kolom WKT (lon/lat)", "en": "WKT column (lon/lat)"},
    "simplified": {
        "id": "WKT disederhanakan agar muat di satu sel",
        "en": "WKT simplified to fit in one cell",
    },
    "item": {"id": "Uraian", "en": "Item"},
    "value": {"id": "Nilai", "en": "Value"},
}


def column_labels(entity: Entity) -> dict[str, Label]:
    """Export column → header label for `entity`: `EXPORT_LABELS` and its registry columns'."""
    return {**EXPORT_LABELS, **registry_labels(entity)}


def registry_labels(entity: Entity) -> dict[str, Label]:
    """The headers `entity`'s registry columns give their export columns.

    They follow the export's shapes (geo_assets.io.export_queries): a reference is the other
    row's code (and name), a point column its lon/lat, the status column its code ("Kode
    status") beside its label ("Status"). A column without a label gives none.
    """
    labels: dict[str, Label] = {}
    for column in entity.columns:
        labels.update(_labels_of(column, entity))
    return labels


def _labels_of(column: RegistryColumn, entity: Entity) -> dict[str, Label]:
    """The headers one registry column gives its export columns (none without a label)."""
    if column.reference is not None:
        reference = column.reference
        shown = {reference.file_column: reference.code_label}
        if reference.name_column:
            shown[reference.name_column] = reference.name_label
        return {key: label for key, label in shown.items() if label is not None}
    label = column.label
    if label is None:
        return {}
    if column.kind == "point":
        stem = column.name.removesuffix("_geom")
        return {
            f"{stem}_lon": Label(f"Bujur {label.id.lower()}", f"{label.en} longitude"),
            f"{stem}_lat": Label(f"Lintang {label.id.lower()}", f"{label.en} latitude"),
        }
    if column.name == entity.status_column:
        code = Label(f"Kode {label.id.lower()}", f"{label.en} code")
        return {column.name: code, f"{column.name}_label": label}
    return {column.name: label}


def _column_format(key: str) -> str | None:
    if key in ("lon", "lat", "gate_lon", "gate_lat"):
        return COORDINATE_FORMAT
    if key.endswith("_idr"):
        return INTEGER_FORMAT
    return None


def write_entity_xlsx(
    connection: Connection,
    statement: Select,
    out: Path,
    *,
    entity: str,
    geometry_type: str,
    lang: str = "id",
) -> int:
    """Write the features of `statement` (an export select with `geom`) to `out`; returns rows."""
    rows = statement.order_by(statement.selected_columns[0]).subquery("f")
    columns = [column for column in rows.c if column.key != "geom"]
    if geometry_type == "Point":
        geometry = [
            _coordinate(func.ST_X(rows.c.geom), "lon"),
            _coordinate(func.ST_Y(rows.c.geom), "lat"),
        ]
    else:
        geometry = [func.ST_AsText(rows.c.geom, DECIMALS).label("wkt")]
    keys = [c.key for c in columns] + [c.key for c in geometry]
    result = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(
        select(*columns, *geometry)
    )
    counts = {"rows": 0, "simplified": 0}
    described = BY_FILE_NAME[entity]
    labels = column_labels(described)
    data = Sheet(
        title=described.sheet_label.text(lang),
        columns=[Column(_header(labels, key, lang), _column_format(key)) for key in keys],
        rows=_rows(result, geometry_type != "Point", counts),
    )
    notes = Sheet(
        title=NOTES["sheet"][lang],
        columns=[Column(NOTES["item"][lang]), Column(NOTES["value"][lang])],
        rows=_notes(counts, geometry_type, lang),
    )
    write_workbook([data, notes], out)
    return counts["rows"]


def _header(labels: dict[str, Label], key: str, lang: str) -> str:
    """The header of export column `key`; a column without a label keeps its name."""
    label = labels.get(key)
    return label.text(lang) if label else key


def _coordinate(expression: Any, name: str) -> Any:
    return func.round(expression.cast(Numeric), DECIMALS).cast(Float).label(name)


def _rows(result: Any, has_wkt: bool, counts: dict[str, int]) -> Iterator[tuple]:
    for row in result:
        counts["rows"] += 1
        if has_wkt and row[-1] is not None and len(row[-1]) > MAX_CELL_CHARS:
            counts["simplified"] += 1
            yield (*row[:-1], fitting_wkt(row[-1]))
        else:
            yield tuple(row)


def fitting_wkt(wkt: str) -> str:
    """`wkt` simplified (topology kept) until it fits in one Excel cell."""
    import shapely

    geometry = shapely.from_wkt(wkt)
    for tolerance in SIMPLIFY_TOLERANCES:
        simpler = shapely.to_wkt(
            shapely.simplify(geometry, tolerance, preserve_topology=True),
            rounding_precision=DECIMALS - 2,
        )
        if len(simpler) <= MAX_CELL_CHARS:
            return simpler
    return shapely.to_wkt(shapely.envelope(geometry), rounding_precision=DECIMALS)


def _notes(counts: dict[str, int], geometry_type: str, lang: str) -> Iterator[tuple]:
    """The notes sheet, written after the data so the counts are final."""
    yield NOTES["exported"][lang], datetime.now(CITY_TIMEZONE).replace(second=0, microsecond=0)
    yield NOTES["rows"][lang], counts["rows"]
    yield NOTES["crs"][lang], "WGS 84 (EPSG:4326)"
    yield NOTES["geometry"][lang], NOTES["points" if geometry_type == "Point" else "wkt"][lang]
    if counts["simplified"]:
        yield NOTES["simplified"][lang], counts["simplified"]
