"""The export's light table clauses, made from the registry, match the real tables."""

from __future__ import annotations

from geo_assets import tables
from geo_assets.entities import ENTITIES
from geo_assets.io.export_tables import export_table
from geo_assets.io.gpkg_export import _kind


def test_export_tables_type_columns_as_the_database_does() -> None:
    """Every column of an export clause exists in the real table, with the same kind (int,
    float, bool, text, date), so a GeoPackage's fields keep the types they had."""
    checked = 0
    for entity in ENTITIES:
        light, real = export_table(entity.table_name), tables.named(entity.table_name)
        for column in light.c:
            assert column.key in real.c, (entity.name, column.key)
            if column.key != "geom":
                assert _kind(column) == _kind(real.c[column.key]), (entity.name, column.key)
                checked += 1
    assert checked > 100
