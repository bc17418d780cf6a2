"""A large GeoPackage or Shapefile read a slice at a time, so that memory stays flat.

`import_file` checks and stores each slice before the next is read, all inside one transaction:
the outcome (all or nothing, or the valid rows with --skip-invalid) and the report are those of
reading the file whole. Slices of a GeoPackage are taken by its feature id (`fid > last`, an
index lookup); those of a Shapefile by position (a Shapefile seeks to a record directly).
Codes repeated across slices are found by a first pass that reads the code column alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo_assets.errors import InvalidInput
from geo_assets.io.crs import epsg_of, to_wgs84
from geo_assets.io.parsing import text_from_value
from geo_assets.io.readers import OGR_KINDS, _pick_layer
from geo_assets.io.source import SourceTable
from geo_assets.models.base import SRID

CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class OgrLayer:
    """The layer of a GeoPackage or Shapefile to read, and how many features it has."""

    path: Path
    kind: str
    layer: str
    features: int
    fid_column: str
    columns: tuple[str, ...]


def large_ogr_layer(
    path: Path, layer_names: tuple[str, ...], chunk_rows: int = CHUNK_ROWS
) -> OgrLayer | None:
    """The layer when `path` is a GeoPackage or Shapefile with more than `chunk_rows` features.

    None for any other file (it is read whole); a file that cannot be opened is left to the
    whole-file reader, which reports it.
    """
    kind = OGR_KINDS.get(path.suffix.lower())
    if kind is None or not path.is_file():
        return None
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layer = _pick_layer(path, pyogrio.list_layers(path), layer_names)
        info = pyogrio.read_info(path, layer=layer, force_feature_count=True)
    except (DataSourceError, DataLayerError, InvalidInput):
        return None
    if info["features"] <= chunk_rows:
        return None
    columns = tuple(str(name) for name in info["fields"])
    return OgrLayer(path, kind, layer, int(info["features"]), info["fid_column"] or "", columns)


def read_chunks(source: OgrLayer, chunk_rows: int = CHUNK_ROWS) -> Iterator[SourceTable]:
    """The layer as consecutive SourceTables of at most `chunk_rows` rows, in file order."""
    import pyogrio

    last_fid: int | None = None
    for start in range(0, source.features, chunk_rows):
        if source.fid_column:  # GeoPackage: the next rows by id, through the table's index
            where = None if last_fid is None else f'"{source.fid_column}" > {last_fid}'
            frame = pyogrio.read_dataframe(
                source.path,
                layer=source.layer,
                where=where,
                max_features=chunk_rows,
                fid_as_index=True,
            )
            if len(frame):
                last_fid = int(frame.index[-1])
        else:
            frame = pyogrio.read_dataframe(
                source.path, layer=source.layer, skip_features=start, max_features=chunk_rows
            )
        if frame.empty:
            return
        yield _table(source, frame)


def _table(source: OgrLayer, frame: pd.DataFrame) -> SourceTable:
    epsg = SRID if frame.crs is None else epsg_of(source.path.name, frame.crs)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    return SourceTable(
        source.path,
        source.kind,
        attributes,
        to_wgs84(np.asarray(frame.geometry.to_numpy()), epsg),
        reprojected_from=None if epsg == SRID else f"EPSG:{epsg}",
    )


def repeated_codes(source: OgrLayer, column: str) -> dict[str, list[int]]:
    """Codes that appear more than once in the whole layer, with their rows (counted from 1)."""
    import pyogrio

    frame = pyogrio.read_dataframe(
        source.path, layer=source.layer, columns=[column], read_geometry=False
    )
    raw = frame[column]
    filled = raw[raw.notna()]
    codes = pd.Series(
        [text_from_value(value) for value in filled.to_numpy(object)], index=filled.index
    )
    codes = codes[(codes != "") & codes.duplicated(keep=False)]
    rows: dict[str, list[int]] = defaultdict(list)
    for index, code in codes.items():
        rows[code].append(int(index) + 1)
    return dict(rows)
