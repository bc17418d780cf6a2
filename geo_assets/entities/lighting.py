"""Roads and street lights (PJU)."""

from __future__ import annotations

from dataclasses import replace

from geo_assets.entities.base import (
    CODE_LABEL,
    NAME_LABEL,
    Column,
    Entity,
    Label,
    Reference,
    osm_id_column,
    vocabulary,
)
from geo_assets.entities.filters import (
    IN_AREA,
    exact,
    in_areas,
    number_filter,
    one_of,
    points_at,
)
from geo_assets.inventory.joins import lamp_area, lamp_derived
from geo_assets.vocab import (
    LAMP_STATUS,
    LAMP_TYPE,
    MOUNTING,
    OWNERSHIP,
    POWER_BILLING,
    ROAD_CLASS,
    ROAD_SURFACE,
)

# `PJU-<kecamatan>-<nnnnn>`: five digits, more past 99,999 lamps in one kecamatan (a
# province-sized inventory), up to seven. The lamp table's CHECK constraint uses it too.
LAMP_CODE_PATTERN = r"^PJU-[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{5,7}$"
CODE_ALIASES = ("kode",)
NAME_ALIASES = ("nama",)
ROAD_ALIASES = ("road", "kode_jalan")
ROAD_LABEL = Label("Ruas jalan", "Road")
WIDTH = Column(
    "width_m",
    "number",
    minimum=0,
    minimum_exclusive=True,
    maximum=100,
    unit="m",
    aliases=("width", "lebar"),
    label=Label("Lebar (m)", "Width (m)"),
)
SURFACE = vocabulary(
    "surface",
    ROAD_SURFACE,
    aliases=("permukaan", "perkerasan"),
    label=Label("Permukaan", "Surface"),
)
CODE = Column("code", "text", required=True, aliases=CODE_ALIASES, label=CODE_LABEL)
NAME = Column("name", "text", required=True, aliases=NAME_ALIASES, label=NAME_LABEL)


def road_reference(*, name_column: str | None = None) -> Reference:
    """A `road_id`: in files and exports the road's code (and its name under `name_column`)."""
    return Reference(
        "road",
        "road_code",
        "road",
        ROAD_ALIASES,
        name_column=name_column,
        code_label=Label("Kode jalan", "Road code"),
        name_label=Label("Nama jalan", "Road name") if name_column else None,
    )


ROADS = Entity(
    name="roads",
    noun="road",
    label=Label("Jaringan jalan", "Road network"),
    short_label=Label("Jalan", "Roads"),
    table="road",
    geometry_type="LineString",
    columns=(
        replace(CODE, example="JL-0001", on_tile=True),
        replace(NAME, example="Jl. Jenderal A. Yani", on_tile=True),
        vocabulary(
            "road_class",
            ROAD_CLASS,
            aliases=("class", "kelas", "fungsi"),
            label=Label("Kelas jalan", "Road class"),
            on_tile=True,
            example="arteri",
        ),
        replace(SURFACE, example="aspal"),
        replace(WIDTH, example=12.0),
        Column(
            "lit",
            "boolean",
            writable=False,
            imported=False,
            label=Label("Menyala malam (OSM)", "Lit (OSM)"),
            description="Lit at night, as OpenStreetMap says (`lit=yes/no`).",
        ),
        osm_id_column("w123"),
    ),
    filters=(
        *IN_AREA,
        one_of("road_class", ROAD_CLASS, "Class"),
        one_of("surface", ROAD_SURFACE, "Surface"),
        exact("name", "Exact road name."),
    ),
    measure="length_m",
)

