"""The city's own outlines: kecamatan (districts) and kelurahan (sub-districts)."""

from __future__ import annotations

from geo_assets import tables
from geo_assets.entities.base import Column, Entity, Label, ListFilter, Reference
from geo_assets.inventory.joins import kelurahan_derived
from geo_assets.inventory.resources import reference

KECAMATAN = Entity(
    name="kecamatan",
    noun="kecamatan",
    label=Label("Batas kecamatan", "Kecamatan (district) boundaries"),
    table=tables.KECAMATAN,
    geometry_type="MultiPolygon",
    columns=(
        Column("code", "text", required=True, label=Label("Kode", "Code"), example="63.72.04"),
        Column("name", "text", required=True, example="Banjarbaru Utara"),
        Column(
            "official_area_km2",
            "number",
            minimum=0,
            minimum_exclusive=True,
            unit="km²",
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
    table=tables.KELURAHAN,
    geometry_type="MultiPolygon",
    columns=(
        Column("code", "text", required=True, label=Label("Kode", "Code"), example="63.72.04.1002"),
        Column("name", "text", required=True, example="Mentaos"),
        Column(
            "kecamatan_id",
            "id",
            required=True,
            example=3,
            reference=Reference(
                tables.KECAMATAN, "kecamatan_code", "kecamatan", name_column="kecamatan"
            ),
        ),
    ),
    filters=(
        ListFilter(
            "kecamatan",
            reference("kecamatan_id", tables.KECAMATAN),
            "Kecamatan code, id or name (repeatable).",
            examples=(["63.72.04"],),
        ),
    ),
    place="none",
    derived=kelurahan_derived,
    boundary=True,
)
