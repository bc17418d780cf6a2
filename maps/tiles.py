"""Served maps of a large city: lamps and the own-data basemap as vector tiles, not in the page.

Above `Settings.map_tile_threshold` lamps, `/maps/status` and `/maps/coverage` embed no lamp:
Leaflet.VectorGrid (vendored) draws them from the OGC API – Tiles endpoints, coloured by status;
the legend counts come from one SQL aggregate; the search box asks `/maps/lamps` by code. The
page's size does not depend on the number of lamps.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo_assets.vocab import LAMP_STATUS, LAMP_TYPE, codes, label
from maps.base import MAX_ZOOM, ROAD_WEIGHTS
from maps.elements import OUR_CSS, LegendRow
from maps.labels import CONTEXT_COLOR, STATUS_COLORS, Lang, number, text
from maps.lamp_data import script_json

TILES_JS = [
    ("vectorgrid_js", "Leaflet.VectorGrid.bundled.min.js"),
    ("geo_assets_tiles_js", "geo_assets/tiles.js"),
]
LAMP_LAYER = "lamps"  # the MVT layer name = the collection id
# A redraw every minute revalidates the tiles in view: 304s unless a lamp changed.
REFRESH_SECONDS = 60
SEARCH_ZOOM = 18
# Lamp tiles drawn 512 px wide (requested one zoom lower): see tiles.js.
LAMP_TILE_SIZE = 512


@dataclass(frozen=True)
class TileUrls:
    """Where a served page finds its tiles and its lamp search (absolute paths on this server)."""

    lamps: str
    basemap: str
    search: str

    @classmethod
    def under(cls, root_path: str) -> TileUrls:
        """The URLs of an app mounted at `root_path` ('' at the server's root)."""
        return cls(
            lamps=f"{root_path}/ogc/collections/lamps/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}",
            basemap=f"{root_path}/ogc/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}",
            search=f"{root_path}/maps/lamps",
        )


def tile_config(lang: Lang) -> dict:
    """Status colours, lamp-type labels and the popup's words for `GeoAssetsTiles`."""
    words = (
        "lamp_type",
        "wattage",
        "status",
        "none",
        "search",
        "not_found",
        "lamps",
        "worst_status",
        "lamp_group",
    )
    return {
        "layer": LAMP_LAYER,
        "statuses": [
            {"code": s, "label": label(LAMP_STATUS, s, lang), "color": STATUS_COLORS[s]}
            for s in codes(LAMP_STATUS)
        ],
        "types": {code: label(LAMP_TYPE, code, lang) for code in codes(LAMP_TYPE)},
        "text": {word: text(word, lang) for word in words},
        "maxNativeZoom": MAX_ZOOM,
        "maxZoom": MAX_ZOOM,
        "refreshSeconds": REFRESH_SECONDS,
        "searchZoom": SEARCH_ZOOM,
        "tileSize": LAMP_TILE_SIZE,
    }


class LampTiles(JSCSSMixin, Layer):
    """The lamps from vector tiles, coloured by status, with popups from the tiles' properties."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GeoAssetsTiles.lampTileLayer(
            {{ this._parent.get_name() }}, {{ this.url }}, {{ this.config }});
        {% endmacro %}
    """)
    default_js = TILES_JS
    default_css = OUR_CSS

    def __init__(self, url: str, lang: Lang, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "LampTiles"
        self.url = script_json(url)
        self.config = script_json(tile_config(lang))


class OwnBasemap(JSCSSMixin, Layer):
    """Kecamatan, kelurahan and roads as vector tiles from this server (no internet needed)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GeoAssetsTiles.basemapLayer(
            {{ this._parent.get_name() }}, {{ this.url }}, {{ this.config }});
        {% endmacro %}
    """)
    default_js = TILES_JS
    default_css = OUR_CSS

    def __init__(self, url: str, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "OwnBasemap"
        self.url = script_json(url)
        self.config = script_json(
            {
                "roadWeights": ROAD_WEIGHTS,
                "context": CONTEXT_COLOR,
                "maxNativeZoom": MAX_ZOOM,
                "maxZoom": MAX_ZOOM,
            }
        )


class LampTileSearch(JSCSSMixin, folium.MacroElement):
    """A box that asks the server for lamps by code, flies to one and opens its popup."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoAssetsTiles.tileSearchControl({{ this._parent.get_name() }}, {{ this.url }},
            {{ this.config }});
        {% endmacro %}
    """)
    default_js = TILES_JS
    default_css = OUR_CSS

    def __init__(self, url: str, lang: Lang) -> None:
        super().__init__()
        self._name = "LampTileSearch"
        self.url = script_json(url)
        self.config = script_json(tile_config(lang))


class MapNote(JSCSSMixin, folium.MacroElement):
    """A short note drawn on the map (a Leaflet control)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoAssetsTiles.note({{ this._parent.get_name() }}, {{ this.text }},
            {{ this.position|tojson }});
        {% endmacro %}
    """)
    default_js = [("geo_assets_tiles_js", "geo_assets/tiles.js")]
    default_css = OUR_CSS

    def __init__(self, note: str, position: str = "topright") -> None:
        super().__init__()
        self._name = "MapNote"
        self.text = script_json(note)
        self.position = position


def status_rows(counts: dict[str, int], lang: Lang) -> list[LegendRow]:
    """One legend row per status with its count, in vocabulary order."""
    return [
        LegendRow(STATUS_COLORS[s], label(LAMP_STATUS, s, lang), number(counts.get(s, 0), lang))
        for s in codes(LAMP_STATUS)
    ]


def add_tiled_lamps(m: folium.Map, urls: TileUrls, counts: dict[str, int], lang: Lang) -> None:
    """The own-data basemap, the lamp tiles (with the total in the layer name) and the search."""
    OwnBasemap(urls.basemap, name=text("base_own", lang)).add_to(m)
    total = number(sum(counts.values()), lang)
    LampTiles(urls.lamps, lang, name=f"{text('lamp_layer', lang)} ({total})").add_to(m)
    LampTileSearch(urls.search, lang).add_to(m)
