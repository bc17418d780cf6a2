"""Rows for tests, stored through SQLAlchemy Core: a lamp, a road, areas, a cemetery and plots.

Each factory takes a connection (the caller owns the transaction), fills the columns a test does
not care about with plain defaults, and returns the new row's id. Geometry is lon/lat: an EWKT
string (`SRID=4326;POINT(114.83 -3.44)`) or any SQL expression giving a geometry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, insert
from sqlalchemy.dialects.postgresql import array

from geo_assets import tables

Geometry = str | ColumnElement[Any]
SRID = 4326


def point(lon: float, lat: float) -> ColumnElement[Any]:
    """The lon/lat point as a geometry expression."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def line(*points: tuple[float, float]) -> ColumnElement[Any]:
    """A line through lon/lat points."""
    vertices = array([func.ST_MakePoint(x, y) for x, y in points])
    return func.ST_SetSRID(func.ST_MakeLine(vertices), SRID)


def _geometry(value: Geometry) -> ColumnElement[Any]:
    return func.ST_GeomFromEWKT(value) if isinstance(value, str) else value


def _insert(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    if "geom" in values:
        values["geom"] = _geometry(values["geom"])
    if values.get("gate_geom") is not None:
        values["gate_geom"] = _geometry(values["gate_geom"])
    return conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()


def add_lamp(
    conn: Connection,
    *,
    code: str = "PJU-63.72.04-00001",
    geom: Geometry | None = None,
    lon: float = 114.83,
    lat: float = -3.44,
    lamp_type: str = "led",
    wattage: int = 60,
    pole_height_m: float = 9,
    **columns: Any,
) -> int:
    """A lamp at (lon, lat), or at `geom`; other columns (status, road_id…) as given."""
    return _insert(
        conn,
        tables.LAMP,
        {
            "code": code,
            "lamp_type": lamp_type,
            "wattage": wattage,
            "pole_height_m": pole_height_m,
            "geom": geom if geom is not None else point(lon, lat),
            **columns,
        },
    )


def add_road(
    conn: Connection,
    *,
    code: str = "JL-0001",
    geom: Geometry,
    name: str | None = None,
    road_class: str = "lokal",
    surface: str = "aspal",
    **columns: Any,
) -> int:
    """A road along `geom` (a line)."""
    return _insert(
        conn,
        tables.ROAD,
        {
            "code": code,
            "name": name or f"Jl. {code}",
            "road_class": road_class,
            "surface": surface,
            "geom": geom,
            **columns,
        },
    )


def add_kecamatan(conn: Connection, *, code: str, name: str, geom: Geometry) -> int:
    """A kecamatan with the (multi)polygon `geom`."""
    return _insert(conn, tables.KECAMATAN, {"code": code, "name": name, "geom": geom})


def add_kelurahan(
    conn: Connection, *, code: str, name: str, kecamatan_id: int | None, geom: Geometry
) -> int:
    """A kelurahan of `kecamatan_id` with the (multi)polygon `geom`."""
    return _insert(
        conn,
        tables.KELURAHAN,
        {"code": code, "name": name, "kecamatan_id": kecamatan_id, "geom": geom},
    )


def add_cemetery(
    conn: Connection,
    *,
    code: str = "TPU-01",
    geom: Geometry,
    name: str = "Uji",
    kind: str = "general",
    capacity: int = 0,
    **columns: Any,
) -> int:
    """A cemetery (TPU) with the outline `geom`."""
    return _insert(
        conn,
        tables.CEMETERY,
        {"code": code, "name": name, "kind": kind, "capacity": capacity, "geom": geom, **columns},
    )


def add_block(
    conn: Connection, *, cemetery_id: int, code: str, geom: Geometry, name: str = "A"
) -> int:
    """A block of a cemetery."""
    return _insert(
        conn,
        tables.CEMETERY_BLOCK,
        {"code": code, "cemetery_id": cemetery_id, "name": name, "geom": geom},
    )


def add_plot(
    conn: Connection,
    *,
    block_id: int,
    code: str,
    geom: Geometry,
    row_number: int = 1,
    plot_number: int = 1,
    status: str = "available",
) -> int:
    """A plot (petak) of a block."""
    return _insert(
        conn,
        tables.PLOT,
        {
            "code": code,
            "block_id": block_id,
            "row_number": row_number,
            "plot_number": plot_number,
            "status": status,
            "geom": geom,
        },
    )


def add_interment(
    conn: Connection, *, plot_id: int, deceased_name: str, buried_on: date, **columns: Any
) -> int:
    """A burial in a plot (died_on, heir_name… as given)."""
    return _insert(
        conn,
        tables.INTERMENT,
        {"plot_id": plot_id, "deceased_name": deceased_name, "buried_on": buried_on, **columns},
    )


def add_prayer_room(
    conn: Connection,
    *,
    code: str,
    geom: Geometry,
    status: str = "existing",
    name: str | None = None,
    **columns: Any,
) -> int:
    """A musala (prayer room) at the point `geom`."""
    return _insert(
        conn,
        tables.PRAYER_ROOM,
        {"code": code, "name": name or f"Musala {code}", "status": status, "geom": geom, **columns},
    )


def add_access_road(
    conn: Connection,
    *,
    code: str,
    cemetery_id: int,
    geom: Geometry,
    condition: str = "good",
    surface: str = "tanah",
    name: str | None = None,
    **columns: Any,
) -> int:
    """An access road of a cemetery along the line `geom`."""
    return _insert(
        conn,
        tables.ACCESS_ROAD,
        {
            "code": code,
            "name": name or f"Jalan akses {code}",
            "cemetery_id": cemetery_id,
            "condition": condition,
            "surface": surface,
            "geom": geom,
            **columns,
        },
    )


def add_service_request(
    conn: Connection,
    *,
    service_code: str,
    lon: float,
    lat: float,
    requested_at: datetime,
    **columns: Any,
) -> int:
    """A service request (a report) at (lon, lat); lamp_id, description… as given."""
    return _insert(
        conn,
        tables.SERVICE_REQUEST,
        {
            "service_code": service_code,
            "lon": lon,
            "lat": lat,
            "geom": point(lon, lat),
            "requested_at": requested_at,
            **columns,
        },
    )
