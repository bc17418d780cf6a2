"""What a map of a large city shows instead of every lamp: counts in SQL and lamps found by code.

Above the map tile threshold (`Settings.map_tile_threshold`) the maps never read every lamp:
the legend counts come from one `GROUP BY status`, the files written to disk carry counts per
kelurahan, and the search box asks for the few lamps whose code matches.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine, func, select

from geo_assets import tables
from geo_assets.mapdata.areas import read_kelurahan
from geo_assets.vocab import LAMP_STATUS, codes

STATUSES = codes(LAMP_STATUS)
SEARCH_LIMIT = 8


def lamp_status_counts(engine: Engine) -> dict[str, int]:
    """Lamps per status (every status of the vocabulary, 0 when none), in vocabulary order."""
    lamp = tables.LAMP
    query = select(lamp.c.status, func.count()).group_by(lamp.c.status)
    with engine.connect() as connection:
        found: dict[str, int] = dict(connection.execute(query).all())
    return {status: int(found.get(status, 0)) for status in STATUSES}


def read_kelurahan_status_counts(engine: Engine) -> gpd.GeoDataFrame:
    """Each kelurahan (code, name, kecamatan_name, geometry) with its lamps per status and total.

    Lamps outside every kelurahan are in no row; `lamp_status_counts` still counts them.
    """
    lamp, kelurahan = tables.LAMP, tables.KELURAHAN
    query = (
        select(kelurahan.c.code, lamp.c.status, func.count().label("lamps"))
        .join(kelurahan, kelurahan.c.id == lamp.c.kelurahan_id)
        .group_by(kelurahan.c.code, lamp.c.status)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    counts = pd.DataFrame(rows, columns=["code", "status", "lamps"])
    table = counts.pivot_table(index="code", columns="status", values="lamps", fill_value=0)
    table = table.reindex(columns=list(STATUSES), fill_value=0).astype(int)
    table["total"] = table.sum(axis=1)
    areas = read_kelurahan(engine)
    frame = areas.merge(table, left_on="code", right_index=True, how="left")
    filled = frame[[*STATUSES, "total"]].fillna(0).astype(int)
    return gpd.GeoDataFrame(
        frame.drop(columns=[*STATUSES, "total"]).join(filled), geometry="geometry", crs=areas.crs
    )


def find_lamps(engine: Engine, query: str, *, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """The lamp whose code is `query`, else up to `limit` whose code contains it (any case).

    Each: code, status, lamp_type, wattage, lon, lat. A whole code is looked up in the unique
    index alone; otherwise walking the code index in order stops after `limit` matches (a query
    that matches nothing reads every code: about 2 s at 1.4 million lamps).
    """
    lamp = tables.LAMP
    wanted = query.strip()
    if not wanted:
        return []
    columns = select(
        lamp.c.code,
        lamp.c.status,
        lamp.c.lamp_type,
        lamp.c.wattage,
        func.ST_X(lamp.c.geom).label("lon"),
        func.ST_Y(lamp.c.geom).label("lat"),
    )
    exact = columns.where(lamp.c.code == wanted.upper())
    similar = (
        columns.where(lamp.c.code.icontains(wanted, autoescape=True))
        .order_by(lamp.c.code)
        .limit(limit)
    )
    with engine.connect() as connection:
        found = [dict(row) for row in connection.execute(exact).mappings()]
        if found:  # a whole code names one lamp: no need to scan for codes containing it
            return found
        return [dict(row) for row in connection.execute(similar).mappings()]
