"""Context layers: kecamatan and kelurahan boundaries, and the road network."""

from __future__ import annotations

import geopandas as gpd
from sqlalchemy import Engine, select

from geo_assets.mapdata.frame import read_frame, wkb
from geo_assets.models import Kecamatan, Kelurahan, Road


def read_kecamatan(engine: Engine) -> gpd.GeoDataFrame:
    """Districts: code, name, geometry."""
    query = select(Kecamatan.code, Kecamatan.name, wkb(Kecamatan.geom)).order_by(Kecamatan.code)
    return read_frame(engine, query)


def read_kelurahan(engine: Engine) -> gpd.GeoDataFrame:
    """Sub-districts: code, name, kecamatan_name, geometry."""
    query = (
        select(
            Kelurahan.code,
            Kelurahan.name,
            Kecamatan.name.label("kecamatan_name"),
            wkb(Kelurahan.geom),
        )
        .join(Kecamatan, Kelurahan.kecamatan_id == Kecamatan.id)
        .order_by(Kelurahan.code)
    )
    return read_frame(engine, query)


def read_roads(engine: Engine) -> gpd.GeoDataFrame:
    """Road segments: id, code, name, road_class, surface, geometry."""
    query = select(
        Road.id, Road.code, Road.name, Road.road_class, Road.surface, wkb(Road.geom)
    ).order_by(Road.id)
    return read_frame(engine, query)
