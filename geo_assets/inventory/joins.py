"""Derived properties (joined codes and names) and the filters that need joins or subqueries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, select, true

from geo_assets import tables
from geo_assets.errors import InvalidInput
from geo_assets.inventory.resources import Filter, Joined, equals, key_clause
from geo_assets.vocab import PLOT_STATUS


def _code_of(table: Table, alias: str) -> Any:
    # Aliases keep the joined copies apart from the tables that filters query in subqueries.
    return table.alias(alias)


def kelurahan_derived(table: Table) -> Joined:
    kecamatan = _code_of(tables.KECAMATAN, "kc")
    joined = table.outerjoin(kecamatan, kecamatan.c.id == table.c.kecamatan_id)
    return Joined(joined, {"kecamatan_code": kecamatan.c.code}, table.c.geom)


def lamp_derived(table: Table) -> Joined:
    road, kelurahan, kecamatan = (
        _code_of(tables.ROAD, "r"),
        _code_of(tables.KELURAHAN, "kl"),
        _code_of(tables.KECAMATAN, "kc"),
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


def lamp_area(area: Table | str, via_kecamatan: bool) -> Filter:
    """Lamps carry their kelurahan (set by a trigger), so area filters need no geometry test."""

    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        if via_kecamatan:
            ids = (
                select(tables.KELURAHAN.c.id)
                .join(tables.KECAMATAN, tables.KECAMATAN.c.id == tables.KELURAHAN.c.kecamatan_id)
                .where(key_clause(tables.KECAMATAN, values))
            )
        else:
            ids = select(tables.KELURAHAN.c.id).where(key_clause(tables.KELURAHAN, values))
        return table.c.kelurahan_id.in_(ids)

    return clause


def cemetery_code(column: str):
    def derived(table: Table) -> Joined:
        cemetery = _code_of(tables.CEMETERY, "c")
        joined = table.outerjoin(cemetery, cemetery.c.id == table.c[column])
        return Joined(joined, {"cemetery_code": cemetery.c.code}, table.c.geom)

    return derived


def access_road_derived(table: Table) -> Joined:
    cemetery, road = _code_of(tables.CEMETERY, "c"), _code_of(tables.ROAD, "r")
    joined = table.outerjoin(cemetery, cemetery.c.id == table.c.cemetery_id).outerjoin(
        road, road.c.id == table.c.road_id
    )
    return Joined(
        joined, {"cemetery_code": cemetery.c.code, "road_code": road.c.code}, table.c.geom
    )


def plot_derived(table: Table) -> Joined:
    block, cemetery = _code_of(tables.CEMETERY_BLOCK, "b"), _code_of(tables.CEMETERY, "c")
    joined = table.join(block, block.c.id == table.c.block_id).join(
        cemetery, cemetery.c.id == block.c.cemetery_id
    )
    return Joined(
        joined, {"block_code": block.c.code, "cemetery_code": cemetery.c.code}, table.c.geom
    )


def interment_derived(table: Table) -> Joined:
    plot, block, cemetery = (
        _code_of(tables.PLOT, "p"),
        _code_of(tables.CEMETERY_BLOCK, "b"),
        _code_of(tables.CEMETERY, "c"),
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
    blocks = select(tables.CEMETERY_BLOCK.c.id).join(
        tables.CEMETERY, tables.CEMETERY.c.id == tables.CEMETERY_BLOCK.c.cemetery_id
    )
    return table.c.block_id.in_(blocks.where(key_clause(tables.CEMETERY, values)))


def interment_in(target: Table | str, join_on: str | None) -> Filter:
    def clause(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
        plots = select(tables.PLOT.c.id)
        if join_on == "block":
            plots = plots.join(
                tables.CEMETERY_BLOCK, tables.CEMETERY_BLOCK.c.id == tables.PLOT.c.block_id
            ).where(key_clause(tables.CEMETERY_BLOCK, values))
        elif join_on == "cemetery":
            plots = (
                plots.join(
                    tables.CEMETERY_BLOCK, tables.CEMETERY_BLOCK.c.id == tables.PLOT.c.block_id
                )
                .join(tables.CEMETERY, tables.CEMETERY.c.id == tables.CEMETERY_BLOCK.c.cemetery_id)
                .where(key_clause(tables.CEMETERY, values))
            )
        else:
            plots = plots.where(key_clause(tables.PLOT, values))
        return table.c.plot_id.in_(plots)

    return clause


def plot_status(table: Table, values: Sequence[str]) -> ColumnElement[bool]:
    plots = select(tables.PLOT.c.id).where(and_(equals("status", PLOT_STATUS)(tables.PLOT, values)))
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
