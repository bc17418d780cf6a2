"""Public cemeteries (TPU): cemeteries, their blocks and plots, access roads and prayer rooms."""

from __future__ import annotations

from dataclasses import replace

from geo_assets.entities.base import (
    Column,
    Entity,
    Label,
    ListFilter,
    Reference,
    osm_id_column,
    vocabulary,
)
from geo_assets.entities.filters import IN_AREA, number_filter, one_of, points_at
from geo_assets.entities.lighting import (
    CODE,
    NAME,
    ROAD_LABEL,
    SURFACE,
    WIDTH,
    road_reference,
)
from geo_assets.inventory.joins import (
    access_road_derived,
    cemetery_code,
    interment_derived,
    interment_in,
    interment_voided,
    plot_derived,
    plot_in_cemetery,
    plot_status,
)
from geo_assets.vocab import (
    CEMETERY_KIND,
    PLOT_STATUS,
    PRAYER_ROOM_STATUS,
    ROAD_CONDITION,
    ROAD_SURFACE,
)

CEMETERY_ALIASES = ("cemetery", "tpu", "kode_tpu")
STATUS_LABEL = Label("Status", "Status")
CAPACITY_LABEL = Label("Kapasitas", "Capacity")
IN_CEMETERY = points_at("cemetery", "cemetery_id", "cemetery", "Cemetery id, code or name.")


def cemetery_of(*, required: bool = False) -> Column:
    """The `cemetery_id` column: in files, the cemetery's code."""
    return Column(
        "cemetery_id",
        "id",
        required=required,
        reference=Reference(
            "cemetery",
            "cemetery_code",
            "cemetery",
            CEMETERY_ALIASES,
            code_label=Label("Kode TPU", "Cemetery code"),
        ),
        label=Label("TPU", "Cemetery"),
    )


CEMETERIES = Entity(
    name="cemeteries",
    noun="cemetery",
    label=Label("TPU (tempat pemakaman umum)", "Public cemeteries (TPU)"),
    short_label=Label("TPU", "Cemeteries"),
    table="cemetery",
    geometry_type="Polygon",
    columns=(
        replace(CODE, example="TPU-01", on_tile=True),
        replace(NAME, example="TPU Guntung Manggis", on_tile=True),
        vocabulary(
            "kind",
            CEMETERY_KIND,
            aliases=("jenis",),
            label=Label("Jenis", "Kind"),
            on_tile=True,
            example="muslim",
        ),
        Column("manager", "text", aliases=("pengelola",), label=Label("Pengelola", "Manager")),
        Column("address", "text", aliases=("alamat",), label=Label("Alamat", "Address")),
        Column(
            "capacity",
            "integer",
            required=True,
            minimum=0,
            unit="plots",
            aliases=("kapasitas",),
            label=CAPACITY_LABEL,
            example=2400,
            description="Plots in all.",
        ),
        # Files and exports carry the gate as gate_lon/gate_lat; the API as a GeoJSON Point.
        Column(
            "gate_geom",
            "point",
            public=False,
            label=Label("Gerbang", "Gate"),
            description="The gate, a GeoJSON Point.",
        ),
        osm_id_column("w789"),
    ),
    filters=(*IN_AREA, one_of("kind", CEMETERY_KIND, "Kind")),
    measure="area_m2",
)

BLOCKS = Entity(
    name="blocks",
    ogc_name="cemetery-blocks",
    noun="cemetery block",
    label=Label("Blok makam", "Cemetery blocks"),
    table="cemetery_block",
    geometry_type="Polygon",
    columns=(
        replace(CODE, example="TPU-01-A", on_tile=True),
        replace(NAME, aliases=("blok",), example="Blok A", on_tile=True),
        cemetery_of(required=True),
    ),
    filters=(IN_CEMETERY,),
    derived=cemetery_code("cemetery_id"),
)

PLOTS = Entity(
    name="plots",
    noun="plot",
    label=Label("Petak makam", "Grave plots"),
    table="plot",
    geometry_type="Polygon",
    columns=(
        replace(CODE, example="TPU-01-A-1-1", on_tile=True),
        Column(
            "block_id",
            "id",
            required=True,
            example=1,
            reference=Reference(
                "cemetery_block",
                "block_code",
                "cemetery block",
                ("block", "blok", "kode_blok"),
                code_label=Label("Kode blok", "Block code"),
            ),
            label=Label("Blok makam", "Cemetery block"),
        ),
        Column(
            "row_number",
            "integer",
            required=True,
            minimum=1,
            aliases=("row", "baris"),
            label=Label("Baris", "Row"),
            example=1,
        ),
        Column(
            "plot_number",
            "integer",
            required=True,
            minimum=1,
            aliases=("number", "no", "nomor"),
            label=Label("Nomor petak", "Plot number"),
            example=1,
        ),
        vocabulary("status", PLOT_STATUS, default="available", label=STATUS_LABEL, on_tile=True),
    ),
    filters=(
        *IN_AREA,
        one_of("status", PLOT_STATUS, "Status (repeatable)"),
        ListFilter("cemetery", plot_in_cemetery, IN_CEMETERY.description),
        points_at("block", "block_id", "cemetery_block", "Block id or code."),
    ),
    status_column="status",
    derived=plot_derived,
)

