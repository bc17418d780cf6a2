"""Folium web maps of the inventory: lamp status, lighting coverage, cemeteries.

Builders take GeoDataFrames (never a database session) and return `folium.Map`s; `render_html`
and `write_map` turn them into pages that load scripts and styles only from our vendored copies.
`maps.sources` reads the frames from PostGIS for the API and the CLI.
"""

from maps.base import MapContext
from maps.render import render_html, write_map
from maps.status import build_status_map

__all__ = ["MapContext", "build_status_map", "render_html", "write_map"]
