"""The line items of the budget proposal, one function per category (see `proposal`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
from sqlalchemy import Connection, Select, func, or_, select

from geo_assets.analysis.cemeteries import musala_access
from geo_assets.analysis.charts import number_id
from geo_assets.analysis.energy import led_saving_kwh_per_year
from geo_assets.analysis.reference import led_wattage, load_led_equivalents
from geo_assets.models import (
    AccessRoad,
    Cemetery,
    Kecamatan,
    Kelurahan,
    Lamp,
    PrayerRoom,
    Road,
)
from geo_assets.vocab import (
    FAULT_STATUSES,
    LAMP_STATUS,
    LAMP_TYPE,
    ROAD_CLASS,
    ROAD_CONDITION,
    label,
)


def _areas(stmt: Select, kelurahan_on: Any, kecamatan_id: int | None) -> Select:
    """Join the kelurahan matched by `kelurahan_on` and its kecamatan; filter on the kecamatan."""
    stmt = stmt.outerjoin(Kelurahan, kelurahan_on).outerjoin(
        Kecamatan, Kecamatan.id == Kelurahan.kecamatan_id
    )
    if kecamatan_id is not None:
        stmt = stmt.where(Kelurahan.kecamatan_id == kecamatan_id)
    return stmt


def _area_columns() -> tuple[Any, Any]:
    return Kelurahan.name.label("kelurahan"), Kecamatan.name.label("kecamatan")


def new_lamps(
    proposed: gpd.GeoDataFrame, gap_length: dict[int, float], costs: dict[str, Any]
) -> list[dict[str, Any]]:
    """One item per gap-fill position of the coverage analysis."""
    section = costs["new_lamp"]
    rows = []
    for lamp in proposed.itertuples(index=False):
        road_class = lamp.road_class
        rows.append(
            {
                "category": "new_lamp",
                "item": f"{lamp.road_name} km {lamp.position_m / 1000:.3f}",
                "quantity": 1,
                "unit": section["unit"],
                "unit_cost_idr": section[road_class],
                "priority": {"arteri": 1, "kolektor": 2}.get(road_class, 3),
                "reason": (
                    f"Celah gelap {number_id(gap_length.get(lamp.gap_id, 0.0), 0)} m di "
                    f"{lamp.road_name} ({label(ROAD_CLASS, road_class).lower()}) melebihi "
                    f"jarak tiang maksimum SNI 7391:2008; tiang baru "
                    f"{number_id(lamp.pole_height_m, 0)} m."
                ),
                "kecamatan": lamp.kecamatan,
                "kelurahan": lamp.kelurahan,
                "geometry": lamp.geometry,
                "road_code": lamp.road_code,
                "road_class": road_class,
                "position_m": lamp.position_m,
                "pole_height_m": lamp.pole_height_m,
            }
        )
    return rows


def lamp_repairs(
    conn: Connection, *, kecamatan_id: int | None, costs: dict[str, Any], sla_hours: float
) -> list[dict[str, Any]]:
    """One item per lamp that is out or damaged."""
    stmt = (
        select(
            Lamp.code,
            Lamp.status,
            Lamp.status_changed_at,
            Road.name.label("road_name"),
            Road.road_class,
            *_area_columns(),
            func.ST_AsGeoJSON(Lamp.geom, 7).label("geojson"),
        )
        .outerjoin(Road, Road.id == Lamp.road_id)
        .where(Lamp.status.in_(FAULT_STATUSES))
    )
    stmt = _areas(stmt, Kelurahan.id == Lamp.kelurahan_id, kecamatan_id).order_by(Lamp.code)
    now = datetime.now(UTC)
    section = costs["lamp_repair"]
    rows = []
    for r in conn.execute(stmt):
        hours = (now - r.status_changed_at).total_seconds() / 3600 if r.status_changed_at else None
        overdue = hours is not None and hours > sla_hours
        road = r.road_name or "jalan tanpa nama"
        since = (
            f" sejak {r.status_changed_at:%d-%m-%Y} ({number_id(hours / 24, 0)} hari)"
            if hours is not None
            else ""
        )
        rows.append(
            {
                "category": "lamp_repair",
                "item": r.code,
                "quantity": 1,
                "unit": section["unit"],
                "unit_cost_idr": section[r.status],
                "priority": 1
                if r.status == "damaged" or overdue or r.road_class == "arteri"
                else 2,
                "reason": (
                    f"Lampu {r.code} {label(LAMP_STATUS, r.status).lower()}{since}"
                    f"{', melewati SLA' if overdue else ''}, di {road}."
                ),
                "kecamatan": r.kecamatan,
                "kelurahan": r.kelurahan,
                "geometry": json.loads(r.geojson),
                "lamp_status": r.status,
            }
        )
    return rows


def led_conversions(
    conn: Connection, *, kecamatan_id: int | None, costs: dict[str, Any], burning_hours: float
) -> list[dict[str, Any]]:
    """One item per non-LED lamp in service, with the kWh a year the LED would save."""
    stmt = select(
        Lamp.code,
        Lamp.lamp_type,
        Lamp.wattage,
        *_area_columns(),
        func.ST_AsGeoJSON(Lamp.geom, 7).label("geojson"),
    ).where(Lamp.lamp_type != "led", Lamp.status.notin_(("planned", "decommissioned")))
    stmt = _areas(stmt, Kelurahan.id == Lamp.kelurahan_id, kecamatan_id).order_by(Lamp.code)
    equivalents = load_led_equivalents()
    section = costs["led_conversion"]
    rows = []
    for r in conn.execute(stmt):
        led = led_wattage(equivalents, r.lamp_type, r.wattage)
        saved = round(led_saving_kwh_per_year(r.wattage, led, burning_hours), 1)
        rows.append(
            {
                "category": "led_conversion",
                "item": r.code,
                "quantity": 1,
                "unit": section["unit"],
                "unit_cost_idr": section["cost"],
                "priority": 2 if r.lamp_type == "mercury" else 3,
                "reason": (
                    f"Ganti {label(LAMP_TYPE, r.lamp_type)} {r.wattage} W dengan LED {led} W, "
                    f"hemat {number_id(saved, 0)} kWh/tahun."
                ),
                "kecamatan": r.kecamatan,
                "kelurahan": r.kelurahan,
                "geometry": json.loads(r.geojson),
                "lamp_type": r.lamp_type,
                "wattage": r.wattage,
                "led_wattage": led,
                "kwh_saved_per_year": saved,
            }
        )
    return rows


def access_roads(
    conn: Connection, *, kecamatan_id: int | None, costs: dict[str, Any]
) -> list[dict[str, Any]]:
    """One item per poor or impassable access road, priced per whole metre."""
    middle = func.ST_LineInterpolatePoint(AccessRoad.geom, 0.5)
    stmt = (
        select(
            AccessRoad.code,
            AccessRoad.name,
            AccessRoad.condition,
            AccessRoad.planned_improvement,
            Cemetery.name.label("cemetery"),
            *_area_columns(),
            func.round(func.ST_Length(func.Geography(AccessRoad.geom))).label("length_m"),
            func.ST_AsGeoJSON(AccessRoad.geom, 7).label("geojson"),
        )
        .outerjoin(Cemetery, Cemetery.id == AccessRoad.cemetery_id)
        .where(AccessRoad.condition.in_(("poor", "impassable")))
    )
    stmt = _areas(stmt, func.ST_Covers(Kelurahan.geom, middle), kecamatan_id)
    section = costs["access_road"]
    rows = []
    for r in conn.execute(stmt.order_by(AccessRoad.code)):
        length = int(r.length_m)
        plan = f" Rencana: {r.planned_improvement}." if r.planned_improvement else ""
        rows.append(
            {
                "category": "access_road",
                "item": f"{r.code} {r.name}",
                "quantity": length,
                "unit": section["unit"],
                "unit_cost_idr": section[r.condition],
                "priority": 1 if r.condition == "impassable" else 2,
                "reason": (
                    f"Jalan akses {r.name} ke {r.cemetery or 'TPU'} "
                    f"{label(ROAD_CONDITION, r.condition).lower()}, {number_id(length, 0)} m."
                    + plan
                ),
                "kecamatan": r.kecamatan,
                "kelurahan": r.kelurahan,
                "geometry": json.loads(r.geojson),
                "condition": r.condition,
            }
        )
    return rows


def musala(
    conn: Connection,
    *,
    kecamatan_id: int | None,
    year: int | None,
    costs: dict[str, Any],
    metric_srid: int,
) -> list[dict[str, Any]]:
    """One item per planned musala (of `year`, or without a year), with the TPU's walk today."""
    stmt = (
        select(
            PrayerRoom.code,
            PrayerRoom.name,
            PrayerRoom.cemetery_id,
            PrayerRoom.planned_year,
            PrayerRoom.estimated_cost_idr,
            Cemetery.name.label("cemetery"),
            *_area_columns(),
            func.ST_AsGeoJSON(PrayerRoom.geom, 7).label("geojson"),
        )
        .outerjoin(Cemetery, Cemetery.id == PrayerRoom.cemetery_id)
        .where(PrayerRoom.status == "planned")
    )
    if year is not None:
        stmt = stmt.where(or_(PrayerRoom.planned_year.is_(None), PrayerRoom.planned_year == year))
    stmt = _areas(stmt, func.ST_Covers(Kelurahan.geom, PrayerRoom.geom), kecamatan_id)
    found = conn.execute(stmt.order_by(PrayerRoom.code)).all()
    access = (
        musala_access(conn, metric_srid=metric_srid) if any(r.cemetery_id for r in found) else {}
    )
    section = costs["musala"]
    rows = []
    for r in found:
        walk = access.get(r.cemetery_id, {})
        distance = walk.get("walk_to_musala_m")
        reach = (
            f"musala terdekat {number_id(distance, 0)} m lewat jalan"
            if distance is not None
            else "belum ada musala yang terjangkau lewat jalan"
        )
        rows.append(
            {
                "category": "musala",
                "item": f"{r.code} {r.name}",
                "quantity": 1,
                "unit": section["unit"],
                "unit_cost_idr": r.estimated_cost_idr
                if r.estimated_cost_idr is not None
                else section["cost"],
                "priority": 1 if walk.get("musala_candidate") else 2 if r.cemetery_id else 3,
                "reason": (
                    f"Musala direncanakan untuk {r.cemetery}; {reach}."
                    if r.cemetery
                    else "Musala direncanakan di luar TPU."
                ),
                "kecamatan": r.kecamatan,
                "kelurahan": r.kelurahan,
                "geometry": json.loads(r.geojson),
                "planned_year": r.planned_year,
                "walk_to_musala_m": distance,
            }
        )
    return rows
