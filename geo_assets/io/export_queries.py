"""One SELECT per exportable entity: its properties, its geometry, and its filters.

Every entity is exported with `id`, its `code` (where it has one), its `status`/`condition` with
the Indonesian label, and the names of the kelurahan and kecamatan it lies in: for lamps through
`kelurahan_id`; for everything else by a spatial join on a representative point (a line's
midpoint, a point on a polygon's surface), done in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    FromClause,
    Numeric,
    Select,
    case,
    func,
    literal,
    or_,
    select,
    true,
)

from geo_assets.errors import InvalidInput
from geo_assets.io.vocabulary import vocabulary_key, vocabulary_lookup
from geo_assets.models import (
    AccessRoad,
    Cemetery,
    CemeteryBlock,
    Kecamatan,
    Kelurahan,
    Lamp,
    Plot,
    PrayerRoom,
    Road,
)
from geo_assets.models.base import SRID
from geo_assets.vocab import (
    LAMP_STATUS,
    PLOT_STATUS,
    PRAYER_ROOM_STATUS,
    ROAD_CONDITION,
    Vocabulary,
    codes,
    label,
)

# A SQL column expression: a mapped attribute (`Lamp.code`) or a Sql. SQLAlchemy's own
# types for "either" are private, hence Any.
Sql = Any


@dataclass(frozen=True)
class ExportFilters:
    """Which features to export: by status/condition, kecamatan (code or name), bounding box."""

    status: str | None = None
    kecamatan: str | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class EntityQuery:
    """The parts of an entity's export query."""

    columns: list[Sql]
    geometry: Sql
    geometry_type: str
    source: FromClause
    kecamatan_id: Sql
    status: Sql | None = None
    vocabulary: Vocabulary | None = None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`x0,y0,x1,y1` in lon/lat degrees; InvalidInput names the part that is wrong."""
    names = ("x0 (west lon)", "y0 (south lat)", "x1 (east lon)", "y1 (north lat)")
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 4:
        raise InvalidInput(
            f"--bbox needs 4 numbers x0,y0,x1,y1 (lon/lat), got {len(parts)}: "
            f"'{text}'. Example: 114.80,-3.47,114.86,-3.42"
        )
    values = []
    for name, part in zip(names, parts, strict=True):
        try:
            values.append(float(part))
        except ValueError:
            raise InvalidInput(f"--bbox part {name} '{part}' is not a number.") from None
    x0, y0, x1, y1 = values
    for name, value, limit in zip(names, values, (180, 90, 180, 90), strict=True):
        if abs(value) > limit:
            raise InvalidInput(
                f"--bbox part {name} {value:g} is outside -{limit}..{limit}; "
                "give lon/lat degrees (lon first)."
            )
    if x0 >= x1:
        raise InvalidInput(f"--bbox x0 {x0:g} must be west of (less than) x1 {x1:g}.")
    if y0 >= y1:
        raise InvalidInput(f"--bbox y0 {y0:g} must be south of (less than) y1 {y1:g}.")
    return x0, y0, x1, y1


def status_label(column: Sql, vocabulary: Vocabulary, lang: str) -> Sql:
    """The label of a vocabulary code in `lang`, computed in SQL."""
    return case({code: literal(label(vocabulary, code, lang)) for code in vocabulary}, value=column)


def representative_point(geometry: Sql, geometry_type: str) -> Sql:
    """A point that stands for the feature: a line's midpoint, a point on a polygon's surface."""
    if geometry_type == "LineString":
        return func.ST_LineInterpolatePoint(geometry, 0.5)
    return func.ST_PointOnSurface(geometry)


def _area_of(geometry: Sql, geometry_type: str) -> Any:
    """Kelurahan and kecamatan covering a representative point of `geometry` (at most one)."""
    return (
        select(
            Kelurahan.name.label("kelurahan"),
            Kecamatan.name.label("kecamatan"),
            Kecamatan.id.label("kecamatan_id"),
        )
        .join(Kecamatan, Kecamatan.id == Kelurahan.kecamatan_id)
        .where(func.ST_Covers(Kelurahan.geom, representative_point(geometry, geometry_type)))
        .order_by(Kelurahan.id)
        .limit(1)
        .lateral("area")
    )


def _metres(expression: Sql) -> Sql:
    return func.round(expression.cast(Numeric), 1).cast(Float)


def _lamps(lang: str) -> EntityQuery:
    source = (
        Lamp.__table__.outerjoin(Kelurahan, Kelurahan.id == Lamp.kelurahan_id)
        .outerjoin(Kecamatan, Kecamatan.id == Kelurahan.kecamatan_id)
        .outerjoin(Road, Road.id == Lamp.road_id)
    )
    columns = [
        Lamp.id,
        Lamp.code,
        Lamp.status,
        status_label(Lamp.status, LAMP_STATUS, lang).label("status_label"),
        Lamp.status_changed_at,
        Lamp.lamp_type,
        Lamp.wattage,
        Lamp.pole_height_m,
        Lamp.mounting,
        Lamp.ownership,
        Lamp.power_billing,
        Lamp.installed_on,
        Road.code.label("road_code"),
        Road.name.label("road_name"),
        Kelurahan.name.label("kelurahan"),
        Kecamatan.name.label("kecamatan"),
    ]
    return EntityQuery(columns, Lamp.geom, "Point", source, Kecamatan.id, Lamp.status, LAMP_STATUS)


def _roads(lang: str) -> EntityQuery:  # noqa: ARG001
    area = _area_of(Road.geom, "LineString")
    columns = [
        Road.id,
        Road.code,
        Road.name,
        Road.road_class,
        Road.surface,
        Road.width_m,
        _metres(func.ST_Length(func.Geography(Road.geom))).label("length_m"),
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(
        columns,
        Road.geom,
        "LineString",
        Road.__table__.outerjoin(area, true()),
        area.c.kecamatan_id,
    )


def _cemeteries(lang: str) -> EntityQuery:  # noqa: ARG001
    area = _area_of(Cemetery.geom, "Polygon")
    columns = [
        Cemetery.id,
        Cemetery.code,
        Cemetery.name,
        Cemetery.kind,
        Cemetery.manager,
        Cemetery.address,
        Cemetery.capacity,
        func.round(func.ST_X(Cemetery.gate_geom).cast(Numeric), 7).cast(Float).label("gate_lon"),
        func.round(func.ST_Y(Cemetery.gate_geom).cast(Numeric), 7).cast(Float).label("gate_lat"),
        _metres(func.ST_Area(func.Geography(Cemetery.geom))).label("area_m2"),
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(
        columns,
        Cemetery.geom,
        "Polygon",
        Cemetery.__table__.outerjoin(area, true()),
        area.c.kecamatan_id,
    )


def _blocks(lang: str) -> EntityQuery:  # noqa: ARG001
    area = _area_of(CemeteryBlock.geom, "Polygon")
    source = CemeteryBlock.__table__.join(
        Cemetery, Cemetery.id == CemeteryBlock.cemetery_id
    ).outerjoin(area, true())
    columns = [
        CemeteryBlock.id,
        CemeteryBlock.code,
        CemeteryBlock.name,
        Cemetery.code.label("cemetery_code"),
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(columns, CemeteryBlock.geom, "Polygon", source, area.c.kecamatan_id)


def _plots(lang: str) -> EntityQuery:
    area = _area_of(Plot.geom, "Polygon")
    source = Plot.__table__.join(CemeteryBlock, CemeteryBlock.id == Plot.block_id).outerjoin(
        area, true()
    )
    columns = [
        Plot.id,
        Plot.code,
        CemeteryBlock.code.label("block_code"),
        Plot.row_number,
        Plot.plot_number,
        Plot.status,
        status_label(Plot.status, PLOT_STATUS, lang).label("status_label"),
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(
        columns, Plot.geom, "Polygon", source, area.c.kecamatan_id, Plot.status, PLOT_STATUS
    )


def _access_roads(lang: str) -> EntityQuery:
    area = _area_of(AccessRoad.geom, "LineString")
    source = (
        AccessRoad.__table__.outerjoin(Cemetery, Cemetery.id == AccessRoad.cemetery_id)
        .outerjoin(Road, Road.id == AccessRoad.road_id)
        .outerjoin(area, true())
    )
    columns = [
        AccessRoad.id,
        AccessRoad.code,
        AccessRoad.name,
        Cemetery.code.label("cemetery_code"),
        Road.code.label("road_code"),
        AccessRoad.condition,
        status_label(AccessRoad.condition, ROAD_CONDITION, lang).label("condition_label"),
        AccessRoad.surface,
        AccessRoad.width_m,
        AccessRoad.planned_improvement,
        AccessRoad.improvement_cost_idr,
        _metres(func.ST_Length(func.Geography(AccessRoad.geom))).label("length_m"),
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(
        columns,
        AccessRoad.geom,
        "LineString",
        source,
        area.c.kecamatan_id,
        AccessRoad.condition,
        ROAD_CONDITION,
    )


def _prayer_rooms(lang: str) -> EntityQuery:
    area = _area_of(PrayerRoom.geom, "Point")
    source = PrayerRoom.__table__.outerjoin(
        Cemetery, Cemetery.id == PrayerRoom.cemetery_id
    ).outerjoin(area, true())
    columns = [
        PrayerRoom.id,
        PrayerRoom.code,
        PrayerRoom.name,
        Cemetery.code.label("cemetery_code"),
        PrayerRoom.status,
        status_label(PrayerRoom.status, PRAYER_ROOM_STATUS, lang).label("status_label"),
        PrayerRoom.capacity,
        PrayerRoom.estimated_cost_idr,
        PrayerRoom.planned_year,
        area.c.kelurahan,
        area.c.kecamatan,
    ]
    return EntityQuery(
        columns,
        PrayerRoom.geom,
        "Point",
        source,
        area.c.kecamatan_id,
        PrayerRoom.status,
        PRAYER_ROOM_STATUS,
    )


def _kecamatan(lang: str) -> EntityQuery:  # noqa: ARG001
    columns = [
        Kecamatan.id,
        Kecamatan.code,
        Kecamatan.name,
        Kecamatan.official_area_km2,
        _metres(func.ST_Area(func.Geography(Kecamatan.geom)) / 1e6).label("area_km2"),
    ]
    return EntityQuery(columns, Kecamatan.geom, "MultiPolygon", Kecamatan.__table__, Kecamatan.id)


def _kelurahan(lang: str) -> EntityQuery:  # noqa: ARG001
    source = Kelurahan.__table__.join(Kecamatan, Kecamatan.id == Kelurahan.kecamatan_id)
    columns = [
        Kelurahan.id,
        Kelurahan.code,
        Kelurahan.name,
        Kecamatan.code.label("kecamatan_code"),
        Kecamatan.name.label("kecamatan"),
    ]
    return EntityQuery(columns, Kelurahan.geom, "MultiPolygon", source, Kecamatan.id)


ENTITY_QUERIES: dict[str, Callable[[str], EntityQuery]] = {
    "lamps": _lamps,
    "roads": _roads,
    "cemeteries": _cemeteries,
    "blocks": _blocks,
    "plots": _plots,
    "access-roads": _access_roads,
    "prayer-rooms": _prayer_rooms,
    "kecamatan": _kecamatan,
    "kelurahan": _kelurahan,
}


def entity_query(entity: str, lang: str = "id") -> EntityQuery:
    """The export query parts of `entity`, or InvalidInput naming the allowed entities."""
    if entity not in ENTITY_QUERIES:
        raise InvalidInput(f"Cannot export '{entity}'. Allowed: {', '.join(ENTITY_QUERIES)}.")
    return ENTITY_QUERIES[entity](lang)


def filtered_select(
    query: EntityQuery, entity: str, filters: ExportFilters, kecamatan_id: int | None
) -> Select:
    """SELECT the entity's columns and `geom`, filtered (callers order by `id`)."""
    statement = select(*query.columns, query.geometry.label("geom")).select_from(query.source)
    if filters.status is not None:
        status: Sql = query.status
        statement = statement.where(status == _status_code(query, entity, filters.status))
    if kecamatan_id is not None:
        statement = statement.where(query.kecamatan_id == kecamatan_id)
    if filters.bbox is not None:
        envelope = func.ST_MakeEnvelope(*filters.bbox, SRID)
        statement = statement.where(func.ST_Intersects(query.geometry, envelope))
    return statement


def _status_code(query: EntityQuery, entity: str, given: str) -> str:
    if query.status is None or query.vocabulary is None:
        raise InvalidInput(
            f"{entity} have no status or condition to filter on; leave out --status."
        )
    code = vocabulary_lookup(query.vocabulary).get(vocabulary_key(given))
    if code is None:
        raise InvalidInput(
            f"Unknown {query.status.key} '{given}' for {entity}. Allowed: "
            f"{', '.join(codes(query.vocabulary))}."
        )
    return code


def kecamatan_condition(given: str) -> Sql:
    """Matches a kecamatan by code or name, case-insensitively."""
    wanted = given.strip().lower()
    return or_(func.lower(Kecamatan.code) == wanted, func.lower(Kecamatan.name) == wanted)
