"""Writing the budget proposal: GeoJSON, GeoPackage (a layer per category) or a CSV summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from sqlalchemy import Engine

from geo_assets.analysis.proposal import CATEGORIES, build_proposal
from geo_assets.errors import InvalidInput

FORMATS = ("geojson", "gpkg", "csv", "xlsx")
GEOMETRY_TYPES = {
    "new_lamp": "Point",
    "lamp_repair": "Point",
    "led_conversion": "Point",
    "access_road": "LineString",
    "musala": "Point",
}
CSV_HEADERS = (
    "Kecamatan",
    "Kategori",
    "Kode kategori",
    "Jumlah usulan",
    "Volume",
    "Satuan",
    "Biaya (Rp)",
)
TOTAL_LABEL = "JUMLAH"


def write_proposal(
    engine: Engine,
    *,
    out: Path,
    fmt: str,
    kecamatan: str | None = None,
    year: int | None = None,
    unit_costs: Path | None = None,
) -> dict[str, Any]:
    """Build the proposal and write it to `out` as geojson, gpkg, csv or xlsx; returns totals."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown proposal format '{fmt}'. Allowed: {', '.join(FORMATS)}.")
    collection = build_proposal(engine, kecamatan=kecamatan, year=year, unit_costs=unit_costs)
    out = Path(out)
    if fmt == "geojson":
        out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    elif fmt == "gpkg":
        write_geopackage(collection, out)
    elif fmt == "xlsx":
        from geo_assets.reports.workbooks import proposal_workbook

        out.write_bytes(proposal_workbook(collection))
    else:
        out.write_text(summary_csv(collection), encoding="utf-8")
    return collection["totals"]


def category_frame(collection: dict[str, Any], category: str) -> gpd.GeoDataFrame:
    """The features of one category as a lon/lat GeoDataFrame (empty with the usual columns)."""
    features = [f for f in collection["features"] if f["properties"]["category"] == category]
    if features:
        frame = gpd.GeoDataFrame.from_features(features, crs=4326)
        frame.insert(0, "feature_id", [f["id"] for f in features])
        return frame
    columns = [
        "feature_id",
        "category",
        "item",
        "quantity",
        "unit",
        "unit_cost_idr",
        "cost_idr",
        "kecamatan",
        "kelurahan",
        "priority",
        "reason",
    ]
    return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=4326)


def write_geopackage(collection: dict[str, Any], out: Path) -> None:
    """One GeoPackage layer per category, named after it."""
    out.unlink(missing_ok=True)
    for category in CATEGORIES:
        frame = category_frame(collection, category)
        frame.to_file(
            out,
            layer=category,
            driver="GPKG",
            engine="pyogrio",
            geometry_type=GEOMETRY_TYPES[category],
        )


def summary_rows(collection: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(kecamatan, category label, category, count, volume, unit, cost) per pair, then totals."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for feature in collection["features"]:
        p = feature["properties"]
        group = groups.setdefault((p["kecamatan"], p["category"]), [0, 0, p["unit"], 0])
        group[0] += 1
        group[1] += p["quantity"]
        group[3] += p["cost_idr"]
    order = list(CATEGORIES)
    rows = [
        (kecamatan, CATEGORIES[category], category, *values)
        for (kecamatan, category), values in sorted(
            groups.items(), key=lambda item: (item[0][0], order.index(item[0][1]))
        )
    ]
    for category, cost in collection["totals"]["by_category"].items():
        count = collection["totals"]["count_by_category"][category]
        rows.append((TOTAL_LABEL, CATEGORIES[category], category, count, "", "", cost))
    rows.append(
        (
            TOTAL_LABEL,
            "Semua kategori",
            "",
            len(collection["features"]),
            "",
            "",
            collection["totals"]["total_idr"],
        )
    )
    return rows


def summary_csv(collection: dict[str, Any]) -> str:
    """The summary table for a spreadsheet: UTF-8 with BOM, Indonesian headers, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows(summary_rows(collection))
    return "\ufeff" + out.getvalue()
