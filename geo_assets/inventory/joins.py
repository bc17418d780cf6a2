"""Derived properties (joined codes and names) and the filters that need joins or subqueries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, select, true

from geo_assets.errors import InvalidInput
from geo_assets.inventory.resources import (
    Filter,
    Joined,
    equals,
    key_clause,
    spatial_within,
)
from geo_assets.models import (
    Cemetery,
    CemeteryBlock,
    Interment,
    Kecamatan,
    Kelurahan,
    Lamp,
    Plot,
    Road,
)
from geo_assets.vocab import PLOT_STATUS

KECAMATAN_T: Table = Kecamatan.__table__  # type: ignore[assignment]
KELURAHAN_T: Table = Kelurahan.__table__  # type: ignore[assignment]
ROAD_T: Table = Road.__table__  # type: ignore[assignment]
LAMP_T: Table = Lamp.__table__  # type: ignore[assignment]
CEMETERY_T: Table = Cemetery.__table__  # type: ignore[assignment]
BLOCK_T: Table = CemeteryBlock.__table__  # type: ignore[assignment]
PLOT_T: Table = Plot.__table__  # type: ignore[assignment]
INTERMENT_T: Table = Interment.__table__  # type: ignore[assignment]

AREA_FILTERS: dict[str, Filter] = {
    "kecamatan": spatial_within(KECAMATAN_T),
    "kelurahan": spatial_within(KELURAHAN_T),
}


def _code_of(table: Table, alias: str) -> Any:
    # Aliases keep the joined copies apart from the tables that filters query in subqueries.
    return table.alias(alias)


def kelurahan_derived(table: Table) -> Joined:
    kecamatan = _code_of(KECAMATAN_T, "kc")
    joined = table.outerjoin(kecamatan, kecamatan.c.id == table.c.kecamatan_id)
    return Joined(joined, {"kecamatan_code": kecamatan.c.code}, table.c.geom)


def lamp_derived(table: Table) -> Joined:
    road, kelurahan, kecamatan = (
        _code_of(ROAD_T, "r"),
        _code_of(KELURAHAN_T, "kl"),
        _code_of(KECAMATAN_T, "kc"),
    )
    joined = (
        table.outerjoin(road, road.c.id == table.c.road_id)
        .outerjoin(kelurahan, kelurahan.c.id == table.c.kelurahan_id)
        .outerjoin(kecamatan, kecamatan.c.id == kelurahan.c.kecamatan_id)
    )
    return Joined(
        joined,
        {
            "road_code": road.c.code,
            "road_name": road.c.name,
            "kelurahan_code": kelurahan.c.code,
            "kelurahan_name": kelurahan.c.name,
            "kecamatan_code": kecamatan.c.code,
            "kecamatan_name": kecamatan.c.name,
        },
        table.c.geom,
    )


def lamp_area(area: Table, via_kecamatan: bool) -> Filter:
    """Lamps carry their kelurahan (set by a trigger), so area filters need no geometry test."""

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        if via_kecamatan:
            ids = (
                select(KELURAHAN_T.c.id)
                .join(KECAMATAN_T, KECAMATAN_T.c.id == KELURAHAN_T.c.kecamatan_id)
                .where(key_clause(KECAMATAN_T, values))
            )
        else:
            ids = select(KELURAHAN_T.c.id).where(key_clause(KELURAHAN_T, values))
        return table.c.kelurahan_id.in_(ids)

    return clause


def cemetery_code(column: str):
    def derived(table: Table) -> Joined:
        cemetery = _code_of(CEMETERY_T, "c")
        joined = table.outerjoin(cemetery, cemetery.c.id == table.c[column])
        return Joined(joined, {"cemetery_code": cemetery.c.code}, table.c.geom)

    return derived


def access_road_derived(table: Table) -> Joined:
    cemetery, road = _code_of(CEMETERY_T, "c"), _code_of(ROAD_T, "r")
    joined = table.outerjoin(cemetery, cemetery.c.id == table.c.cemetery_id).outerjoin(
        road, road.c.id == table.c.road_id
    )
    return Joined(
        joined, {"cemetery_code": cemetery.c.code, "road_code": road.c.code}, table.c.geom
    )


def plot_derived(table: Table) -> Joined:
    block, cemetery = _code_of(BLOCK_T, "b"), _code_of(CEMETERY_T, "c")
    joined = table.join(block, block.c.id == table.c.block_id).join(
        cemetery, cemetery.c.id == block.c.cemetery_id
    )
    return Joined(
        joined, {"block_code": block.c.code, "cemetery_code": cemetery.c.code}, table.c.geom
    )


def interment_derived(table: Table) -> Joined:
    plot, block, cemetery = (
        _code_of(PLOT_T, "p"),
        _code_of(BLOCK_T, "b"),
        _code_of(CEMETERY_T, "c"),
    )
    joined = (
        table.join(plot, plot.c.id == table.c.plot_id)
        .join(block, block.c.id == plot.c.block_id)
        .join(cemetery, cemetery.c.id == block.c.cemetery_id)
    )
    return Joined(
        joined,
        {
            "plot_code": plot.c.code,
            "plot_status": plot.c.status,
            "block_code": block.c.code,
            "cemetery_code": cemetery.c.code,
        },
        plot.c.geom,
    )


def plot_in_cemetery(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
    blocks = select(BLOCK_T.c.id).join(CEMETERY_T, CEMETERY_T.c.id == BLOCK_T.c.cemetery_id)
    return table.c.block_id.in_(blocks.where(key_clause(CEMETERY_T, values)))


def interment_in(target: Table, join_on: str | None) -> Filter:
    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        plots = select(PLOT_T.c.id)
        if join_on == "block":
            plots = plots.join(BLOCK_T, BLOCK_T.c.id == PLOT_T.c.block_id).where(
                key_clause(BLOCK_T, values)
            )
        elif join_on == "cemetery":
            plots = (
                plots.join(BLOCK_T, BLOCK_T.c.id == PLOT_T.c.block_id)
                .join(CEMETERY_T, CEMETERY_T.c.id == BLOCK_T.c.cemetery_id)
                .where(key_clause(CEMETERY_T, values))
            )
        else:
            plots = plots.where(key_clause(PLOT_T, values))
        return table.c.plot_id.in_(plots)

    return clause


def plot_status(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
    plots = select(PLOT_T.c.id).where(and_(equals("status", PLOT_STATUS)(PLOT_T, values)))
    return table.c.plot_id.in_(plots)


def interment_voided(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
    """Filter: `true` for voided interments only, `false` for live ones only."""
    wanted = {value.strip().lower() for value in values}
    if not wanted <= {"true", "false"}:
        raise InvalidInput(f"voided must be true or false; got {', '.join(map(repr, values))}.")
    if wanted == {"true"}:
        return table.c.voided_at.is_not(None)
    if wanted == {"false"}:
        return table.c.voided_at.is_(None)
    return true()
