"""Lamps with what their popup shows: road, kelurahan, status and the time of the last event."""

from __future__ import annotations

import geopandas as gpd
from geoalchemy2 import Geography
from sqlalchemy import Engine, Select, cast, exists, func, select

from geo_assets.mapdata.frame import read_frame, wkb
from geo_assets.models import Cemetery, Kelurahan, Lamp, LampEvent, Road

LAMP_COLUMNS = (
    "id",
    "code",
    "lamp_type",
    "wattage",
    "status",
    "road_name",
    "kelurahan_name",
    "last_event_at",
    "geometry",
)


def _lamp_query() -> Select:
    last_event = (
        select(LampEvent.lamp_id, func.max(LampEvent.occurred_at).label("last_event_at"))
        .group_by(LampEvent.lamp_id)
        .subquery()
    )
    return (
        select(
            Lamp.id,
            Lamp.code,
            Lamp.lamp_type,
            Lamp.wattage,
            Lamp.status,
            Road.name.label("road_name"),
            Kelurahan.name.label("kelurahan_name"),
            last_event.c.last_event_at,
            wkb(Lamp.geom),
        )
        .outerjoin(Road, Lamp.road_id == Road.id)
        .outerjoin(Kelurahan, Lamp.kelurahan_id == Kelurahan.id)
        .outerjoin(last_event, last_event.c.lamp_id == Lamp.id)
        .order_by(Lamp.code)
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
