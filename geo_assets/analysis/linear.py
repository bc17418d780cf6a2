"""Geometry from positions along roads (metres in a metric CRS), made by PostGIS at once."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from sqlalchemy import Connection, text

# Bulk path: thousands of (road, from, to) triples go in as arrays and come back as lon/lat WKB;
# the road is projected once per statement, not once per piece.
_SUBSTRINGS = text("""
    WITH piece AS (
        SELECT * FROM unnest(CAST(:road AS integer[]), CAST(:a AS float8[]), CAST(:b AS float8[]))
            WITH ORDINALITY AS p(road_id, a, b, n)
    ), rd AS MATERIALIZED (
        SELECT r.id, m.geom, ST_Length(m.geom) AS len
        FROM road r
        CROSS JOIN LATERAL (SELECT ST_Transform(r.geom, CAST(:srid AS integer)) AS geom) m
        WHERE r.id IN (SELECT DISTINCT road_id FROM piece)
    )
    SELECT ST_AsBinary(ST_Transform(ST_LineSubstring(
               rd.geom, least(1.0, greatest(0.0, piece.a / rd.len)),
               least(1.0, greatest(0.0, piece.b / rd.len))), 4326)) AS wkb
    FROM piece JOIN rd ON rd.id = piece.road_id
    ORDER BY piece.n
""")

_POINTS = text("""
    WITH spot AS (
        SELECT * FROM unnest(CAST(:road AS integer[]), CAST(:x AS float8[]))
            WITH ORDINALITY AS s(road_id, x, n)
    ), rd AS MATERIALIZED (
        SELECT r.id, m.geom, ST_Length(m.geom) AS len
        FROM road r
        CROSS JOIN LATERAL (SELECT ST_Transform(r.geom, CAST(:srid AS integer)) AS geom) m
        WHERE r.id IN (SELECT DISTINCT road_id FROM spot)
    )
    SELECT ST_AsBinary(ST_Transform(ST_LineInterpolatePoint(
               rd.geom, least(1.0, greatest(0.0, spot.x / rd.len))), 4326)) AS wkb
    FROM spot JOIN rd ON rd.id = spot.road_id
    ORDER BY spot.n
""")


def substrings(
    conn: Connection,
    road_id: NDArray[np.int64],
    start: NDArray[np.float64],
    end: NDArray[np.float64],
    *,
    metric_srid: int,
) -> NDArray[np.object_]:
    """The stretch [start, end] metres (in `metric_srid`) of each road, as lon/lat LineStrings."""
    if len(road_id) == 0:
        return np.empty(0, dtype=object)
    rows = (
        conn.execute(
            _SUBSTRINGS,
            {
                "road": road_id.tolist(),
                "a": start.tolist(),
                "b": end.tolist(),
                "srid": metric_srid,
            },
        )
        .scalars()
        .all()
    )
    return shapely.from_wkb([bytes(r) for r in rows])


def points_along(
    conn: Connection,
    road_id: NDArray[np.int64],
    position: NDArray[np.float64],
    *,
    metric_srid: int,
) -> NDArray[np.object_]:
    """The point `position` metres (in `metric_srid`) along each road, as lon/lat Points."""
    if len(road_id) == 0:
        return np.empty(0, dtype=object)
    params = {"road": road_id.tolist(), "x": position.tolist(), "srid": metric_srid}
    rows = conn.execute(_POINTS, params).scalars().all()
    return shapely.from_wkb([bytes(r) for r in rows])