INTERMENTS = Entity(
    name="interments",
    noun="interment",
    label=Label("Pemakaman", "Interments"),
    table="interment",
    geometry_type=None,  # shown at its plot
    columns=(
        Column("plot_id", "id", required=True, example=1),
        Column(
            "deceased_name",
            "text",
            required=True,
            public=False,
            personal=True,
            example="Ahmad Fauzi",
        ),
        Column("born_on", "date", public=False, personal=True),
        Column("died_on", "date", public=False, personal=True),
        Column("buried_on", "date", required=True, temporal=True, example="2024-02-11"),
        Column("heir_name", "text", public=False, personal=True),
        Column("heir_phone", "text", public=False, personal=True),
        Column("heir_address", "text", public=False, personal=True),
        Column("notes", "text", public=False, personal=True, max_length=2000),
        Column("voided_at", "datetime", writable=False),
        Column("void_reason", "text", public=False, personal=True, writable=False),
    ),
    filters=(
        ListFilter("cemetery", interment_in("cemetery", "cemetery"), IN_CEMETERY.description),
        ListFilter("block", interment_in("cemetery_block", "block"), "Block id or code."),
        ListFilter("plot", interment_in("plot", None), "Plot id or code."),
        ListFilter("status", plot_status, one_of("status", PLOT_STATUS, "Plot status").description),
        ListFilter(
            "voided",
            interment_voided,
            "true: voided records only; false: live ones only.",
            many=False,
            value_type=bool,
        ),
    ),
    derived=interment_derived,
)

ACCESS_ROADS = Entity(
    name="access-roads",
    noun="access road",
    label=Label("Jalan akses TPU", "Cemetery access roads"),
    short_label=Label("Jalan akses TPU", "Access roads"),
    table="access_road",
    geometry_type="LineString",
    columns=(
        replace(CODE, example="AKS-01", on_tile=True),
        replace(NAME, example="Jalan masuk TPU Guntung Manggis", on_tile=True),
        cemetery_of(),
        Column("road_id", "id", reference=road_reference(), label=ROAD_LABEL),
        vocabulary(
            "condition",
            ROAD_CONDITION,
            aliases=("kondisi",),
            label=Label("Kondisi", "Condition"),
            on_tile=True,
            example="poor",
        ),
        replace(SURFACE, example="tanah"),
        WIDTH,
        Column(
            "planned_improvement",
            "text",
            aliases=("improvement",),
            max_length=2000,
            label=Label("Rencana perbaikan", "Planned improvement"),
        ),
        Column(
            "improvement_cost_idr",
            "integer",
            minimum=0,
            unit="IDR",
            aliases=("cost_idr", "biaya"),
            label=Label("Biaya perbaikan (Rp)", "Improvement cost (IDR)"),
        ),
    ),
    filters=(
        *IN_AREA,
        one_of("condition", ROAD_CONDITION, "Condition"),
        one_of("surface", ROAD_SURFACE, "Surface"),
        IN_CEMETERY,
        points_at("road", "road_id", "road", "Road id, code or name.", many=False),
    ),
    measure="length_m",
    status_column="condition",
    derived=access_road_derived,
)

PRAYER_ROOMS = Entity(
    name="prayer-rooms",
    noun="prayer room",
    label=Label("Musala", "Prayer rooms"),
    table="prayer_room",
    geometry_type="Point",
    columns=(
        replace(CODE, example="MSL-01", on_tile=True),
        replace(NAME, example="Musala TPU Guntung Manggis", on_tile=True),
        cemetery_of(),
        vocabulary(
            "status", PRAYER_ROOM_STATUS, label=STATUS_LABEL, example="planned", on_tile=True
        ),
        Column(
            "capacity",
            "integer",
            minimum=0,
            minimum_exclusive=True,
            unit="people",
            aliases=("kapasitas",),
            label=CAPACITY_LABEL,
        ),
        Column(
            "estimated_cost_idr",
            "integer",
            minimum=0,
            unit="IDR",
            aliases=("cost_idr", "biaya"),
            label=Label("Perkiraan biaya (Rp)", "Estimated cost (IDR)"),
        ),
        Column(
            "planned_year",
            "integer",
            minimum=1900,
            maximum=2100,
            aliases=("year", "tahun"),
            label=Label("Tahun rencana", "Planned year"),
        ),
        osm_id_column("n1011"),
    ),
    filters=(
        *IN_AREA,
        one_of("status", PRAYER_ROOM_STATUS, "Status (repeatable)"),
        IN_CEMETERY,
        number_filter("planned_year", "Planned year.", int),
    ),
    status_column="status",
    derived=cemetery_code("cemetery_id"),
)
