"""Every inventory resource: which columns clients read and write, and how lists are filtered."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, select

from geo_assets.inventory.resources import (
    Filter,
    Joined,
    Resource,
    equals,
    key_clause,
    numbers,
    reference,
    spatial_within,
)
from geo_assets.models import (
    AccessRoad,
    Cemetery,
    CemeteryBlock,
    Interment,
    Kecamatan,
    Kelurahan,
    Lamp,
    Plot,
    PrayerRoom,
    Road,
    ServiceRequest,
)
from geo_assets.vocab import (
    CEMETERY_KIND,
    LAMP_STATUS,
    LAMP_TYPE,
    MOUNTING,
    OWNERSHIP,
    PLOT_STATUS,
    POWER_BILLING,
    PRAYER_ROOM_STATUS,
    REQUEST_STATUS,
    ROAD_CLASS,
    ROAD_CONDITION,
    ROAD_SURFACE,
    WORK_STATE,
)

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


def _code_of(table: Table, alias: str) -> Table:
    # Aliases keep the joined copies apart from the tables that filters query in subqueries.
    return table.alias(alias)


def _kelurahan_derived(table: Table) -> Joined:
    kecamatan = _code_of(KECAMATAN_T, "kc")
    joined = table.outerjoin(kecamatan, kecamatan.c.id == table.c.kecamatan_id)
    return Joined(joined, {"kecamatan_code": kecamatan.c.code}, table.c.geom)


def _lamp_derived(table: Table) -> Joined:
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


def _lamp_area(area: Table, via_kecamatan: bool) -> Filter:
    """Lamps carry their kelurahan (set by a trigger), so area filters need no geometry test."""

    def clause(table: Table, values: list[str]) -> ColumnElement[bool]:
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


def _cemetery_code(column: str):
    def derived(table: Table) -> Joined:
        cemetery = _code_of(CEMETERY_T, "c")
        joined = table.outerjoin(cemetery, cemetery.c.id == table.c[column])
        return Joined(joined, {"cemetery_code": cemetery.c.code}, table.c.geom)

    return derived


def _access_road_derived(table: Table) -> Joined:
    cemetery, road = _code_of(CEMETERY_T, "c"), _code_of(ROAD_T, "r")
    joined = table.outerjoin(cemetery, cemetery.c.id == table.c.cemetery_id).outerjoin(
        road, road.c.id == table.c.road_id
    )
    return Joined(
        joined, {"cemetery_code": cemetery.c.code, "road_code": road.c.code}, table.c.geom
    )


def _plot_derived(table: Table) -> Joined:
    block, cemetery = _code_of(BLOCK_T, "b"), _code_of(CEMETERY_T, "c")
    joined = table.join(block, block.c.id == table.c.block_id).join(
        cemetery, cemetery.c.id == block.c.cemetery_id
    )
    return Joined(
        joined, {"block_code": block.c.code, "cemetery_code": cemetery.c.code}, table.c.geom
    )


def _interment_derived(table: Table) -> Joined:
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


def _plot_in_cemetery(table: Table, values: list[str]) -> ColumnElement[bool]:
    blocks = select(BLOCK_T.c.id).join(CEMETERY_T, CEMETERY_T.c.id == BLOCK_T.c.cemetery_id)
    return table.c.block_id.in_(blocks.where(key_clause(CEMETERY_T, values)))


def _interment_in(target: Table, join_on: str | None) -> Filter:
    def clause(table: Table, values: list[str]) -> ColumnElement[bool]:
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


def _plot_status(table: Table, values: list[str]) -> ColumnElement[bool]:
    plots = select(PLOT_T.c.id).where(and_(equals("status", PLOT_STATUS)(PLOT_T, values)))
    return table.c.plot_id.in_(plots)


KECAMATAN = Resource(
    name="kecamatan",
    noun="kecamatan",
    table=KECAMATAN_T,
    geometry_type="MultiPolygon",
    columns=("code", "name", "official_area_km2"),
    writable=("code", "name", "official_area_km2"),
    required=("code", "name"),
    boundary=True,
)
KELURAHAN = Resource(
    name="kelurahan",
    noun="kelurahan",
    table=KELURAHAN_T,
    geometry_type="MultiPolygon",
    columns=("code", "name", "kecamatan_id"),
    writable=("code", "name", "kecamatan_id"),
    required=("code", "name", "kecamatan_id"),
    derived=_kelurahan_derived,
    boundary=True,
    filters={"kecamatan": reference("kecamatan_id", KECAMATAN_T)},
)
ROADS = Resource(
    name="roads",
    noun="road",
    table=ROAD_T,
    geometry_type="LineString",
    columns=("code", "name", "road_class", "surface", "width_m"),
    writable=("code", "name", "road_class", "surface", "width_m"),
    required=("code", "name", "road_class", "surface"),
    filters={
        **AREA_FILTERS,
        "road_class": equals("road_class", ROAD_CLASS),
        "surface": equals("surface", ROAD_SURFACE),
        "name": equals("name"),
    },
)
LAMPS = Resource(
    name="lamps",
    noun="lamp",
    table=LAMP_T,
    geometry_type="Point",
    columns=(
        "code",
        "road_id",
        "kelurahan_id",
        "lamp_type",
        "wattage",
        "pole_height_m",
        "mounting",
        "ownership",
        "power_billing",
        "installed_on",
        "status",
        "status_changed_at",
    ),
    writable=(
        "code",
        "road_id",
        "lamp_type",
        "wattage",
        "pole_height_m",
        "mounting",
        "ownership",
        "power_billing",
        "installed_on",
        "status",
    ),
    required=("code", "lamp_type", "wattage", "pole_height_m"),
    derived=_lamp_derived,
    filters={
        "kecamatan": _lamp_area(KECAMATAN_T, True),
        "kelurahan": _lamp_area(KELURAHAN_T, False),
        "status": equals("status", LAMP_STATUS),
        "road": reference("road_id", ROAD_T),
        "lamp_type": equals("lamp_type", LAMP_TYPE),
        "mounting": equals("mounting", MOUNTING),
        "ownership": equals("ownership", OWNERSHIP),
        "power_billing": equals("power_billing", POWER_BILLING),
        "wattage": numbers("wattage", int),
        "pole_height_m": numbers("pole_height_m"),
    },
    in_use_hint=" A lamp with history is kept: post a `decommissioned` event to "
    "/api/v1/lamps/{id}/events instead.",
    immutable={
        "status": "A lamp's status changes only through its events: POST "
        '/api/v1/lamps/{id}/events with {"to_status": ...}.'
    },
)
CEMETERIES = Resource(
    name="cemeteries",
    noun="cemetery",
    table=CEMETERY_T,
    geometry_type="Polygon",
    columns=("code", "name", "kind", "manager", "address", "capacity"),
    writable=("code", "name", "kind", "manager", "address", "capacity", "gate_geom"),
    required=("code", "name", "kind", "capacity"),
    point_columns=("gate_geom",),
    filters={**AREA_FILTERS, "kind": equals("kind", CEMETERY_KIND)},
)
BLOCKS = Resource(
    name="blocks",
    noun="cemetery block",
    table=BLOCK_T,
    geometry_type="Polygon",
    columns=("code", "cemetery_id", "name"),
    writable=("code", "cemetery_id", "name"),
    required=("code", "cemetery_id", "name"),
    derived=_cemetery_code("cemetery_id"),
    filters={"cemetery": reference("cemetery_id", CEMETERY_T)},
)
PLOTS = Resource(
    name="plots",
    noun="plot",
    table=PLOT_T,
    geometry_type="Polygon",
    columns=("code", "block_id", "row_number", "plot_number", "status"),
    writable=("code", "block_id", "row_number", "plot_number", "status"),
    required=("code", "block_id", "row_number", "plot_number"),
    derived=_plot_derived,
    filters={
        **AREA_FILTERS,
        "status": equals("status", PLOT_STATUS),
        "block": reference("block_id", BLOCK_T),
        "cemetery": _plot_in_cemetery,
    },
)
INTERMENTS = Resource(
    name="interments",
    noun="interment",
    table=INTERMENT_T,
    geometry_type=None,
    columns=("plot_id", "buried_on"),
    writable=(
        "plot_id",
        "deceased_name",
        "born_on",
        "died_on",
        "buried_on",
        "heir_name",
        "heir_phone",
        "heir_address",
        "notes",
    ),
    required=("plot_id", "deceased_name", "buried_on"),
    personal=(
        "deceased_name",
        "born_on",
        "died_on",
        "heir_name",
        "heir_phone",
        "heir_address",
        "notes",
    ),
    derived=_interment_derived,
    filters={
        "plot": _interment_in(PLOT_T, None),
        "block": _interment_in(BLOCK_T, "block"),
        "cemetery": _interment_in(CEMETERY_T, "cemetery"),
        "status": _plot_status,
    },
)
ACCESS_ROADS = Resource(
    name="access-roads",
    noun="access road",
    table=AccessRoad.__table__,  # type: ignore[arg-type]
    geometry_type="LineString",
    columns=(
        "code",
        "name",
        "cemetery_id",
        "road_id",
        "condition",
        "surface",
        "width_m",
        "planned_improvement",
        "improvement_cost_idr",
    ),
    writable=(
        "code",
        "name",
        "cemetery_id",
        "road_id",
        "condition",
        "surface",
        "width_m",
        "planned_improvement",
        "improvement_cost_idr",
    ),
    required=("code", "name", "condition", "surface"),
    derived=_access_road_derived,
    filters={
        **AREA_FILTERS,
        "condition": equals("condition", ROAD_CONDITION),
        "surface": equals("surface", ROAD_SURFACE),
        "cemetery": reference("cemetery_id", CEMETERY_T),
        "road": reference("road_id", ROAD_T),
    },
)
PRAYER_ROOMS = Resource(
    name="prayer-rooms",
    noun="prayer room",
    table=PrayerRoom.__table__,  # type: ignore[arg-type]
    geometry_type="Point",
    columns=(
        "code",
        "name",
        "cemetery_id",
        "status",
        "capacity",
        "estimated_cost_idr",
        "planned_year",
    ),
    writable=(
        "code",
        "name",
        "cemetery_id",
        "status",
        "capacity",
        "estimated_cost_idr",
        "planned_year",
    ),
    required=("code", "name", "status"),
    derived=_cemetery_code("cemetery_id"),
    filters={
        **AREA_FILTERS,
        "status": equals("status", PRAYER_ROOM_STATUS),
        "cemetery": reference("cemetery_id", CEMETERY_T),
        "planned_year": numbers("planned_year", int),
    },
)
SERVICE_REQUESTS = Resource(
    name="service-requests",
    noun="service request",
    table=ServiceRequest.__table__,  # type: ignore[arg-type]
    geometry_type="Point",
    columns=(
        "service_code",
        "description",
        "address_string",
        "media_url",
        "status",
        "status_notes",
        "agency_responsible",
        "requested_at",
        "lamp_id",
        "duplicate_of_id",
        "work_state",
        "assignee_id",
        "due_at",
        "resolution",
        "resolved_at",
        "closed_at",
    ),
    writable=(),
    personal=("first_name", "last_name", "email", "phone", "device_id", "account_id"),
    filters={
        **AREA_FILTERS,
        "status": equals("status", REQUEST_STATUS),
        "work_state": equals("work_state", WORK_STATE),
        "service_code": equals("service_code"),
        "lamp": reference("lamp_id", LAMP_T),
    },
)
