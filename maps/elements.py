"""Our folium elements: the compact lamp layers, search, legend, a context minimap, zoom gates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template
from markupsafe import escape

from maps.lamp_data import script_json

# Names only: `maps.assets.localise` maps them to our vendored files.
OUR_JS = [("geo_assets_js", "geo_assets/maps.js")]
OUR_CSS = [("geo_assets_css", "geo_assets/maps.css")]
CLUSTER_JS = [("markerclusterjs", "leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", "MarkerCluster.css"),
    ("markerclusterdefaultcss", "MarkerCluster.Default.css"),
]


class LampData(JSCSSMixin, MacroElement):
    """The lamps, embedded once as a compact payload and decoded in the browser."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GeoAssetsMaps.decodeLamps(
            JSON.parse({{ this.payload }}), {{ this.config }});
        {% endmacro %}
    """)
    default_js = CLUSTER_JS + OUR_JS
    default_css = CLUSTER_CSS + OUR_CSS

    def __init__(self, payload: dict, config: dict) -> None:
        super().__init__()
        self._name = "LampData"
        # A JSON text in a string literal: V8 parses JSON.parse input faster than a JS literal.
        self.payload = script_json(json.dumps(payload, separators=(",", ":")))
        self.config = script_json(config)
        self.count = payload["n"]


class LampLayer(Layer):
    """The lamps of one status (status_index -1: all), as a toggleable (clustered) layer."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GeoAssetsMaps.lampLayer(
            {{ this.data.get_name() }}, {{ this.status_index }}, {{ this.cluster|tojson }});
        {% endmacro %}
    """)

    def __init__(
        self,
        data: LampData,
        *,
        status_index: int,
        name: str,
        cluster: bool = True,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LampLayer"
        self.data = data
        self.status_index = status_index
        self.cluster = cluster


class LampSearch(MacroElement):
    """A box that finds a lamp by (part of) its code and opens its popup."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoAssetsMaps.searchControl({{ this._parent.get_name() }}, {{ this.data.get_name() }},
            {{ this.data.get_name() }}.config.text);
        {% endmacro %}
    """)

    def __init__(self, data: LampData) -> None:
        super().__init__()
        self._name = "LampSearch"
        self.data = data


@dataclass(frozen=True)
class LegendRow:
    """One line of a legend: a swatch (dot, line or area), a label and an optional count."""

    color: str
    label: str
    count: str | None = None
    shape: str = "dot"


@dataclass(frozen=True)
class LegendSection:
    """A titled group of legend rows, with an optional total line."""

    title: str
    rows: Sequence[LegendRow]
    total: tuple[str, str] | None = None


def legend_html(title: str, sections: Sequence[LegendSection]) -> str:
    """The legend's HTML; every label is escaped."""
    parts = [f"<h4>{escape(title)}</h4>"]
    for section in sections:
        if section.title:
            parts.append(f"<h5>{escape(section.title)}</h5>")
        parts.append("<table>")
        for row in section.rows:
            swatch = (
                f'<span class="ga-swatch ga-{row.shape}-shape" '
                f'style="background:{escape(row.color)}"></span>'
            )
            count = "" if row.count is None else f'<td class="ga-count">{escape(row.count)}</td>'
            parts.append(f"<tr><td>{swatch} {escape(row.label)}</td>{count}</tr>")
        if section.total:
            parts.append(
                f'<tr class="ga-total"><td>{escape(section.total[0])}</td>'
                f'<td class="ga-count">{escape(section.total[1])}</td></tr>'
            )
        parts.append("</table>")
    return "".join(parts)


class Legend(JSCSSMixin, MacroElement):
    """A legend drawn as a Leaflet control, so it moves with the map in fullscreen."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoAssetsMaps.legend({{ this._parent.get_name() }}, {{ this.html|tojson }},
            {{ this.position|tojson }});
        {% endmacro %}
    """)
    default_js = OUR_JS
    default_css = OUR_CSS

    def __init__(
        self, title: str, sections: Sequence[LegendSection], position: str = "bottomleft"
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = legend_html(title, sections)
        self.position = position


class ContextMiniMap(JSCSSMixin, MacroElement):
    """An overview map with the tiles and our district outlines, readable without tiles."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        // After the page has loaded: the overview must not delay drawing the lamps.
        window.addEventListener("load", function () {
            new L.Control.MiniMap(L.layerGroup([
                L.tileLayer({{ this.tiles|tojson }}, {maxZoom: 19}),
                L.geoJSON({{ this.outline.get_name() }}.toGeoJSON(),
                          {interactive: false, style: {color: "#37474f", weight: 1, fill: false}})
            ]), {position: "bottomright", toggleDisplay: true, width: 150, height: 150,
                 zoomLevelOffset: -4}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)
    default_js = [("Control_MiniMap_js", "Control.MiniMap.min.js")]
    default_css = [("Control_MiniMap_css", "Control.MiniMap.min.css")]

    def __init__(self, outline: folium.GeoJson, tiles: str) -> None:
        super().__init__()
        self._name = "ContextMiniMap"
        self.outline = outline
        self.tiles = tiles


class PlotLayer(Layer):
    """Grave plots from a compact payload, drawn only from `min_zoom` on (see plot_data)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GeoAssetsMaps.plotLayer(
            {{ this._parent.get_name() }}, JSON.parse({{ this.payload }}), {{ this.config }},
            {{ this.min_zoom }});
        {% endmacro %}
    """)

    def __init__(self, payload: dict, config: dict, *, name: str, min_zoom: int) -> None:
        super().__init__(name=name, overlay=True, control=True, show=False)
        self._name = "PlotLayer"
        self.payload = script_json(json.dumps(payload, separators=(",", ":")))
        self.config = script_json(config)
        self.min_zoom = min_zoom


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"
