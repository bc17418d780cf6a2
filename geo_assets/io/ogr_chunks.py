"""A large GeoPackage or Shapefile read a slice at a time, so that memory stays flat.

`import_file` stores the slices one after another inside one transaction, reading and checking
the next while the database writes the one before (at most two alive at once): the outcome (all
or nothing, or the valid rows with --skip-invalid) and the report are those of reading the file
whole. Slices of a GeoPackage are taken by its feature id (`fid > last`, an index lookup); those
of a Shapefile by position (a Shapefile seeks to a record directly). Codes (and office ids)
repeated across slices are found by a first pass that reads their column alone.
"""

from __future__ import annotations

import gc
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

# Small enough that a slice's frames, checks and COPY payload stay well under the memory of
# the libraries themselves (flat memory for any file size); large enough that the per-slice
# lookups cost little.
CHUNK_ROWS = 20_000


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
    for frame in _frames(source, chunk_rows):
        yield _table(source, frame)


def _frames(
    source: OgrLayer, chunk_rows: int, columns: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    """The layer's rows, `chunk_rows` at a time, in file order (only `columns` when given:
    then without geometries)."""
    import pyogrio

    only = {} if columns is None else {"columns": columns, "read_geometry": False}
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
                **only,
            )
            if len(frame):
                last_fid = int(frame.index[-1])
        else:
            frame = pyogrio.read_dataframe(
                source.path,
                layer=source.layer,
                skip_features=start,
                max_features=chunk_rows,
                **only,
            )
        if frame.empty:
            return
        # Handed over, not kept: a frame still held here while the caller collects would age
        # into the oldest generation with its reference cycles and stay until a full collection.
        held = [frame]
        del frame
        yield held.pop()


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


def repeated_values(
    source: OgrLayer, column: str, chunk_rows: int = CHUNK_ROWS
) -> dict[str, list[int]]:
    """Values of `column` (codes, office ids) that appear more than once in the whole layer, as
    text, with their rows (counted from 1).

    Read a slice at a time and kept as hashes (8 bytes a row, not a string object), so that
    memory stays flat for millions of rows; the rows of a repeated hash are read again to name
    the codes (and to tell a rare hash collision from a true repeat).
    """
    hashes = np.zeros(source.features, dtype=np.int64)
    present = np.zeros(source.features, dtype=bool)
    for start, codes in _codes(source, column, chunk_rows):
        end = start + len(codes)
        present[start:end] = [bool(code) for code in codes]
        hashes[start:end] = [hash(code) for code in codes]
    values, counts = np.unique(hashes[present], return_counts=True)
    suspects = values[counts > 1]
    if not len(suspects):
        return {}
    rows: dict[str, list[int]] = defaultdict(list)
    suspect = present & np.isin(hashes, suspects)
    for start, codes in _codes(source, column, chunk_rows):
        for offset in np.flatnonzero(suspect[start : start + len(codes)]):
            rows[codes[offset]].append(start + int(offset) + 1)
    return {code: found for code, found in rows.items() if len(found) > 1}


def _codes(source: OgrLayer, column: str, chunk_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(first row index, codes as text: "" where blank) of each slice of the code column."""
    start = 0
    for frame in _frames(source, chunk_rows, [column]):
        raw = frame[column].to_numpy(object)
        del frame
        filled = ~pd.isna(raw)
        codes = [
            text_from_value(value) if keep else "" for value, keep in zip(raw, filled, strict=True)
        ]
        del raw
        # The frame's reference cycles, freed now: the importer holds the collector, and 70
        # slices of them made 140 MB of a 1.4 M-row file's peak. Only the young objects are
        # walked (those of this slice), so this costs little.
        gc.collect(1)
        yield start, codes
        start += len(codes)
