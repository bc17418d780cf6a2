"""Which collections come as vector tiles, with which properties: derived from the registry.

Every entity with a geometry is a collection with tiles; its tile properties are `id` and the
columns flagged `on_tile` (never personal ones). The own-data basemap is three of them drawn
into one tile: kecamatan, kelurahan and roads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from geo_assets import entities
from geo_assets.entities import Entity
from geo_assets.errors import NotFound
from geo_assets.tiles.matrix import MAX_ZOOM

# The OGC collection id where it differs from the registry's name.
COLLECTION_IDS = {"blocks": "cemetery-blocks"}
BASEMAP_ID = "basemap"
BASEMAP_LAYERS = ("kecamatan", "kelurahan", "roads")
# Lamp statuses from the one a status map must show first to the one it may hide behind others.
LAMP_SEVERITY = ("damaged", "out", "in_repair", "working", "planned", "decommissioned")


@dataclass(frozen=True)
class TileLayer:
    """One MVT layer: a collection's rows with its tile properties."""

    id: str  # the collection id, also the layer's name in the tile
    entity: Entity
    min_zoom: int = 0
    max_zoom: int = 22
    # Below this zoom, points falling on the same pixel cell merge into one feature with a
    # `count` and the most severe status (`severity`, worst first), so a tile of the whole
    # city stays small and a status map stays truthful.
    merge_below: int | None = None
    severity: tuple[str, ...] = ()

    @property
    def table(self) -> Table:
        """The table the layer is drawn from."""
        return self.entity.table

    @property
    def columns(self) -> tuple[str, ...]:
        """The layer's properties besides `id` (and `count` for merged cells)."""
        return self.entity.tile_columns

    @property
    def status_column(self) -> str | None:
        """The column whose worst value a merged cell keeps."""
        return "status" if self.severity else None


def _layer(entity: Entity) -> TileLayer:
    layer_id = COLLECTION_IDS.get(entity.name, entity.name)
    if entity.name == "lamps":
        return TileLayer(layer_id, entity, min_zoom=10, merge_below=15, severity=LAMP_SEVERITY)
    return TileLayer(layer_id, entity)


LAYERS: dict[str, TileLayer] = {
    layer.id: layer
    for layer in (_layer(entity) for entity in entities.ENTITIES if entity.geometry_type)
}


@dataclass(frozen=True)
class Tileset:
    """What one tile URL draws: a collection's layer, or the basemap's layers."""

    id: str
    title: str
    layers: tuple[TileLayer, ...]
    dataset: bool = False  # the basemap (dataset tiles) rather than one collection

    @property
    def min_zoom(self) -> int:
        """The lowest zoom with tiles."""
        return min(layer.min_zoom for layer in self.layers)

    @property
    def max_zoom(self) -> int:
        """The highest zoom with tiles (at most the tile matrix set's)."""
        return min(MAX_ZOOM, max(layer.max_zoom for layer in self.layers))

    @property
    def table_names(self) -> tuple[str, ...]:
        """The tables whose data versions the tiles depend on."""
        return tuple(layer.table.name for layer in self.layers)


BASEMAP = Tileset(
    BASEMAP_ID,
    "Peta dasar (kecamatan, kelurahan, jalan)",
    tuple(LAYERS[name] for name in BASEMAP_LAYERS),
    dataset=True,
)


def collection_tileset(collection_id: str) -> Tileset:
    """The tileset of collection `collection_id`; NotFound for a collection without tiles."""
    layer = LAYERS.get(collection_id)
    if layer is None:
        raise NotFound(
            f"No collection {collection_id!r} with vector tiles. Collections with tiles: "
            f"{', '.join(LAYERS)}."
        )
    return Tileset(layer.id, layer.entity.label.id, (layer,))
