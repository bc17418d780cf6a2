"""Lamps with what their popup shows: road, kelurahan, status and the time of the last event."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from geoalchemy2 import Geography
from sqlalchemy import Engine, Select, cast, exists, func, select

from geo_assets import entities
from geo_assets.entities import Column
from geo_assets.mapdata.frame import read_frame, wkb
from geo_assets.models import Cemetery, Lamp, LampEvent

LAMPS = entities.BY_NAME["lamps"]


def _shown_as(column: Column) -> str:
    return column.reference.name_column or column.name if column.reference else column.name


# What the maps show of a lamp: the registry's `on_map` columns, plus the last event's time.
LAMP_COLUMNS = (
    "id",
    *(_shown_as(column) for column in LAMPS.map_columns),
    "last_event_at",
    "geometry",
)


def _lamp_query() -> Select:
    lamp = LAMPS.table
    last_event = (
        select(LampEvent.lamp_id, func.max(LampEvent.occurred_at).label("last_event_at"))
        .group_by(LampEvent.lamp_id)
        .subquery()
    )
    source: Any = lamp
    columns: list[Any] = [lamp.c.id]
    for column in LAMPS.map_columns:
        if column.reference is None:
            columns.append(lamp.c[column.name])
            continue
        target = column.reference.target.alias(f"map_{column.name}")
        source = source.outerjoin(target, target.c.id == lamp.c[column.name])
        columns.append(target.c.name.label(_shown_as(column)))
    source = source.outerjoin(last_event, last_event.c.lamp_id == lamp.c.id)
    return (
        select(*columns, last_event.c.last_event_at, wkb(lamp.c.geom))
        .select_from(source)
        .order_by(lamp.c.code)
    )


def read_lamps(engine: Engine) -> gpd.GeoDataFrame:
    """Every lamp, ordered by code, with the columns of `LAMP_COLUMNS`."""
    return read_frame(engine, _lamp_query())


def read_lamps_near_cemeteries(engine: Engine, *, distance_m: float = 150.0) -> gpd.GeoDataFrame:
    """Lamps within `distance_m` metres (on the geography) of any cemetery outline."""
    near = exists().where(
        func.ST_DWithin(cast(Lamp.geom, Geography), cast(Cemetery.geom, Geography), distance_m)
    )
    return read_frame(engine, _lamp_query().where(near))
