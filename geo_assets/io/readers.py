"""Read a GeoJSON, GeoPackage, Shapefile or CSV file into attribute columns and WGS 84 geometries.

Row numbers are counted as a person counts them: data row 1 is the first feature of a GeoJSON,
GeoPackage or Shapefile, or the first non-blank line after the header of a CSV. For a CSV the
line in the file (header = line 1, blank lines counted) is kept too, to find the row in an editor.
GeoJSON and CSV are read by our own code (faster than GDAL for these, and with better messages);
GeoPackage and Shapefile through pyogrio (GDAL).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo_assets.errors import InvalidInput
from geo_assets.io.crs import epsg_of, to_wgs84
from geo_assets.io.csv_reader import read_csv
from geo_assets.io.geojson_reader import read_geojson
from geo_assets.io.source import SourceTable
from geo_assets.models.base import SRID

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
OGR_KINDS = {".gpkg": "GeoPackage", ".shp": "Shapefile", ".zip": "Shapefile (zipped)"}


def read_source(path: Path, *, layer_names: tuple[str, ...] = ()) -> SourceTable:
    """Read `path` by its extension; a layer named in `layer_names` is preferred in a GeoPackage.

    Raises InvalidInput, naming the file, when the file as a whole cannot be read.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    if suffix in GEOJSON_SUFFIXES:
        return read_geojson(path)
    if suffix in OGR_KINDS:
        return read_ogr(path, OGR_KINDS[suffix], layer_names)
    raise InvalidInput(
        f"{path.name}: unknown file type '{suffix or '(none)'}'. Use .geojson, .gpkg, "
        ".shp (or a zipped Shapefile), .csv with lon/lat columns, or .xlsx/.xls/.ods."
    )


def read_ogr(path: Path, kind: str, layer_names: tuple[str, ...] = ()) -> SourceTable:
    """Read a GeoPackage or Shapefile with pyogrio."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layer = _pick_layer(path, pyogrio.list_layers(path), layer_names)
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (DataSourceError, DataLayerError) as exc:
        raise InvalidInput(f"{path.name} cannot be read as {kind}: {str(exc).strip()}") from None
    if frame.empty:
        raise InvalidInput(f"{path.name} contains no features.")
    epsg = SRID if frame.crs is None else epsg_of(path.name, frame.crs)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    return SourceTable(
        path,
        kind,
        attributes,
        to_wgs84(np.asarray(frame.geometry.to_numpy()), epsg),
        reprojected_from=None if epsg == SRID else f"EPSG:{epsg}",
    )


def _pick_layer(path: Path, layers: np.ndarray, preferred: tuple[str, ...]) -> str:
    names = [str(row[0]) for row in layers]
    if not names:
        raise InvalidInput(f"{path.name} contains no layer.")
    for name in preferred:
        if name in names:
            return name
    if len(names) > 1:
        raise InvalidInput(
            f"{path.name} has {len(names)} layers ({', '.join(names)}); name one "
            f"{' or '.join(preferred) or 'of them'} or keep one layer per file."
        )
    return names[0]
