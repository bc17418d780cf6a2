"""Mapbox vector tiles built by PostGIS (`ST_AsMVTGeom`/`ST_AsMVT`), one query per tile.

The tile's envelope is transformed once into the tables' SRID (4326) so the GIST index finds
the rows; only the rows found are transformed to Web Mercator. Points of a layer with
`merge_below` merge per pixel cell at low zooms (a count and the most severe status), so a
tile of the whole city holds at most one feature per cell instead of every lamp.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    Select,
    Text,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from geo_assets.tiles.layers import TileLayer, Tileset
from geo_assets.tiles.matrix import HALF_WORLD

EXTENT = 4096  # tile units per side (the MVT default)
BUFFER = 64  # tile units drawn beyond the edge, so lines and outlines join across tiles
CELLS = 256  # pixel cells per side when points merge (one per pixel of a 256-pixel tile)
SRID = 4326


def _envelope(z: int, x: int, y: int, margin: float = 0.0) -> ColumnElement[Any]:
    world = func.ST_MakeEnvelope(-HALF_WORLD, -HALF_WORLD, HALF_WORLD, HALF_WORLD, 3857)
    return func.ST_TileEnvelope(z, x, y, world, margin)


def _property(layer: TileLayer, name: str) -> ColumnElement[Any]:
    """A tile property typed as MVT knows it (text, integer, float)."""
    column = layer.table.c[name]
    kind = layer.entity.column(name).kind
    if kind == "integer":
        return cast(column, Integer).label(name)
    if kind == "number":
        return cast(column, Float).label(name)
    return cast(column, Text).label(name)


def _in_tile(layer: TileLayer, z: int, x: int, y: int, margin: float) -> ColumnElement[bool]:
    # The envelope goes to the table's SRID, not every row to 3857: the GIST index is used.
    box = func.ST_Transform(_envelope(z, x, y, margin), SRID)
    return layer.table.c.geom.op("&&")(box)


def _features(layer: TileLayer, z: int, x: int, y: int) -> Select:
    """Every row of `layer` in the tile, its geometry in tile units."""
    table = layer.table
    geometry = func.ST_AsMVTGeom(
        func.ST_Transform(table.c.geom, 3857), _envelope(z, x, y), EXTENT, BUFFER, True
    )
    return select(
        table.c.id, *(_property(layer, name) for name in layer.columns), geometry.label("geom")
    ).where(_in_tile(layer, z, x, y, BUFFER / EXTENT))


def _merged(layer: TileLayer, z: int, x: int, y: int) -> Select:
    """Points of `layer` in the tile merged per pixel cell, with a count and the worst status."""
    table = layer.table
    cell = func.ST_AsMVTGeom(
        func.ST_Transform(table.c.geom, 3857), _envelope(z, x, y), CELLS, 0, True
    ).label("cell")
    status = layer.status_column
    assert status is not None  # only layers with a severity order merge
    rank = case(
        *((table.c[status] == value, rank) for rank, value in enumerate(layer.severity)),
        else_=len(layer.severity),
    )
    points = (
        select(table.c.id, *(_property(layer, name) for name in layer.columns), rank.label("rank"))
        .add_columns(cell)
        .where(_in_tile(layer, z, x, y, 0.0))
        .subquery("points")
    )
    count = func.count()
    worst = case(*((func.min(points.c.rank) == r, v) for r, v in enumerate(layer.severity)))
    return (
        select(
            func.min(points.c.id).label("id"),
            count.label("count"),
            *(
                worst.label(name)
                if name == status
                else case((count == 1, func.min(points.c[name]))).label(name)
                for name in layer.columns
            ),
            points.c.cell.label("geom"),
        )
        .where(points.c.cell.is_not(None))
        .group_by(points.c.cell)
    )


def layer_query(layer: TileLayer, z: int, x: int, y: int) -> ColumnElement[Any]:
    """The layer's MVT bytes as a scalar subquery (empty bytes when nothing is in the tile)."""
    merged = layer.merge_below is not None and z < layer.merge_below
    rows = (_merged if merged else _features)(layer, z, x, y).subquery(layer.id)
    extent = CELLS if merged else EXTENT
    mvt = func.ST_AsMVT(rows.table_valued(), literal(layer.id), extent, "geom", "id")
    return select(mvt).select_from(rows).scalar_subquery()


def render_tile(connection: Connection, tileset: Tileset, z: int, x: int, y: int) -> bytes:
    """The tile (z, x, y) of `tileset`: its layers' MVT bytes one after the other."""
    row = connection.execute(
        select(*(layer_query(layer, z, x, y) for layer in tileset.layers))
    ).one()
    return b"".join(bytes(part) for part in row if part)
