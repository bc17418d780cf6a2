"""The entity and format names the import/export commands accept (a list that may grow)."""

from __future__ import annotations

# File-facing names (plural, hyphenated), as typed on the command line.
IMPORT_ENTITIES: tuple[str, ...] = (
    "lamps",
    "roads",
    "cemeteries",
    "blocks",
    "plots",
    "access-roads",
    "prayer-rooms",
)
# `proposal` is the budget proposal of geo_assets.analysis (issue 6), not a table.
EXPORT_ENTITIES: tuple[str, ...] = (*IMPORT_ENTITIES, "kecamatan", "kelurahan", "proposal")
EXPORT_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "xlsx")

# File extension → export format; anything else (or no extension) is GeoJSON.
FORMAT_BY_EXTENSION: dict[str, str] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
