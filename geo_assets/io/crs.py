"""Coordinate systems of imported files: find the EPSG code, reproject to WGS 84 (EPSG:4326)."""

from __future__ import annotations

import numpy as np
import shapely

from geo_assets.errors import InvalidInput
from geo_assets.models.base import SRID


def epsg_of(file_name: str, crs: object) -> int:
    """The EPSG code of a file's CRS; OGC:CRS84 counts as 4326 (same datum, lon/lat order).

    A CRS without an EPSG code is refused with how to fix the file.
    """
    # pyproj is loaded only for a file that names a CRS (start-up time of `geo-assets import`).
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        raise InvalidInput(
            f"{file_name} names a coordinate system that cannot be read: {crs}."
        ) from None
    epsg = parsed.to_epsg()
    if epsg is not None:
        return epsg
    if parsed.to_authority() == ("OGC", "CRS84"):
        return SRID
    raise InvalidInput(
        f"{file_name} is in a coordinate system without an EPSG code ({parsed.name}). "
        "Reproject it to EPSG:4326 (WGS 84, lon/lat) first, e.g. "
        f"ogr2ogr -t_srs EPSG:4326 fixed_{file_name} {file_name}"
    )


def to_wgs84(geometry: np.ndarray, epsg: int) -> np.ndarray:
    """Geometries reprojected from `epsg` to EPSG:4326, lon/lat order (None stays None)."""
    if epsg == SRID:
        return geometry
    from pyproj import Transformer

    transformer = Transformer.from_crs(epsg, SRID, always_xy=True)
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )
