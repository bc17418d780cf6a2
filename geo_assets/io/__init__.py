"""Import and export of the inventory as GeoJSON, GeoPackage, Shapefile and CSV.

The entry points are `geo_assets.io.importer.import_file` and
`geo_assets.io.exporter.export_features`; this package itself stays light (no pandas, no GDAL)
so that the CLI starts quickly.
"""

from geo_assets.io.names import EXPORT_ENTITIES, EXPORT_FORMATS, IMPORT_ENTITIES

__all__ = ["EXPORT_ENTITIES", "EXPORT_FORMATS", "IMPORT_ENTITIES"]
