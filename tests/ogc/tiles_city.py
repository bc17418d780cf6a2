"""A small city for the vector-tile tests: one kecamatan and kelurahan, two roads, lamps.

Three lamps share one pixel cell of zoom 12 (statuses working, out, damaged); the others stand
111 m apart along a street, one per cell; a service request carries a reporter's e-mail.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from geo_assets.tiles.matrix import lon_lat, tile_of
from tests.factories import (
    add_kecamatan,
    add_kelurahan,
    add_lamp,
    add_road,
    add_service_request,
    line,
)

AREA = (
    "SRID=4326;MULTIPOLYGON(((114.80 -3.46,114.86 -3.46,114.86 -3.42,114.80 -3.42,114.80 -3.46)))"
)
STREET_LAT = -3.44
STREET_LAMPS = 20
SHARED_STATUSES = ("working", "out", "damaged")


def shared_cell_point() -> tuple[float, float]:
    """The centre of the zoom-12 pixel cell (a zoom-20 tile) the three shared lamps stand in."""
    x, y = tile_of(20, 114.83, -3.45)
    return lon_lat(20, x + 0.5, y + 0.5)


def build_tiles_city(engine: Engine) -> None:
    """Store the small city (see the module's docstring)."""
    with engine.begin() as conn:
        kecamatan = add_kecamatan(conn, code="63.72.04", name="Banjarbaru Utara", geom=AREA)
        add_kelurahan(conn, code="63.72.04.1002", name="Mentaos", kecamatan_id=kecamatan, geom=AREA)
        add_road(
            conn,
            code="JL-0001",
            name="Jl. A. Yani",
            road_class="arteri",
            geom=line((114.80, STREET_LAT), (114.86, STREET_LAT)),
        )
        add_road(conn, code="JL-0002", geom=line((114.83, -3.46), (114.83, -3.42)))
        for n in range(STREET_LAMPS):
            add_lamp(
                conn,
                code=f"PJU-63.72.04-{n + 1:05d}",
                lon=114.82 + n * 0.001,
                lat=STREET_LAT,
                wattage=60 + n,
            )
        lon, lat = shared_cell_point()
        for n, status in enumerate(SHARED_STATUSES):
            add_lamp(
                conn,
                code=f"PJU-63.72.04-{n + 101:05d}",
                lon=lon + n * 0.000004,
                lat=lat,
                status=status,
            )
        add_service_request(
            conn,
            service_code="lampu-mati",
            lon=114.83,
            lat=STREET_LAT,
            requested_at=datetime(2026, 11, 1, tzinfo=UTC),
            email="warga@example.com",
        )