LAMPS = Entity(
    name="lamps",
    noun="lamp",
    label=Label("Lampu PJU", "Street lights"),
    table="lamp",
    geometry_type="Point",
    columns=(
        Column(
            "code",
            "text",
            required=True,
            aliases=("kode", "lamp_code", "kode_pju"),
            hint="PJU-<kecamatan code>-<nnnnn>, e.g. PJU-63.72.04-00012 (or no 'code' column "
            "at all, to have codes made)",
            label=CODE_LABEL,
            on_map=True,
            on_tile=True,
            example="PJU-63.72.04-00017",
            description=(
                "`PJU-<kecamatan code>-<nnnnn>` (more digits past 99,999 lamps in a "
                "kecamatan), unique."
            ),
        ),
        vocabulary(
            "status",
            LAMP_STATUS,
            default="working",
            aliases=("kondisi", "kondisi_lampu", "keadaan"),
            label=Label("Status", "Status"),
            on_map=True,
            on_tile=True,
            description="Only when creating (default `working`); afterwards post an event.",
        ),
        Column(
            "status_changed_at",
            "datetime",
            writable=False,
            imported=False,
            temporal=True,
            label=Label("Status berubah (WITA)", "Status changed (WITA)"),
        ),
        vocabulary(
            "lamp_type",
            LAMP_TYPE,
            aliases=("type", "jenis_lampu", "jenis", "tipe_lampu", "tipe"),
            label=Label("Jenis lampu", "Lamp type"),
            on_map=True,
            on_tile=True,
            example="led",
        ),
        Column(
            "wattage",
            "integer",
            required=True,
            minimum=0,
            minimum_exclusive=True,
            maximum=2000,
            unit="W",
            aliases=(
                "watt",
                "daya",
                "power_w",
                "daya_watt",
                "daya_w",
                "daya_lampu",
                "daya_lampu_watt",
            ),
            label=Label("Daya (W)", "Wattage (W)"),
            on_map=True,
            on_tile=True,
            example=60,
        ),
        Column(
            "pole_height_m",
            "number",
            required=True,
            minimum=0,
            minimum_exclusive=True,
            maximum=40,
            unit="m",
            aliases=(
                "pole_height",
                "height_m",
                "tinggi_tiang",
                "tinggi_tiang_m",
                "tinggi_tiang_meter",
                "tinggi_m",
            ),
            label=Label("Tinggi tiang (m)", "Pole height (m)"),
            example=9.0,
        ),
        vocabulary("mounting", MOUNTING, default="pole", label=Label("Pemasangan", "Mounting")),
        vocabulary(
            "ownership",
            OWNERSHIP,
            default="pemkot",
            aliases=("owner", "pemilik", "kepemilikan"),
            label=Label("Kepemilikan", "Ownership"),
        ),
        vocabulary(
            "power_billing",
            POWER_BILLING,
            default="metered",
            aliases=("billing",),
            label=Label("Pembayaran listrik", "Power billing"),
        ),
        Column(
            "installed_on",
            "date",
            aliases=("installed", "tanggal_pasang", "tgl_pasang", "tanggal_pemasangan"),
            label=Label("Tanggal pasang", "Installed on"),
        ),
        Column(
            "office_id",
            "text",
            aliases=(
                "id_pju",
                "id_lampu",
                "kode_lampu",
                "no_id",
                "no_pju",
                "nomor_pju",
                "kode_tiang",
                "no_tiang",
                "nomor_tiang",
            ),
            label=Label("ID PJU kantor", "Office id"),
            example="PJU/BJB-U/0042",
            description="The office's own id (ID PJU of its survey).",
        ),
        osm_id_column("n456"),
        Column(
            "road_id",
            "id",
            reference=road_reference(name_column="road_name"),
            label=ROAD_LABEL,
            on_map=True,
            description="The road it stands on.",
        ),
        # Set by a trigger from the position; exports name the kelurahan by `place` instead.
        Column(
            "kelurahan_id",
            "id",
            reference=Reference(
                "kelurahan", "kelurahan_code", "kelurahan", name_column="kelurahan_name"
            ),
            label=Label("Kelurahan", "Kelurahan"),
            writable=False,
            imported=False,
            exported=False,
            on_map=True,
        ),
    ),
    filters=(
        # Lamps carry their kelurahan (set by a trigger): no geometry test needed.
        *in_areas(lamp_area("kecamatan", True), lamp_area("kelurahan", False)),
        one_of("status", LAMP_STATUS, "Status (repeatable)", examples=(["out", "damaged"],)),
        points_at("road", "road_id", "road", "Road id, code or name.", many=False),
        one_of("lamp_type", LAMP_TYPE, "Lamp type"),
        one_of("mounting", MOUNTING, "Mounting", query_parameter=False),
        one_of("ownership", OWNERSHIP, "Owner"),
        one_of("power_billing", POWER_BILLING, "Billing", query_parameter=False),
        number_filter("wattage", "Wattage in W.", int),
        exact("office_id", "The office's own id (ID PJU of its survey)."),
        number_filter("pole_height_m", "Pole height in m.", query_parameter=False),
    ),
    code_pattern=LAMP_CODE_PATTERN,
    code_example="PJU-63.72.04-00012",
    place="kelurahan_id",
    status_column="status",
    copy_extra=("id", "status_changed_at"),
    derived=lamp_derived,
    in_use_hint=" A lamp with history is kept: post a `decommissioned` event to "
    "/api/v1/lamps/{id}/events instead.",
    immutable={
        "status": "A lamp's status changes only through its events: POST "
        '/api/v1/lamps/{id}/events with {"to_status": ...}.'
    },
)
