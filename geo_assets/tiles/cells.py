"""Low-zoom lamp tiles from `lamp_tile_cell`: lamps per status in each cell (migration 0010).

Below zoom 15 a dense lamp tile holds one point per cell of 2x2 pixels with the lamps counted
there and their most severe status, read from the cell table that statement-level triggers keep
exact; a tile of the whole city at 1.4 million lamps reads a few thousand cells, not every lamp.
A sparse tile (at most `detail_limit` lamps) shows each lamp with its properties instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    case,
    func,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from geo_assets.tiles.layers import LAMP_SEVERITY, TileLayer

CELLS = 128  # cells per tile side: 2x2 pixels of a 256-pixel tile
CELL_ZOOMS = range(10, 15)  # the zooms the cell table counts

# Only the triggers write it; a Core handle for reading (not an ORM model).
LAMP_TILE_CELL = Table(
    "lamp_tile_cell",
    MetaData(),
    Column("zoom", SmallInteger, primary_key=True),
    Column("cell_x", Integer, primary_key=True),
    Column("cell_y", Integer, primary_key=True),
    *(Column(status, Integer, nullable=False) for status in LAMP_SEVERITY),
)


def merges(layer: TileLayer, z: int) -> bool:
    """True when the layer's tile at zoom z comes from the cell table."""
    return layer.merge_below is not None and z < layer.merge_below and z in CELL_ZOOMS


def _cell_tile(layer: TileLayer, z: int, x: int, y: int) -> tuple[Any, Any]:
    """(lamps in the tile, the tile's MVT of merged cells) as scalar subqueries."""
    cell = LAMP_TILE_CELL.c
    total: ColumnElement[int] = cell[LAMP_SEVERITY[0]]
    for status in LAMP_SEVERITY[1:]:
        total = total + cell[status]
    worst = case(*((cell[status] > 0, status) for status in LAMP_SEVERITY))
    cells = (
        select(
            (cell.cell_x - x * CELLS).label("cx"),
            (cell.cell_y - y * CELLS).label("cy"),
            total.label("count"),
            worst.label("status"),
        )
        .where(
            cell.zoom == z,
            cell.cell_x.between(x * CELLS, (x + 1) * CELLS - 1),
            cell.cell_y.between(y * CELLS, (y + 1) * CELLS - 1),
            total > 0,
        )
        .cte("cells")
    )
    # A cell's point is its centre, on a grid of twice the cells per side (the tile's extent).
    rows = select(
        cells.c["count"],
        cells.c.status,
        func.ST_MakePoint(cells.c.cx * 2 + 1, cells.c.cy * 2 + 1).label("geom"),
    ).subquery(layer.id)
    mvt = func.ST_AsMVT(rows.table_valued(), layer.id, 2 * CELLS, "geom")
    lamps = select(func.coalesce(func.sum(cells.c["count"]), 0)).scalar_subquery()
    return lamps, select(mvt).select_from(rows).scalar_subquery()


def merged_tile(
    connection: Connection, layer: TileLayer, z: int, x: int, y: int
) -> tuple[int, bytes]:
    """The number of lamps in the tile and its MVT of merged cells."""
    lamps, tile = _cell_tile(layer, z, x, y)
    count, body = connection.execute(select(lamps, tile)).one()
    return int(count), bytes(body or b"")
