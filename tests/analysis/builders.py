"""Small hand-built places for analysis tests, drawn in UTM 50S metres so answers are exact.

Origin (X0, Y0) is near Banjarbaru's centre; every shape is given as metre offsets from it and
stored in lon/lat like real data.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, text

X0, Y0 = 259_000.0, 9_619_000.0


def _pt(dx: float, dy: float) -> str:
    return f"ST_Transform(ST_SetSRID(ST_MakePoint({X0 + dx}, {Y0 + dy}), 32750), 4326)"


def _box(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"ST_Transform(ST_MakeEnvelope({X0 + x1}, {Y0 + y1}, {X0 + x2}, {Y0 + y2}, 32750), 4326)"


def add_kecamatan(conn: Connection, code: str, name: str, box: tuple[float, ...]) -> int:
    """A kecamatan covering the metre box (x1, y1, x2, y2)."""
    return conn.execute(
        text(
            f"INSERT INTO kecamatan (code, name, geom) VALUES (:c, :n, ST_Multi({_box(*box)})) "
            "RETURNING id"
        ),
        {"c": code, "n": name},
    ).scalar_one()


def add_kelurahan(
    conn: Connection, code: str, name: str, kecamatan_id: int, box: tuple[float, ...]
) -> int:
    """A kelurahan covering the metre box (x1, y1, x2, y2)."""
    return conn.execute(
        text(
            "INSERT INTO kelurahan (code, name, kecamatan_id, geom) "
            f"VALUES (:c, :n, :k, ST_Multi({_box(*box)})) RETURNING id"
        ),
        {"c": code, "n": name, "k": kecamatan_id},
    ).scalar_one()


def add_road(
    conn: Connection,
    code: str,
    road_class: str,
    points: list[tuple[float, float]],
    name: str | None = None,
) -> int:
    """A road through the metre points."""
    line = "ST_MakeLine(ARRAY[" + ", ".join(_pt(x, y) for x, y in points) + "])"
    return conn.execute(
        text(
            "INSERT INTO road (code, name, road_class, surface, geom) "
            f"VALUES (:c, :n, :rc, 'aspal', {line}) RETURNING id"
        ),
        {"c": code, "n": name or f"Jl. {code}", "rc": road_class},
    ).scalar_one()


def add_lamp(
    conn: Connection,
    number: int,
    dx: float,
    dy: float,
    *,
    road_id: int | None,
    height: float = 8.0,
    status: str = "working",
    lamp_type: str = "led",
    wattage: int = 60,
    installed_on: date | None = None,
) -> int:
    """A lamp at the metre point (dx, dy) with the given status (set directly, no events)."""
    return conn.execute(
        text(
            "INSERT INTO lamp (code, road_id, lamp_type, wattage, pole_height_m, status, "
            f"installed_on, geom) VALUES (:code, :road, :t, :w, :h, :s, :i, {_pt(dx, dy)}) "
            "RETURNING id"
        ),
        {
            "code": f"PJU-63.72.04-{number:05d}",
            "road": road_id,
            "t": lamp_type,
            "w": wattage,
            "h": height,
            "s": status,
            "i": installed_on,
        },
    ).scalar_one()


def point_sql(dx: float, dy: float) -> str:
    """SQL for the lon/lat point at metre offsets (dx, dy)."""
    return _pt(dx, dy)


def box_sql(x1: float, y1: float, x2: float, y2: float) -> str:
    """SQL for the lon/lat polygon of a metre box."""
    return _box(x1, y1, x2, y2)
