"""The city's own outlines: kecamatan (districts) and kelurahan (sub-districts)."""

from __future__ import annotations

from geo_assets.entities.base import (
    CODE_LABEL,
    NAME_LABEL,
    Column,
    Entity,
    Label,
    ListFilter,
    Reference,
)
from geo_assets.inventory.joins import kelurahan_derived
from geo_assets.inventory.resources import reference

KECAMATAN = Entity(
    name="kecamatan",
    noun="kecamatan",
    label=Label("Batas kecamatan", "Kecamatan (district) boundaries"),
    short_label=Label("Kecamatan", "Kecamatan"),
    table="kecamatan",
    geometry_type="MultiPolygon",
    columns=(
        Column("code", "text", required=True, label=CODE_LABEL, example="63.72.04", on_tile=True),
        Column(
            "name",
            "text",
            required=True,
            label=NAME_LABEL,
            example="Banjarbaru Utara",
            on_tile=True,
        ),
        Column(
            "official_area_km2",
            "number",
            minimum=0,
            minimum_exclusive=True,
            unit="km²",
            label=Label("Luas resmi (km²)", "Official area (km²)"),
            example=24.4,
        ),
    ),
    place="none",
    measure="area_km2",
    boundary=True,
)

KELURAHAN = Entity(
    name="kelurahan",
    noun="kelurahan",
    label=Label("Batas kelurahan", "Kelurahan (sub-district) boundaries"),
    short_label=Label("Kelurahan", "Kelurahan"),
    table="kelurahan",
    geometry_type="MultiPolygon",
    columns=(
        Column(
            "code", "text", required=True, label=CODE_LABEL, example="63.72.04.1002", on_tile=True
        ),
        Column("name", "text", required=True, label=NAME_LABEL, example="Mentaos", on_tile=True),
        Column(
            "kecamatan_id",
            "id",
            required=True,
            example=3,
            reference=Reference(
                "kecamatan",
                "kecamatan_code",
                "kecamatan",
                name_column="kecamatan",
                code_label=Label("Kode kecamatan", "Kecamatan code"),
                name_label=Label("Kecamatan", "Kecamatan"),
            ),
            label=Label("Kecamatan", "Kecamatan"),
        ),
    ),
    filters=(
        ListFilter(
            "kecamatan",
            reference("kecamatan_id", "kecamatan"),
            "Kecamatan code, id or name (repeatable).",
            examples=(["63.72.04"],),
        ),
    ),
    place="none",
    derived=kelurahan_derived,
    boundary=True,
)
