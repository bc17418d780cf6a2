"""`geo-assets export ENTITY --format xlsx`: an entity's features as a spreadsheet.

The columns are the export's own (as in CSV), under Indonesian headers (English with
`lang="en"`). Geometry: point entities get lon/lat columns (numbers a person can sort, filter
and paste into a map; a WKT point would repeat them as text); lines and polygons get a WKT
column, because two numbers cannot describe them. A WKT longer than the 32,767 characters an
Excel cell holds is simplified until it fits, and the "Keterangan" sheet says how many were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Float, Numeric, Select, func, select

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

# Export column → header label. Columns not listed keep their own name.
LABELS: dict[str, dict[str, str]] = {
    "id": {"id": "ID", "en": "ID"},
    "code": {"id": "Kode", "en": "Code"},
    "name": {"id": "Nama", "en": "Name"},
    "status": {"id": "Kode status", "en": "Status code"},
    "status_label": {"id": "Status", "en": "Status"},
    "status_changed_at": {"id": "Status berubah (WITA)", "en": "Status changed (WITA)"},
    "lamp_type": {"id": "Jenis lampu", "en": "Lamp type"},
    "wattage": {"id": "Daya (W)", "en": "Wattage (W)"},
    "pole_height_m": {"id": "Tinggi tiang (m)", "en": "Pole height (m)"},
    "mounting": {"id": "Pemasangan", "en": "Mounting"},
    "ownership": {"id": "Kepemilikan", "en": "Ownership"},
    "power_billing": {"id": "Pembayaran listrik", "en": "Power billing"},
    "installed_on": {"id": "Tanggal pasang", "en": "Installed on"},
    "road_code": {"id": "Kode jalan", "en": "Road code"},
    "road_name": {"id": "Nama jalan", "en": "Road name"},
    "kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "kecamatan_code": {"id": "Kode kecamatan", "en": "Kecamatan code"},
    "road_class": {"id": "Kelas jalan", "en": "Road class"},
    "surface": {"id": "Permukaan", "en": "Surface"},
    "width_m": {"id": "Lebar (m)", "en": "Width (m)"},
    "length_m": {"id": "Panjang (m)", "en": "Length (m)"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "manager": {"id": "Pengelola", "en": "Manager"},
    "address": {"id": "Alamat", "en": "Address"},
    "capacity": {"id": "Kapasitas", "en": "Capacity"},
    "gate_lon": {"id": "Bujur gerbang", "en": "Gate longitude"},
    "gate_lat": {"id": "Lintang gerbang", "en": "Gate latitude"},
    "area_m2": {"id": "Luas (m²)", "en": "Area (m²)"},
    "area_km2": {"id": "Luas (km²)", "en": "Area (km²)"},
    "official_area_km2": {"id": "Luas resmi (km²)", "en": "Official area (km²)"},
    "cemetery_code": {"id": "Kode TPU", "en": "Cemetery code"},
    "block_code": {"id": "Kode blok", "en": "Block code"},
    "row_number": {"id": "Baris", "en": "Row"},
    "plot_number": {"id": "Nomor petak", "en": "Plot number"},
    "condition": {"id": "Kode kondisi", "en": "Condition code"},
    "condition_label": {"id": "Kondisi", "en": "Condition"},
    "planned_improvement": {"id": "Rencana perbaikan", "en": "Planned improvement"},
    "improvement_cost_idr": {"id": "Biaya perbaikan (Rp)", "en": "Improvement cost (IDR)"},
    "estimated_cost_idr": {"id": "Perkiraan biaya (Rp)", "en": "Estimated cost (IDR)"},
    "planned_year": {"id": "Tahun rencana", "en": "Planned year"},
    "lon": {"id": "Bujur (lon)", "en": "Longitude"},
    "lat": {"id": "Lintang (lat)", "en": "Latitude"},
    "wkt": {"id": "Geometri (WKT)", "en": "Geometry (WKT)"},
}
SHEET_NAMES: dict[str, dict[str, str]] = {
    "lamps": {"id": "Lampu PJU", "en": "Street lights"},
    "roads": {"id": "Jalan", "en": "Roads"},
    "cemeteries": {"id": "TPU", "en": "Cemeteries"},
    "blocks": {"id": "Blok makam", "en": "Cemetery blocks"},
    "plots": {"id": "Petak makam", "en": "Grave plots"},
    "access-roads": {"id": "Jalan akses TPU", "en": "Access roads"},
    "prayer-rooms": {"id": "Musala", "en": "Prayer rooms"},
    "kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
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


def header_label(key: str, lang: str) -> str:
    """The header of export column `key` in `lang` (id or en); unknown columns keep their key."""
    labels = LABELS.get(key)
    return labels.get(lang, labels["id"]) if labels else key


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
    data = Sheet(
        title=SHEET_NAMES.get(entity, {}).get(lang, entity),
        columns=[Column(header_label(key, lang), _column_format(key)) for key in keys],
        rows=_rows(result, geometry_type != "Point", counts),
    )
    notes = Sheet(
        title=NOTES["sheet"][lang],
        columns=[Column(NOTES["item"][lang]), Column(NOTES["value"][lang])],
        rows=_notes(counts, geometry_type, lang),
    )
    write_workbook([data, notes], out)
    return counts["rows"]


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
