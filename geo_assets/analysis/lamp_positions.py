"""Where every working lamp stands along its road, in metres (SQLAlchemy Core, one statement)."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geography
from sqlalchemy import Integer, Select, bindparam, cast, func, select

from geo_assets import tables
from geo_assets.analysis.history import lamp_states

# Metres per degree, rounded down: a bbox in degrees that surely holds `snap` metres around a
# point near the equator, for the index prefilter before the exact distance.
_METRES_PER_DEGREE = 100_000.0


def working_lamps_on_roads(at: datetime | None, snap_m: float, metric_srid: int) -> Select[tuple]:
    """(road_id, pole_height_m, position) of every lamp working now or at `at`.

    `position` is metres along the road, measured in `metric_srid`. A lamp stored without a
    road is placed on the nearest road within `snap_m` metres; a lamp near no road is left out.
    """
    lamp = lamp_states(at).subquery("lamp_state")
    road = tables.ROAD.alias("r")
    srid = bindparam("srid", metric_srid, type_=Integer)
    nearest_road = (
        select(road.c.id)
        .where(
            road.c.geom.op("&&")(func.ST_Expand(lamp.c.geom, snap_m / _METRES_PER_DEGREE)),
            func.ST_DWithin(cast(road.c.geom, Geography), cast(lamp.c.geom, Geography), snap_m),
        )
        .order_by(road.c.geom.op("<->")(lamp.c.geom))
        .limit(1)
        .scalar_subquery()
    )
    working = (
        select(
            lamp.c.pole_height_m,
            lamp.c.geom,
            func.coalesce(lamp.c.road_id, nearest_road).label("road_id"),
        )
        .where(lamp.c.status == "working")
        .cte("working")
    )
    # Each road is projected once, not once per lamp on it.
    metric_road = (
        select(tables.ROAD.c.id, func.ST_Transform(tables.ROAD.c.geom, srid).label("geom"))
        .where(tables.ROAD.c.id.in_(select(working.c.road_id)))
        .cte("rd")
        .prefix_with("MATERIALIZED")
    )
    position = func.ST_LineLocatePoint(
        metric_road.c.geom, func.ST_Transform(working.c.geom, srid)
    ) * func.ST_Length(metric_road.c.geom)
    return select(working.c.road_id, working.c.pole_height_m, position.label("position")).join_from(
        working, metric_road, metric_road.c.id == working.c.road_id
    )
