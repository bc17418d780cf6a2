"""Maps of a city above the map tile threshold, in a real headless Chromium: lamps from tiles.

The small city (60 lamps) with `map_tile_threshold=10` stands in for 1.4 million lamps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets import auth
from geo_assets.database import make_engine
from geo_assets.settings import Settings
from maps.labels import STATUS_COLORS
from tests.api.live_server import live_server
from tests.databases import TEMPLATE, clone_database, drop_database
from tests.webmaps.map_pages import MapPage
from tests.webmaps.small_city import LAMP_COUNT, STATUS_COUNTS, lamp_code, load_small_city

pytestmark = pytest.mark.browser

THRESHOLD = 10
PASSWORD = "crew-secret-pass"
LAMP_TILES = "/ogc/collections/lamps/tiles/WebMercatorQuad/"
BASEMAP_TILES = "/ogc/tiles/WebMercatorQuad/"
# Zoom 15 (no merged points) over every lamp of the small city, on a 1280x800 page.
ALL_LAMPS_VIEW = "map.setView([-3.439, 114.82], 15, {animate: false});"

# Every feature the lamp tiles drew: code, status, merged count and fill colour.
DRAWN_LAMPS = """
const layer = Object.values(map._layers).find(l => l._vectorTiles && l.options.pane === 'ga-lamps');
const drawn = [];
for (const tile of Object.values(layer._vectorTiles)) {
  for (const f of Object.values(tile._features || {})) {
    const p = f.feature.properties;
    drawn.push({code: p.code || null, status: p.status, count: p.count || 1,
                color: f.feature.options.fillColor});
  }
}
return drawn;
"""
# The layer names the basemap tiles drew.
BASEMAP_LAYERS = """
const layer = Object.values(map._layers).find(l => l.options.pane === 'ga-basemap');
const names = new Set();
for (const tile of Object.values(layer._vectorTiles)) {
  for (const f of Object.values(tile._features || {})) { names.add(f.layerName); }
}
return [...names].sort();
"""
# True once every vector-tile layer has fetched and drawn the tiles in view.
TILES_DRAWN = """() => {
  const map = window[document.querySelector('.folium-map').id];
  return Object.values(map._layers).filter(l => l._vectorTiles).every(l => !l.isLoading());
}"""
REDRAW_LAMPS = """
Object.values(map._layers).find(l => l.options.pane === 'ga-lamps').redraw();
"""


@dataclass(frozen=True)
class LargeCity:
    """The served small city with a threshold below its lamp count."""

    app_url: str
    db_url: str


@pytest.fixture(scope="module")
def large_city(cluster) -> Iterator[LargeCity]:
    """The app serving the small city, told that more than 10 lamps is a large city."""
    url = clone_database(cluster, TEMPLATE)
    engine = make_engine(url)
    load_small_city(engine)
    engine.dispose()
    with live_server(Settings(database_url=url, map_tile_threshold=THRESHOLD)) as app_url:
        yield LargeCity(app_url, url)
    drop_database(cluster, url)


def _settle(map_page: MapPage, view: str) -> None:
    """Run `view` (a map move or redraw) and wait until its tiles are drawn."""
    map_page.evaluate(view)
    map_page.page.wait_for_function(TILES_DRAWN)
    map_page.page.wait_for_timeout(100)  # the last tile's `done` runs on an animation frame


def _drawn(map_page: MapPage, view: str = ALL_LAMPS_VIEW) -> list[dict[str, Any]]:
    _settle(map_page, view)
    return map_page.evaluate(DRAWN_LAMPS)  # type: ignore[return-value]


def _popup_at(map_page: MapPage, lat: float, lon: float) -> str:
    """Click the map at (lat, lon) and return the text of the popup that opens."""
    point = map_page.evaluate(
        "const p = map.latLngToContainerPoint(arg); return [p.x, p.y];", [lat, lon]
    )
    box = map_page.page.locator(".folium-map").bounding_box()
    map_page.page.mouse.click(box["x"] + point[0], box["y"] + point[1])  # type: ignore[index]
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup.inner_text()


def test_status_map_draws_every_lamp_from_tiles(large_city: LargeCity, map_page: MapPage) -> None:
    """Above the threshold the page embeds no lamp; tiles draw all 60 by status, with popups."""
    map_page.open(f"{large_city.app_url}/maps/status")
    html = map_page.page.content()
    assert lamp_code(1) not in html and "decodeLamps(" not in html
    drawn = _drawn(map_page)
    assert any(LAMP_TILES in url for url in map_page.watch.requests)
    # A lamp near a tile's edge is also in its neighbour's buffer: one status per code.
    statuses = {d["code"]: d["status"] for d in drawn}
    assert sorted(statuses) == [lamp_code(n) for n in range(1, LAMP_COUNT + 1)]
    assert all(d["color"] == STATUS_COLORS[d["status"]] for d in drawn)
    assert Counter(statuses.values()) == Counter(STATUS_COUNTS)
    map_page.screenshot("status-tiles")
    _settle(map_page, "map.setView([-3.44, 114.8003], 17, {animate: false});")
    popup = _popup_at(map_page, -3.44, 114.8003)
    for expected in (lamp_code(1), "LED", "60 W", "Mati"):
        assert expected in popup
    assert map_page.watch.problems() == []


def test_legend_counts_match_the_database(large_city: LargeCity, map_page: MapPage) -> None:
    """The legend's counts are the database's."""
    engine = make_engine(large_city.db_url)
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT status, count(*) FROM lamp GROUP BY 1")).all())
    engine.dispose()
    map_page.open(f"{large_city.app_url}/maps/status")
    legend = map_page.legend_text()
    for status, word in (("out", "Mati"), ("damaged", "Rusak"), ("working", "Menyala")):
        assert f"{word}\t{counts[status]}" in legend
    assert f"Jumlah\t{sum(counts.values())}" in legend


def test_merged_points_add_up_and_tell_their_count(
    large_city: LargeCity, map_page: MapPage
) -> None:
    """Where a tile holds more lamps than it shows one by one, its merged points add up to
    every lamp, are coloured by their worst status, and their popups give the count."""
    settings = Settings(
        database_url=large_city.db_url, map_tile_threshold=THRESHOLD, tile_detail_limit=THRESHOLD
    )
    with live_server(settings) as app_url:
        map_page.open(f"{app_url}/maps/status")
        merged = _drawn(map_page, "map.setView([-3.44, 114.8072], 11, {animate: false});")
        assert sum(d["count"] for d in merged) == LAMP_COUNT
        group = next(d for d in merged if d["count"] > 1)
        assert group["color"] == STATUS_COLORS[group["status"]]
        popup = _popup_at(map_page, -3.44, 114.8003)
        assert "Jumlah lampu" in popup and "Status terburuk" in popup
        map_page.screenshot("status-tiles-merged-popup")


def test_search_by_code_asks_the_server_and_opens_the_popup(
    large_city: LargeCity, map_page: MapPage
) -> None:
    """Typing part of a code lists it from /maps/lamps; Enter flies there and opens its popup."""
    map_page.open(f"{large_city.app_url}/maps/status")
    box = map_page.page.locator(".ga-search input")
    box.fill("00042")
    first = map_page.page.locator(".ga-search li").first
    first.wait_for()
    assert first.inner_text() == lamp_code(42)
    box.press("Enter")
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert lamp_code(42) in popup.inner_text() and "Menyala" in popup.inner_text()
    assert any("/maps/lamps?q=00042" in url for url in map_page.watch.requests)
    assert map_page.evaluate("return map.getZoom();") >= 18
    assert map_page.watch.problems() == []


def test_basemap_draws_without_openstreetmap(large_city: LargeCity, map_page: MapPage) -> None:
    """With the OSM tile host unreachable, the own-data tiles still draw borders and roads."""
    map_page.page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    map_page.open(f"{large_city.app_url}/maps/coverage")
    _settle(map_page, ALL_LAMPS_VIEW)
    assert any(BASEMAP_TILES in url for url in map_page.watch.requests)
    assert map_page.evaluate(BASEMAP_LAYERS) == ["kecamatan", "kelurahan", "roads"]
    drawn = map_page.evaluate(DRAWN_LAMPS)
    assert {d["code"] for d in drawn} == {lamp_code(n) for n in range(1, LAMP_COUNT + 1)}  # type: ignore[union-attr]
    map_page.screenshot("coverage-tiles-offline")
    problems = map_page.watch.problems()
    assert [p for p in problems if "tile.openstreetmap.org" not in p] == []


def test_status_change_shows_on_the_next_tile_fetch(
    city: Engine, db_url: str, map_page: MapPage
) -> None:
    """A lamp reported out through the API turns red when its tiles are fetched again."""
    with city.begin() as conn:  # one user: each password hash takes a while
        auth.create_user(
            connection=conn, username="crew", role="crew", password=PASSWORD, actor="test"
        )
    with live_server(Settings(database_url=db_url, map_tile_threshold=THRESHOLD)) as app_url:
        map_page.open(f"{app_url}/maps/status")
        before = {d["code"]: d for d in _drawn(map_page)}
        assert before[lamp_code(20)]["color"] == STATUS_COLORS["working"]
        tile_requests = sum(LAMP_TILES in url for url in map_page.watch.requests)
        with httpx.Client(base_url=app_url) as client:
            token = client.post(
                "/api/v1/auth/token", data={"username": "crew", "password": PASSWORD}
            ).json()["access_token"]
            answer = client.post(
                f"/api/v1/lamps/{lamp_code(20)}/events",
                headers={"Authorization": f"Bearer {token}"},
                json={"to_status": "out"},
            )
            assert answer.status_code == 201, answer.text
        after = {d["code"]: d for d in _drawn(map_page, REDRAW_LAMPS)}
        assert sum(LAMP_TILES in url for url in map_page.watch.requests) > tile_requests
        assert after[lamp_code(20)]["color"] == STATUS_COLORS["out"]
        assert after[lamp_code(21)]["color"] == STATUS_COLORS["working"]


# The kelurahan of the file's choropleth: name, lamps in total and out, as the tooltip reads them.
KELURAHAN_COUNTS = """
const rows = [];
map.eachLayer(l => { if (l.feature && l.feature.properties.total_text !== undefined) {
  const p = l.feature.properties; rows.push([p.name, p.total_text, p.out_text]); } });
return rows.sort();
"""


def test_map_file_of_a_large_city_carries_counts_per_kelurahan(
    city, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, map_page: MapPage
) -> None:
    """Above the threshold `geo-assets map status` embeds counts per kelurahan and says so."""
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", db_url)
    monkeypatch.setenv("GEO_ASSETS_MAP_TILE_THRESHOLD", str(THRESHOLD))
    result = CliRunner().invoke(app, ["map", "status", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "status.html").read_text()
    assert lamp_code(1) not in html and "decodeLamps(" not in html
    map_page.page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    map_page.open((tmp_path / "status.html").as_uri())
    assert all(
        u.startswith(("file:", "data:", "https://tile.openstreetmap.org/"))
        for u in map_page.watch.requests
    )
    assert "menampilkan jumlah lampu per kelurahan" in map_page.page.inner_text(".ga-note")
    assert map_page.evaluate(KELURAHAN_COUNTS) == [["Komet", "48", "5"], ["Mentaos", "12", "0"]]
    legend = map_page.legend_text()
    assert "Mati\t5" in legend and "Jumlah\t60" in legend
    map_page.screenshot("status-file-per-kelurahan")
    problems = map_page.watch.problems()
    assert [p for p in problems if "tile.openstreetmap.org" not in p] == []
