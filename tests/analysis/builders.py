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


def add_cemetery(
    conn: Connection,
    code: str,
    box: tuple[float, ...],
    gate: tuple[float, float],
    *,
    plots: dict[str, int],
    burials: list[date],
    kind: str = "muslim",
) -> int:
    """A TPU with one block, `plots` {status: count} (occupied ones first get the `burials`)."""
    cemetery = conn.execute(
        text(
            "INSERT INTO cemetery (code, name, kind, capacity, gate_geom, geom) "
            f"VALUES (:c, :n, :kind, :cap, {_pt(*gate)}, {_box(*box)}) RETURNING id"
        ),
        {"c": code, "n": f"TPU {code}", "kind": kind, "cap": sum(plots.values())},
    ).scalar_one()
    block = conn.execute(
        text(
            "INSERT INTO cemetery_block (code, cemetery_id, name, geom) "
            f"VALUES (:c, :id, 'A', {_box(*box)}) RETURNING id"
        ),
        {"c": f"{code}-A", "id": cemetery},
    ).scalar_one()
    number = 0
    for status, count in plots.items():
        for _ in range(count):
            number += 1
            x, y = box[0] + (number % 40) * 2.5, box[1] + (number // 40) * 2.5
            conn.execute(
                text(
                    "INSERT INTO plot (code, block_id, row_number, plot_number, status, geom) "
                    f"VALUES (:c, :b, :r, :n, :s, {_box(x, y, x + 2, y + 2)})"
                ),
                {
                    "c": f"{code}-A-{number // 40 + 1}-{number % 40 + 1}",
                    "b": block,
                    "r": number // 40 + 1,
                    "n": number % 40 + 1,
                    "s": status,
                },
            )
    occupied = (
        conn.execute(
            text("SELECT id FROM plot WHERE block_id = :b AND status = 'occupied' ORDER BY id"),
            {"b": block},
        )
        .scalars()
        .all()
    )
    for plot, buried_on in zip(occupied, burials, strict=False):
        conn.execute(
            text(
                "INSERT INTO interment (plot_id, deceased_name, buried_on) "
                "VALUES (:p, 'Almarhum', :d)"
            ),
            {"p": plot, "d": buried_on},
        )
    return cemetery


def add_musala(
    conn: Connection,
    code: str,
    dx: float,
    dy: float,
    *,
    status: str,
    cemetery_id: int | None = None,
    cost: int | None = None,
    planned_year: int | None = None,
) -> int:
    """A prayer room at the metre point (dx, dy)."""
    return conn.execute(
        text(
            "INSERT INTO prayer_room (code, name, status, cemetery_id, estimated_cost_idr, "
            f"planned_year, geom) VALUES (:c, :n, :s, :cem, :cost, :y, {_pt(dx, dy)}) RETURNING id"
        ),
        {
            "c": code,
            "n": f"Musala {code}",
            "s": status,
            "cem": cemetery_id,
            "cost": cost,
            "y": planned_year,
        },
    ).scalar_one()


def add_access_road(
    conn: Connection, code: str, cemetery_id: int, condition: str, points: list[tuple[float, float]]
) -> int:
    """An access road of a TPU through the metre points."""
    line = "ST_MakeLine(ARRAY[" + ", ".join(_pt(x, y) for x, y in points) + "])"
    return conn.execute(
        text(
            "INSERT INTO access_road (code, name, cemetery_id, condition, surface, geom) "
            f"VALUES (:c, :n, :cem, :cond, 'tanah', {line}) RETURNING id"
        ),
        {"c": code, "n": f"Jalan akses {code}", "cem": cemetery_id, "cond": condition},
    ).scalar_one()
