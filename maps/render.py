"""Turn a built map into a self-contained page: HTML with local links, and its static folder."""

from __future__ import annotations

from pathlib import Path

import folium

from maps.assets import assert_offline, copy_static, localise

FILE_STATIC_URL = "static/"
SERVED_STATIC_URL = "/maps/static/"


def render_html(m: folium.Map, *, static_url: str = FILE_STATIC_URL) -> str:
    """The map's HTML page, loading scripts and styles only from `static_url`."""
    root = m.get_root()
    localise(root, static_url=static_url)
    html = root.render()
    assert_offline(html)
    return html


def write_map(m: folium.Map, path: Path) -> Path:
    """Write `path` (an .html file) and the `static/` folder beside it; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(m, static_url=FILE_STATIC_URL), encoding="utf-8")
    copy_static(path.parent / FILE_STATIC_URL.rstrip("/"))
    return path
