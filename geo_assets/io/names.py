"""The entity and format names the import/export commands accept (a list that may grow).

The registry (`geo_assets.entities`) describes each entity; these lists say which of them go to
and from files, by their file-facing name. Adding one here is all an entity needs to be offered
(its import spec and export query are derived). Kept free of imports so the command line starts
fast.
"""

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
# Boundary files replace the stored areas (geo_assets.io.boundaries), not rows added one by one.
BOUNDARY_IMPORTS: tuple[str, ...] = ("kecamatan", "kelurahan")
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
