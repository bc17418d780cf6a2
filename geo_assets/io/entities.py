"""What each importable entity looks like in a file: its columns, their rules, its geometry.

One `EntitySpec` per entity drives reading, validation and the COPY column list, so the rules
live in one place. Text lengths come from the models, vocabularies from `geo_assets.vocab`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import FromClause

from geo_assets.models import AccessRoad, Cemetery, CemeteryBlock, Lamp, Plot, PrayerRoom, Road
from geo_assets.models.lighting import LAMP_CODE_PATTERN
from geo_assets.vocab import (
    CEMETERY_KIND,
    LAMP_STATUS,
    LAMP_TYPE,
    MOUNTING,
    OWNERSHIP,
    PLOT_STATUS,
    POWER_BILLING,
    PRAYER_ROOM_STATUS,
    ROAD_CLASS,
    ROAD_CONDITION,
    ROAD_SURFACE,
    Vocabulary,
)

FieldKind = Literal["text", "integer", "number", "date", "vocabulary"]
GeometryType = Literal["Point", "LineString", "Polygon"]


@dataclass(frozen=True)
class Field:
    """A column of the file and the rule its values follow."""

    name: str
    kind: FieldKind
    required: bool = False
    default: object | None = None
    vocabulary: Vocabulary | None = None
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    unit: str = ""
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    # False: read and checked, but stored in another form (gate_lon/gate_lat → gate_geom).
    stored: bool = True
    # What is allowed, when the generic description says too little.
    hint: str = ""


@dataclass(frozen=True)
class Reference:
    """A column holding another entity's code, stored as that row's id."""

    column: str
    table: str
    target: str
    noun: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySpec:
    """An importable entity: table, geometry type, columns, references and code format."""

    name: str
    table: str
    noun: str
    geometry_type: GeometryType
    fields: tuple[Field, ...]
    references: tuple[Reference, ...] = ()
    code_pattern: str | None = None
    code_example: str = ""
    extra_columns: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(f for f in self.fields if f.name == name)

    @property
    def copy_columns(self) -> tuple[str, ...]:
        """Table columns written by COPY, in order (geometry last)."""
        return (
            *(f.name for f in self.fields if f.stored),
            *(r.target for r in self.references),
            *self.extra_columns,
            "geom",
        )


def _text(table: FromClause, name: str, *, required: bool = False, **extra: Any) -> Field:
    """A text field whose maximum length is the column's."""
    length = getattr(table.c[name].type, "length", None)
    return Field(name, "text", required=required, max_length=length, **extra)


