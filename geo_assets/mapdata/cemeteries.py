"""Cemeteries (TPU) with their blocks, plots, access roads and prayer rooms (musala)."""

from __future__ import annotations

import geopandas as gpd
from sqlalchemy import Engine, func, select

from geo_assets.mapdata.frame import read_frame, wkb
from geo_assets.models import AccessRoad, Cemetery, CemeteryBlock, Plot, PrayerRoom
from geo_assets.vocab import PLOT_STATUS


def read_cemeteries(engine: Engine) -> gpd.GeoDataFrame:
    """TPU outlines with capacity and plot counts per state (`plots_<status>`, `plots_total`)."""
    counts = [
        func.count(Plot.id).filter(Plot.status == status).label(f"plots_{status}")
        for status in PLOT_STATUS
    ]
    plot_counts = (
        select(CemeteryBlock.cemetery_id, func.count(Plot.id).label("plots_total"), *counts)
        .join(Plot, Plot.block_id == CemeteryBlock.id)
        .group_by(CemeteryBlock.cemetery_id)
        .subquery()
    )
    plot_columns = [
        func.coalesce(plot_counts.c[name], 0).label(name)
        for name in ("plots_total", *(f"plots_{status}" for status in PLOT_STATUS))
    ]
    query = (
        select(
            Cemetery.id,
            Cemetery.code,
            Cemetery.name,
            Cemetery.kind,
            Cemetery.manager,
            Cemetery.capacity,
            *plot_columns,
            wkb(Cemetery.geom),
        )
        .outerjoin(plot_counts, plot_counts.c.cemetery_id == Cemetery.id)
        .order_by(Cemetery.code)
    )
    return read_frame(engine, query)


def read_blocks(engine: Engine) -> gpd.GeoDataFrame:
    """Cemetery blocks: code, name, cemetery_code, geometry."""
    query = (
        select(
            CemeteryBlock.code,
            CemeteryBlock.name,
            Cemetery.code.label("cemetery_code"),
            wkb(CemeteryBlock.geom),
        )
        .join(Cemetery, CemeteryBlock.cemetery_id == Cemetery.id)
        .order_by(CemeteryBlock.code)
    )
    return read_frame(engine, query)


def read_plots(engine: Engine) -> gpd.GeoDataFrame:
    """Grave plots: code, status, geometry (no personal data)."""
    query = select(Plot.code, Plot.status, wkb(Plot.geom)).order_by(Plot.code)
    return read_frame(engine, query)


def read_access_roads(engine: Engine) -> gpd.GeoDataFrame:
    """Access roads: code, name, cemetery_name, condition, surface, width, planned work, cost."""
    query = (
        select(
            AccessRoad.code,
            AccessRoad.name,
            Cemetery.name.label("cemetery_name"),
            AccessRoad.condition,
            AccessRoad.surface,
            AccessRoad.width_m,
            AccessRoad.planned_improvement,
            AccessRoad.improvement_cost_idr,
            wkb(AccessRoad.geom),
        )
        .outerjoin(Cemetery, AccessRoad.cemetery_id == Cemetery.id)
        .order_by(AccessRoad.code)
    )
    return read_frame(engine, query)


def read_prayer_rooms(engine: Engine) -> gpd.GeoDataFrame:
    """Musala: code, name, cemetery_name, status, capacity, estimated cost, planned year."""
    query = (
        select(
            PrayerRoom.code,
            PrayerRoom.name,
            Cemetery.name.label("cemetery_name"),
            PrayerRoom.status,
            PrayerRoom.capacity,
            PrayerRoom.estimated_cost_idr,
            PrayerRoom.planned_year,
            wkb(PrayerRoom.geom),
        )
        .outerjoin(Cemetery, PrayerRoom.cemetery_id == Cemetery.id)
        .order_by(PrayerRoom.code)
    )
    return read_frame(engine, query)
