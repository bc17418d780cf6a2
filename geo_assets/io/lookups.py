"""What validation needs from the database: the city's area, stored codes, referenced rows.

Each lookup is one set-based query for the whole file (codes passed as one array), never one
query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from shapely import Geometry
from sqlalchemy import (
    ARRAY,
    BindParameter,
    Connection,
    Integer,
    String,
    any_,
    bindparam,
    func,
    select,
    text,
)

from geo_assets.models import Base, Kecamatan, Lamp, Road
from geo_assets.models.base import METRIC_SRID, SRID

# SPEC §4: the whole city lies within this box; used while no kecamatan are stored.
CITY_BBOX = (114.675, -3.569, 114.908, -3.377)
CITY_BBOX_TEXT = "inside Banjarbaru: 114.675–114.908 E, 3.377–3.569 S"


def city_area(connection: Connection) -> tuple[Geometry, str]:
    """The union of the kecamatan polygons, or the SPEC's bounding box when there are none."""
    wkb = connection.execute(select(func.ST_AsBinary(func.ST_Union(Kecamatan.geom)))).scalar()
    if wkb is None:
        return shapely.box(*CITY_BBOX), CITY_BBOX_TEXT
    return shapely.from_wkb(bytes(wkb)), "inside Banjarbaru (the union of its kecamatan)"


def lock_for_import(connection: Connection, table: str) -> None:
    """Keep other writers out of `table` until commit, so duplicate checks stay true.

    Readers are not blocked. The table name comes from our own entity list, never from input.
    """
    connection.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))


def _codes_param(codes: Iterable[object]) -> BindParameter[Any]:
    values = sorted({str(code) for code in codes if code is not None})
    array: Any = ARRAY(String)
    return bindparam("codes", values, type_=array)


def stored_codes(connection: Connection, table: str, codes: np.ndarray) -> set[str]:
    """Those of `codes` that are already used in `table`."""
    column = Base.metadata.tables[table].c.code
    query = select(column).where(column == any_(_codes_param(codes)))
    return set(connection.execute(query).scalars())


def ids_by_code(connection: Connection, table: str, codes: np.ndarray) -> dict[str, int]:
    """Code → id of the rows of `table` with those codes."""
    columns = Base.metadata.tables[table].c
    query = select(columns.code, columns.id).where(columns.code == any_(_codes_param(codes)))
    return {code: row_id for code, row_id in connection.execute(query)}


def kecamatan_shapes(connection: Connection) -> list[tuple[str, Geometry]]:
    """(code, polygon) of every kecamatan, to number new lamps by the district they stand in."""
    rows = connection.execute(
        select(Kecamatan.code, func.ST_AsBinary(Kecamatan.geom)).order_by(Kecamatan.id)
    )
    return [(code, shapely.from_wkb(bytes(wkb))) for code, wkb in rows]


def last_lamp_numbers(connection: Connection) -> dict[str, int]:
    """Kecamatan code → the highest lamp number used in it (`PJU-63.72.04-00123` → 123)."""
    district = func.split_part(Lamp.code, "-", 2)
    number = func.max(func.split_part(Lamp.code, "-", 3).cast(Integer))
    rows = connection.execute(select(district, number).group_by(district))
    return {code: int(highest) for code, highest in rows}


def roads_near(
    connection: Connection, bounds: tuple[float, float, float, float], margin_deg: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """Ids and lines (in metres, EPSG:32750) of the roads within `bounds` plus a margin."""
    envelope = func.ST_Expand(func.ST_MakeEnvelope(*bounds, SRID), margin_deg)
    rows = connection.execute(
        select(Road.id, func.ST_AsBinary(func.ST_Transform(Road.geom, METRIC_SRID))).where(
            Road.geom.intersects(envelope)
        )
    ).all()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    lines = shapely.from_wkb([bytes(row[1]) for row in rows]) if rows else np.array([])
    return ids, lines
