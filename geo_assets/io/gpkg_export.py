"""A GeoPackage written in batches from a server-side cursor, so memory stays flat.

Each batch of rows becomes NumPy arrays (one per column, geometries as WKB) appended to the
layer by GDAL through `pyogrio.raw.write`: no pandas or GeoPandas, and never more than one
batch in memory, whether the layer has 14,000 features or 1.4 million.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    func,
    select,
)

BATCH_ROWS = 20_000

Counter = Callable[[int], None]


def _kind(column: Any) -> str:
    """How a column is stored: int, float, bool, text, or date (as ISO text, as before)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, Integer):
        return "int"
    if isinstance(kind, Float | Numeric):
        return "float"
    if isinstance(kind, Date | DateTime):
        return "date"
    if isinstance(kind, String):
        return "text"
    return "other"


def _text(value: object) -> object:
    return None if value is None else str(value)


def _arrays(rows: Sequence[Sequence[Any]], kinds: list[str]) -> tuple[list, list]:
    """Column arrays and null masks (None where a column needs none) of one batch."""
    import numpy as np

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
    data: list = []
    masks: list = []
    for values, kind in zip(columns, kinds, strict=False):
        mask = None
        if kind == "text":
            array = np.array(values, dtype=object)
        elif kind == "date":
            array = np.array([v if v is None else v.isoformat() for v in values], dtype=object)
        elif kind == "other":
            array = np.array([_text(v) for v in values], dtype=object)
        elif kind == "float":
            array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        else:
            missing = np.array([v is None for v in values], dtype=bool)
            dtype = np.int64 if kind == "int" else np.bool_
            array = np.array([0 if v is None else v for v in values], dtype=dtype)
            mask = missing if missing.any() else None
        data.append(array)
        masks.append(mask)
    return data, masks


def write_gpkg(
    connection: Connection,
    rows: Any,
    path: Path,
    *,
    layer: str,
    geometry_type: str,
    progress: Counter | None = None,
) -> int:
    """Write the subquery `rows` (its `geom` column the geometry) as the layer `layer` of `path`.

    `rows` is ordered by the caller; the file is created by the first batch, later batches are
    appended. Returns the number of features.
    """
    import numpy as np
    from pyogrio.raw import write

    columns = [column for column in rows.c if column.key != "geom"]
    query: Select = select(*columns, func.ST_AsBinary(rows.c.geom).label("wkb"))
    kinds = [_kind(column) for column in columns]
    names = [column.key for column in columns]
    result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(query)
    written = 0
    for batch in result.partitions():
        _write_batch(write, path, batch, kinds, names, layer, geometry_type, append=written > 0)
        written += len(batch)
        if progress:
            progress(written)
    if not written:  # the layer (and its fields) exist even when nothing matched
        geometry = np.array([], dtype=object)
        data, masks = _arrays([], kinds)
        options = {"layer": layer, "driver": "GPKG", "geometry_type": geometry_type}
        write(path, geometry, data, names, masks, crs="EPSG:4326", **options)
    return written


def _write_batch(
    write: Any,
    path: Path,
    batch: Sequence[Any],
    kinds: list[str],
    names: list[str],
    layer: str,
    geometry_type: str,
    *,
    append: bool,
) -> None:
    """Append one batch of rows (WKB last) to the layer."""
    import numpy as np

    geometry = np.array([None if row[-1] is None else bytes(row[-1]) for row in batch], object)
    data, masks = _arrays(batch, kinds)
    write(
        path,
        geometry,
        data,
        names,
        masks,
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs="EPSG:4326",
        append=append,
    )
