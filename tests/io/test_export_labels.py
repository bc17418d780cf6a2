"""Spreadsheet headers and sheet names come from the registry's labels, in both languages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from geo_assets.entities import ENTITIES, Entity
from geo_assets.io.export_queries import export_query
from geo_assets.io.exporter import export_features
from geo_assets.io.xlsx_export import EXPORT_LABELS, column_labels, registry_labels

EXPORTABLE = [entity for entity in ENTITIES if entity.exportable]
# The sheet names spreadsheets had before the registry gave them; they must not change.
SHEET_NAMES = {
    "lamps": ("Lampu PJU", "Street lights"),
    "roads": ("Jalan", "Roads"),
    "cemeteries": ("TPU", "Cemeteries"),
    "blocks": ("Blok makam", "Cemetery blocks"),
    "plots": ("Petak makam", "Grave plots"),
    "access-roads": ("Jalan akses TPU", "Access roads"),
    "prayer-rooms": ("Musala", "Prayer rooms"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "kelurahan": ("Kelurahan", "Kelurahan"),
}


def _export_keys(entity: Entity) -> list[str]:
    """The columns of `entity`'s export, geometry included (lon/lat or WKT)."""
    query = export_query(entity)
    geometry = ["lon", "lat"] if query.geometry_type == "Point" else ["wkt"]
    return [column.key for column in query.columns] + geometry


def _unlabelled(entity: Entity) -> list[str]:
    """Export columns of `entity` whose header comes neither from the registry nor the table
    of export-only columns, or whose label lacks a language."""
    labels = column_labels(entity)
    return [
        key
        for key in _export_keys(entity)
        if key not in labels or not (labels[key].id.strip() and labels[key].en.strip())
    ]


@pytest.mark.parametrize("entity", EXPORTABLE, ids=lambda entity: entity.name)
def test_every_exported_column_has_a_registry_label(entity: Entity) -> None:
    """Every export column of every exportable entity has an Indonesian and an English header,
    taken from its registry column unless it is an export-only column (id, geometry, measure,
    area), and the export-only table names no registry column."""
    assert _unlabelled(entity) == []
    from_registry = registry_labels(entity)
    for key in _export_keys(entity):
        assert key in from_registry or key in EXPORT_LABELS, key
    columns = {column.name for column in entity.columns}
    assert columns.isdisjoint(EXPORT_LABELS), columns & set(EXPORT_LABELS)


def test_a_column_without_a_label_is_caught() -> None:
    """A registry column added without a label (here: wattage's removed) fails the check."""
    lamps = next(entity for entity in EXPORTABLE if entity.name == "lamps")
    columns = tuple(
        replace(column, label=None) if column.name == "wattage" else column
        for column in lamps.columns
    )
    assert _unlabelled(replace(lamps, columns=columns)) == ["wattage"]


def test_sheet_names_come_from_the_registry_unchanged() -> None:
    """Each exportable entity's sheet label is today's sheet name in both languages and fits
    Excel's 31-character tab."""
    names = {
        entity.files_name: (entity.sheet_label.id, entity.sheet_label.en) for entity in EXPORTABLE
    }
    assert names == SHEET_NAMES
    assert all(len(name) <= 31 for pair in names.values() for name in pair)


@pytest.mark.parametrize(
    ("lang", "sheet", "headers"),
    [
        ("id", "Lampu PJU", {"ID PJU kantor", "ID OSM", "Daya (W)", "Kode jalan", "Nama jalan"}),
        ("en", "Street lights", {"Office id", "OSM id", "Wattage (W)", "Road code", "Road name"}),
    ],
)
def test_lamp_sheet_headers_are_the_registry_labels(
    shared_stocked_city: Engine, tmp_path: Path, lang: str, sheet: str, headers: set[str]
) -> None:
    """A lamps spreadsheet names the office id and OSM id columns by their registry labels
    (they showed their code names before), in Indonesian and in English."""
    path = tmp_path / "lamps.xlsx"
    export_features(shared_stocked_city, entity="lamps", out=path, fmt="xlsx", lang=lang)
    written = [cell.value for cell in load_workbook(path)[sheet][1]]
    assert headers <= set(written)
    assert not {"office_id", "osm_id"} & set(written)
