"""The registry: one description per inventory entity, from which everything else is derived.

Each entity (`geo_assets.entities.base.Entity`) gives its table, code pattern, columns (public,
personal, writable, their file rules and aliases), list filters, geometry type and labels. The
importer's specs (`io/entities.py`), the export queries (`io/export_queries.py`), the `/api/v1`
resources (`inventory/catalog.py`), the API schemas and routers (`api/`) read it; nothing else
spells an entity's columns out again. Adding a column is one `Column(...)` line here.
"""

from __future__ import annotations

from geo_assets.entities.areas import KECAMATAN, KELURAHAN
from geo_assets.entities.base import Column, Entity, Label, ListFilter, Reference
from geo_assets.entities.cemeteries import (
    ACCESS_ROADS,
    BLOCKS,
    CEMETERIES,
    INTERMENTS,
    PLOTS,
    PRAYER_ROOMS,
)
from geo_assets.entities.lighting import LAMPS, ROADS
from geo_assets.entities.requests import SERVICE_REQUESTS

# In the order the command line lists them (importable first).
ENTITIES: tuple[Entity, ...] = (
    LAMPS,
    ROADS,
    CEMETERIES,
    BLOCKS,
    PLOTS,
    ACCESS_ROADS,
    PRAYER_ROOMS,
    KECAMATAN,
    KELURAHAN,
    INTERMENTS,
    SERVICE_REQUESTS,
)
BY_NAME: dict[str, Entity] = {entity.name: entity for entity in ENTITIES}
# The names typed on the import/export command line.
BY_FILE_NAME: dict[str, Entity] = {
    entity.files_name: entity for entity in ENTITIES if entity.importable or entity.exportable
}

__all__ = [
    "BY_FILE_NAME",
    "BY_NAME",
    "ENTITIES",
    "Column",
    "Entity",
    "Label",
    "ListFilter",
    "Reference",
]