def _vocab(
    name: str,
    vocabulary: Vocabulary,
    *,
    required: bool = True,
    default: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Field:
    return Field(
        name,
        "vocabulary",
        required=required and default is None,
        default=default,
        vocabulary=vocabulary,
        aliases=aliases,
    )


_CODE_ALIASES = ("kode",)
_ROAD_ALIASES = ("road", "kode_jalan")
_CEMETERY_ALIASES = ("cemetery", "tpu", "kode_tpu")
_NAME_ALIASES = ("nama",)

LAMPS = EntitySpec(
    name="lamps",
    table="lamp",
    noun="lamp",
    geometry_type="Point",
    fields=(
        _text(
            Lamp.__table__,
            "code",
            required=True,
            aliases=("kode", "lamp_code", "kode_pju"),
            hint="PJU-<kecamatan code>-<nnnnn>, e.g. PJU-63.72.04-00012 (or no 'code' column "
            "at all, to have codes made)",
        ),
        _vocab("lamp_type", LAMP_TYPE, aliases=("type", "jenis_lampu", "jenis")),
        Field(
            "wattage",
            "integer",
            required=True,
            minimum=0,
            minimum_exclusive=True,
            maximum=2000,
            unit="W",
            aliases=("watt", "daya", "power_w"),
        ),
        Field(
            "pole_height_m",
            "number",
            required=True,
            minimum=0,
            minimum_exclusive=True,
            maximum=40,
            unit="m",
            aliases=("pole_height", "height_m", "tinggi_tiang"),
        ),
        _vocab("mounting", MOUNTING, default="pole"),
        _vocab("ownership", OWNERSHIP, default="pemkot", aliases=("owner", "pemilik")),
        _vocab("power_billing", POWER_BILLING, default="metered", aliases=("billing",)),
        Field("installed_on", "date", aliases=("installed", "tanggal_pasang")),
        _vocab("status", LAMP_STATUS, default="working", aliases=("kondisi",)),
        _text(Lamp.__table__, "office_id", aliases=("id_pju",)),
    ),
    references=(Reference("road_code", "road", "road_id", "road", aliases=_ROAD_ALIASES),),
    code_pattern=LAMP_CODE_PATTERN,
    code_example="PJU-63.72.04-00012",
    extra_columns=("id", "status_changed_at"),
)

ROADS = EntitySpec(
    name="roads",
    table="road",
    noun="road",
    geometry_type="LineString",
    fields=(
        _text(Road.__table__, "code", required=True, aliases=_CODE_ALIASES),
        _text(Road.__table__, "name", required=True, aliases=_NAME_ALIASES),
        _vocab("road_class", ROAD_CLASS, aliases=("class", "kelas", "fungsi")),
        _vocab("surface", ROAD_SURFACE, aliases=("permukaan", "perkerasan")),
        Field(
            "width_m",
            "number",
            minimum=0,
            minimum_exclusive=True,
            maximum=100,
            unit="m",
            aliases=("width", "lebar"),
        ),
    ),
)

CEMETERIES = EntitySpec(
    name="cemeteries",
    table="cemetery",
    noun="cemetery",
    geometry_type="Polygon",
    fields=(
        _text(Cemetery.__table__, "code", required=True, aliases=_CODE_ALIASES),
        _text(Cemetery.__table__, "name", required=True, aliases=_NAME_ALIASES),
        _vocab("kind", CEMETERY_KIND, aliases=("jenis",)),
        _text(Cemetery.__table__, "manager", aliases=("pengelola",)),
        _text(Cemetery.__table__, "address", aliases=("alamat",)),
        Field(
            "capacity", "integer", required=True, minimum=0, unit="plots", aliases=("kapasitas",)
        ),
        Field("gate_lon", "number", minimum=-180, maximum=180, stored=False),
        Field("gate_lat", "number", minimum=-90, maximum=90, stored=False),
    ),
    extra_columns=("gate_geom",),
)

BLOCKS = EntitySpec(
    name="blocks",
    table="cemetery_block",
    noun="cemetery block",
    geometry_type="Polygon",
    fields=(
        _text(CemeteryBlock.__table__, "code", required=True, aliases=_CODE_ALIASES),
        _text(CemeteryBlock.__table__, "name", required=True, aliases=("blok",)),
    ),
    references=(
        Reference("cemetery_code", "cemetery", "cemetery_id", "cemetery", True, _CEMETERY_ALIASES),
    ),
)

PLOTS = EntitySpec(
    name="plots",
    table="plot",
    noun="plot",
    geometry_type="Polygon",
    fields=(
        _text(Plot.__table__, "code", required=True, aliases=_CODE_ALIASES),
        Field("row_number", "integer", required=True, minimum=1, aliases=("row", "baris")),
        Field(
            "plot_number", "integer", required=True, minimum=1, aliases=("number", "no", "nomor")
        ),
        _vocab("status", PLOT_STATUS, default="available"),
    ),
    references=(
        Reference(
            "block_code",
            "cemetery_block",
            "block_id",
            "cemetery block",
            True,
            ("block", "blok", "kode_blok"),
        ),
    ),
)

ACCESS_ROADS = EntitySpec(
    name="access-roads",
    table="access_road",
    noun="access road",
    geometry_type="LineString",
    fields=(
        _text(AccessRoad.__table__, "code", required=True, aliases=_CODE_ALIASES),
        _text(AccessRoad.__table__, "name", required=True, aliases=_NAME_ALIASES),
        _vocab("condition", ROAD_CONDITION, aliases=("kondisi",)),
        _vocab("surface", ROAD_SURFACE, aliases=("permukaan", "perkerasan")),
        Field(
            "width_m",
            "number",
            minimum=0,
            minimum_exclusive=True,
            maximum=100,
            unit="m",
            aliases=("width", "lebar"),
        ),
        _text(AccessRoad.__table__, "planned_improvement", aliases=("improvement",)),
        Field(
            "improvement_cost_idr", "integer", minimum=0, unit="IDR", aliases=("cost_idr", "biaya")
        ),
    ),
    references=(
        Reference(
            "cemetery_code", "cemetery", "cemetery_id", "cemetery", aliases=_CEMETERY_ALIASES
        ),
        Reference("road_code", "road", "road_id", "road", aliases=_ROAD_ALIASES),
    ),
)

PRAYER_ROOMS = EntitySpec(
    name="prayer-rooms",
    table="prayer_room",
    noun="prayer room",
    geometry_type="Point",
    fields=(
        _text(PrayerRoom.__table__, "code", required=True, aliases=_CODE_ALIASES),
        _text(PrayerRoom.__table__, "name", required=True, aliases=_NAME_ALIASES),
        _vocab("status", PRAYER_ROOM_STATUS),
        Field("capacity", "integer", minimum=1, unit="people", aliases=("kapasitas",)),
        Field(
            "estimated_cost_idr", "integer", minimum=0, unit="IDR", aliases=("cost_idr", "biaya")
        ),
        Field("planned_year", "integer", minimum=1900, maximum=2100, aliases=("year", "tahun")),
    ),
    references=(
        Reference(
            "cemetery_code", "cemetery", "cemetery_id", "cemetery", aliases=_CEMETERY_ALIASES
        ),
    ),
)

ENTITY_SPECS: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (LAMPS, ROADS, CEMETERIES, BLOCKS, PLOTS, ACCESS_ROADS, PRAYER_ROOMS)
}
