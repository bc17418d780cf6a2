"""The budget proposal: one RFC 7946 FeatureCollection of everything a planner would fund.

Categories: `new_lamp` (gap fill from the coverage analysis), `lamp_repair` (lamps out or
damaged), `led_conversion` (non-LED lamps, with the kWh a year saved), `access_road` (poor or
impassable TPU access roads, per metre) and `musala` (planned musala). Each feature carries
quantity, unit, unit cost and cost in Rupiah (unit costs from `data/unit_costs.toml`, or a file
that overrides it), kecamatan, kelurahan, a priority (1 tinggi, 2 sedang, 3 rendah) and a
one-line reason in Indonesian. The top-level `totals` member holds the sums of the features.

Priorities: new lamps 1 on arterials, 2 on collectors, 3 elsewhere; repairs 1 when damaged or
out longer than the SLA, else 2; LED conversion 2 for mercury lamps, else 3; access roads 1
when impassable, 2 when poor; musala 1 for a TPU beyond walking distance of any musala, else 2.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import Engine

from geo_assets.analysis import proposal_items as items
from geo_assets.analysis.areas import UNKNOWN_AREA, resolve_kecamatan
from geo_assets.analysis.coverage import compute_coverage
from geo_assets.analysis.reference import load_unit_costs
from geo_assets.analysis.sql import without_jit
from geo_assets.settings import Settings

CATEGORIES = {
    "new_lamp": "Titik PJU baru",
    "lamp_repair": "Perbaikan PJU",
    "led_conversion": "Konversi ke LED",
    "access_road": "Perbaikan jalan akses TPU",
    "musala": "Pembangunan musala TPU",
}
PRIORITY_LABELS = {1: "tinggi", 2: "sedang", 3: "rendah"}


def build_proposal(
    engine: Engine,
    *,
    kecamatan: str | None = None,
    year: int | None = None,
    unit_costs: Path | dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """The proposal FeatureCollection (city or one kecamatan; musala planned for `year`)."""
    settings = settings or Settings()
    costs = unit_costs if isinstance(unit_costs, dict) else load_unit_costs(unit_costs)
    with engine.connect() as conn:
        without_jit(conn)
        area = resolve_kecamatan(conn, kecamatan)
        area_id = area.id if area else None
        rows = [
            *_new_lamps(engine, area.code if area else None, costs, settings),
            *items.lamp_repairs(
                conn, kecamatan_id=area_id, costs=costs, sla_hours=settings.sla_hours
            ),
            *items.led_conversions(
                conn,
                kecamatan_id=area_id,
                costs=costs,
                burning_hours=settings.burning_hours_per_night,
            ),
            *items.access_roads(conn, kecamatan_id=area_id, costs=costs),
            *items.musala(
                conn,
                kecamatan_id=area_id,
                year=year,
                costs=costs,
                metric_srid=settings.metric_srid,
            ),
        ]
    features = [_feature(n, row) for n, row in enumerate(rows, start=1)]
    return {
        "type": "FeatureCollection",
        "name": "usulan_anggaran",
        "features": features,
        "totals": totals(features),
        "metadata": _metadata(area.name if area else None, year, costs),
    }


def _new_lamps(
    engine: Engine, kecamatan: str | None, costs: dict[str, Any], settings: Settings
) -> list[dict]:
    coverage = compute_coverage(engine, kecamatan=kecamatan, settings=settings)
    gaps = coverage.gaps.set_index("gap_id")["length_m"]
    return items.new_lamps(coverage.proposed_lamps, gaps.to_dict(), costs)


def _feature(number: int, row: dict[str, Any]) -> dict[str, Any]:
    geometry = row.pop("geometry")
    if isinstance(geometry, shapely.Geometry):
        geometry = shapely.geometry.mapping(shapely.set_precision(geometry, 1e-7))
    quantity, unit_cost = row["quantity"], row["unit_cost_idr"]
    category = row["category"]
    properties = {
        "category": category,
        "category_label": CATEGORIES[category],
        "item": row.pop("item"),
        "quantity": quantity,
        "unit": row.pop("unit"),
        "unit_cost_idr": unit_cost,
        "cost_idr": int(round(quantity * unit_cost)),
        "kecamatan": row.pop("kecamatan", None) or UNKNOWN_AREA,
        "kelurahan": row.pop("kelurahan", None) or UNKNOWN_AREA,
        "priority": row["priority"],
        "priority_label": PRIORITY_LABELS[row["priority"]],
        "reason": row.pop("reason"),
        **{
            k: v
            for k, v in row.items()
            if k not in ("quantity", "unit_cost_idr", "priority", "category")
        },
    }
    return {
        "type": "Feature",
        "id": f"{category}-{number:05d}",
        "geometry": geometry,
        "properties": properties,
    }


def totals(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums of `cost_idr`: overall, per category (all five) and per kecamatan."""
    by_category: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    count: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    by_kecamatan: dict[str, int] = defaultdict(int)
    for feature in features:
        p = feature["properties"]
        by_category[p["category"]] += p["cost_idr"]
        count[p["category"]] += 1
        by_kecamatan[p["kecamatan"]] += p["cost_idr"]
    return {
        "total_idr": sum(by_category.values()),
        "by_category": by_category,
        "by_kecamatan": dict(sorted(by_kecamatan.items())),
        "count_by_category": count,
    }


def _metadata(kecamatan: str | None, year: int | None, costs: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Usulan anggaran PJU dan TPU Kota Banjarbaru",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kecamatan": kecamatan,
        "budget_year": year,
        "currency": "IDR",
        "unit_costs_year": costs.get("year"),
        "categories": CATEGORIES,
    }
