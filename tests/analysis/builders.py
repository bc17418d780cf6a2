"""Small hand-built places for analysis tests, drawn in UTM 50S metres so answers are exact.

Origin (X0, Y0) is near Banjarbaru's centre; every shape is given as metre offsets from it and
stored in lon/lat like real data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select
from sqlalchemy.dialects.postgresql import array

from geo_assets import tables
from tests import factories

X0, Y0 = 259_000.0, 9_619_000.0
UTM_50S = 32750  # the CRS these places are drawn in


def _pt(dx: float, dy: float) -> ColumnElement[Any]:
    return func.ST_Transform(func.ST_SetSRID(func.ST_MakePoint(X0 + dx, Y0 + dy), UTM_50S), 4326)


def _box(x1: float, y1: float, x2: float, y2: float) -> ColumnElement[Any]:
    return func.ST_Transform(
        func.ST_MakeEnvelope(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2, UTM_50S), 4326
    )


def _line(points: list[tuple[float, float]]) -> ColumnElement[Any]:
    return func.ST_MakeLine(array([_pt(x, y) for x, y in points]))


def add_kecamatan(conn: Connection, code: str, name: str, box: tuple[float, ...]) -> int:
    """A kecamatan covering the metre box (x1, y1, x2, y2)."""
    return factories.add_kecamatan(conn, code=code, name=name, geom=func.ST_Multi(_box(*box)))


def add_kelurahan(
    conn: Connection, code: str, name: str, kecamatan_id: int, box: tuple[float, ...]
) -> int:
    """A kelurahan covering the metre box (x1, y1, x2, y2)."""
    return factories.add_kelurahan(
        conn, code=code, name=name, kecamatan_id=kecamatan_id, geom=func.ST_Multi(_box(*box))
    )


def add_road(
    conn: Connection,
    code: str,
    road_class: str,
    points: list[tuple[float, float]],
    name: str | None = None,
) -> int:
    """A road through the metre points."""
    return factories.add_road(conn, code=code, name=name, road_class=road_class, geom=_line(points))


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
    return factories.add_lamp(
        conn,
        code=f"PJU-63.72.04-{number:05d}",
        geom=_pt(dx, dy),
        road_id=road_id,
        lamp_type=lamp_type,
        wattage=wattage,
        pole_height_m=height,
        status=status,
        installed_on=installed_on,
    )


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
    cemetery = factories.add_cemetery(
        conn,
        code=code,
        name=f"TPU {code}",
        kind=kind,
        capacity=sum(plots.values()),
        gate_geom=_pt(*gate),
        geom=_box(*box),
    )
    block = factories.add_block(conn, cemetery_id=cemetery, code=f"{code}-A", geom=_box(*box))
    number = 0
    for status, count in plots.items():
        for _ in range(count):
            number += 1
            x, y = box[0] + (number % 40) * 2.5, box[1] + (number // 40) * 2.5
            factories.add_plot(
                conn,
                block_id=block,
                code=f"{code}-A-{number // 40 + 1}-{number % 40 + 1}",
                row_number=number // 40 + 1,
                plot_number=number % 40 + 1,
                status=status,
                geom=_box(x, y, x + 2, y + 2),
            )
    plot = tables.PLOT
    occupied = conn.execute(
        select(plot.c.id)
        .where(plot.c.block_id == block, plot.c.status == "occupied")
        .order_by(plot.c.id)
    ).scalars()
    for plot_id, buried_on in zip(occupied, burials, strict=False):
        factories.add_interment(
            conn, plot_id=plot_id, deceased_name="Almarhum", buried_on=buried_on
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
    return factories.add_prayer_room(
        conn,
        code=code,
        status=status,
        cemetery_id=cemetery_id,
        estimated_cost_idr=cost,
        planned_year=planned_year,
        geom=_pt(dx, dy),
    )


def add_access_road(
    conn: Connection, code: str, cemetery_id: int, condition: str, points: list[tuple[float, float]]
) -> int:
    """An access road of a TPU through the metre points."""
    return factories.add_access_road(
        conn, code=code, cemetery_id=cemetery_id, condition=condition, geom=_line(points)
    )
