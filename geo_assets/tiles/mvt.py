"""Mapbox vector tiles built by PostGIS (`ST_AsMVTGeom`/`ST_AsMVT`), one query per tile.

The tile's envelope is transformed once into the tables' SRID (4326) so the GIST index finds
the rows; only the rows found are transformed to Web Mercator. Points of a layer with
`merge_below` come from their cell table at low zooms when the tile is dense (see `cells`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    Select,
    Text,
    cast,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from geo_assets.tiles.cells import merged_tile, merges
from geo_assets.tiles.layers import TileLayer, Tileset
from geo_assets.tiles.matrix import HALF_WORLD

EXTENT = 4096  # tile units per side (the MVT default)
BUFFER = 64  # tile units drawn beyond the edge, so lines and outlines join across tiles
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
    if layer.entity.geometry_type == "Point":
        geometry = _point_in_tile(layer, z, x, y)
    else:
        geometry = func.ST_AsMVTGeom(
            func.ST_Transform(table.c.geom, 3857), _envelope(z, x, y), EXTENT, BUFFER, True
        )
    return select(
        table.c.id, *(_property(layer, name) for name in layer.columns), geometry.label("geom")
    ).where(_in_tile(layer, z, x, y, BUFFER / EXTENT))


def _point_in_tile(layer: TileLayer, z: int, x: int, y: int) -> ColumnElement[Any]:
    """A point's position in tile units, from its lon/lat by the Web Mercator formulas.

    What ST_Transform and ST_AsMVTGeom would give, for a few multiplications per row: a tile
    of thousands of lamps is built in a fraction of the time. The envelope (with its buffer)
    already keeps only the points within the buffer.
    """
    n, extent = 2**z, EXTENT
    lon, lat = func.ST_X(layer.table.c.geom), func.ST_Y(layer.table.c.geom)
    column = lon * (n * extent / 360.0) + (n / 2 - x) * extent
    mercator = func.ln(func.tan(math.pi / 4 + func.radians(lat) / 2))
    row = (n / 2 - y) * extent - mercator * (n * extent / (2 * math.pi))
    return func.ST_MakePoint(func.round(column), func.round(row))


def layer_query(layer: TileLayer, z: int, x: int, y: int) -> ColumnElement[Any]:
    """The layer's MVT bytes, every feature with its properties, as a scalar subquery."""
    rows = _features(layer, z, x, y).subquery(layer.id)
    mvt = func.ST_AsMVT(rows.table_valued(), literal(layer.id), EXTENT, "geom", "id")
    return select(mvt).select_from(rows).scalar_subquery()


def render_tile(
    connection: Connection, tileset: Tileset, z: int, x: int, y: int, *, detail_limit: int
) -> bytes:
    """The tile (z, x, y) of `tileset`: its layers' MVT bytes one after the other.

    A layer that merges at this zoom comes from its cell table, unless the tile holds at most
    `detail_limit` of its points: then each shows with its properties.
    """
    with _quick_queries(connection):
        return _render(connection, tileset, z, x, y, detail_limit)


# Tile queries are short: the planner's JIT compilation (PostGIS functions are costed high)
# and parallel workers each cost more to start, on a busy server, than the query takes.
QUICK_QUERY = {"jit": "off", "max_parallel_workers_per_gather": "0"}


@contextmanager
def _quick_queries(connection: Connection) -> Iterator[None]:
    """No JIT and no parallel workers for the queries inside; the pooled connection gets the
    server's settings back afterwards."""
    names = list(QUICK_QUERY)
    connection.execute(
        select(*(func.set_config(name, value, False) for name, value in QUICK_QUERY.items()))
    )
    try:
        yield
    finally:
        connection.execute(
            text(
                "SELECT set_config(name, reset_val, false) FROM pg_settings "
                "WHERE name = ANY(:names)"
            ),
            {"names": names},
        )


def _render(
    connection: Connection, tileset: Tileset, z: int, x: int, y: int, detail_limit: int
) -> bytes:
    parts: list[bytes] = []
    detailed = []
    for layer in tileset.layers:
        if merges(layer, z):
            count, tile = merged_tile(connection, layer, z, x, y)
            if count > detail_limit:
                parts.append(tile)
                continue
        detailed.append(layer)
    if detailed:
        row = connection.execute(select(*(layer_query(layer, z, x, y) for layer in detailed)))
        parts.extend(bytes(part) for part in row.one() if part)
    return b"".join(parts)
