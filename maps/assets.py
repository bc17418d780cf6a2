"""Vendored JavaScript and CSS: every folium resource link points at our own copy.

folium's elements name their resources (`default_js` / `default_css`) with CDN URLs. Before a map
is rendered, `localise` swaps each one for the copy under `maps/static/` (fetched from npm by
`maps/static/vendor.py`), drops the ones our maps never use (jQuery, Bootstrap, awesome-markers,
Font Awesome), and refuses any resource it has no copy of, so no map can load code from outside.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from branca.element import Element
from folium.elements import JSCSSMixin

STATIC_DIR = Path(__file__).resolve().parent / "static"

# folium's resource name -> our file, relative to STATIC_DIR.
VENDORED: dict[str, str] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "Control.Fullscreen.js": "vendor/leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "leaflet_measure_js": "vendor/leaflet-measure/leaflet-measure.min.js",
    "leaflet_measure_css": "vendor/leaflet-measure/leaflet-measure.css",
    "Control_MiniMap_js": "vendor/leaflet-minimap/Control.MiniMap.min.js",
    "Control_MiniMap_css": "vendor/leaflet-minimap/Control.MiniMap.min.css",
    "vectorgrid_js": "vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js",
    "geo_assets_js": "geo_assets/maps.js",
    "geo_assets_tiles_js": "geo_assets/tiles.js",
    "geo_assets_css": "geo_assets/maps.css",
}

# folium.Map's defaults that none of our maps uses (no folium.Popup, no Icon, no keep_in_front).
UNUSED = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

# Served under these folders only; the vendor script itself is not an asset.
PUBLISHED = ("vendor", "geo_assets")

_EXTERNAL_LINK = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.I)


class UnvendoredAsset(RuntimeError):
    """A map element wants a script or style that has no vendored copy."""


def _elements(root: Element) -> Iterator[Element]:
    yield root
    for child in root._children.values():
        yield from _elements(child)


def _local(links: list[tuple[str, str]], static_url: str) -> list[tuple[str, str]]:
    local = []
    for name, url in links:
        if name in UNUSED:
            continue
        if name not in VENDORED:
            raise UnvendoredAsset(f"no vendored copy of {name!r} ({url}); add it to maps/assets.py")
        local.append((name, static_url + VENDORED[name]))
    return local


def localise(root: Element, *, static_url: str) -> None:
    """Point every element's JS/CSS links at our copies under `static_url` (ends with '/')."""
    for element in _elements(root):
        if isinstance(element, JSCSSMixin):
            # Instance attributes: folium's class-level lists must stay untouched.
            element.default_js = _local(element.default_js, static_url)
            element.default_css = _local(element.default_css, static_url)


def assert_offline(html: str) -> None:
    """Fail if the page still loads a script or style from another host."""
    match = _EXTERNAL_LINK.search(html)
    if match:
        raise UnvendoredAsset(f"page links to an external resource: {match.group(0)}")


def copy_static(destination: Path) -> None:
    """Copy the published static files into `destination` (next to written maps)."""
    for folder in PUBLISHED:
        shutil.copytree(STATIC_DIR / folder, destination / folder, dirs_exist_ok=True)
