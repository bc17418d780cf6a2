"""The status map in a real headless Chromium, served by the app."""

from __future__ import annotations

import pytest

from tests.webmaps.map_pages import MapPage
from tests.webmaps.small_city import LAMP_COUNT, STATUS_COUNTS, lamp_code

pytestmark = pytest.mark.browser


def test_status_map_loads_cleanly_and_counts_every_lamp(app_url: str, map_page: MapPage) -> None:
    """No failed request, no console error, nothing fetched from outside; all 60 lamps shown."""
    map_page.open(f"{app_url}/maps/status")
    map_page.screenshot("status-served-id")
    assert map_page.watch.problems() == []
    assert any("/maps/static/vendor/leaflet/leaflet.js" in u for u in map_page.watch.requests)
    assert map_page.lamps_on_screen() == LAMP_COUNT
    assert map_page.page.locator(".ga-cluster").count() >= 1
    legend = map_page.legend_text()
    assert "Status lampu PJU" in legend and "Mati\t5" in legend and "Jumlah\t60" in legend


def test_hiding_a_status_layer_removes_its_lamps(app_url: str, map_page: MapPage) -> None:
    """Unticking 'Mati (5)' takes exactly the five lamps that are out off the map."""
    map_page.open(f"{app_url}/maps/status")
    map_page.toggle_layer("Mati (5)")
    assert map_page.lamps_on_screen() == LAMP_COUNT - STATUS_COUNTS["out"]
    map_page.toggle_layer("Mati (5)")
    assert map_page.lamps_on_screen() == LAMP_COUNT


def test_clicking_a_lamp_opens_its_popup(app_url: str, map_page: MapPage) -> None:
    """At street zoom a click on lamp 1 shows its code, type, wattage, road, area, status, time."""
    map_page.open(f"{app_url}/maps/status")
    map_page.evaluate("map.setView([-3.44, 114.8003], 19, {animate: false});")
    marker = map_page.page.locator(f'.ga-lamp[title="{lamp_code(1)}"]')
    marker.wait_for()
    marker.click()
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    map_page.page.wait_for_timeout(300)  # popup fade-in, for the screenshot
    map_page.screenshot("status-popup")
    for expected in (
        lamp_code(1),
        "LED",
        "60 W",
        "Jl. Jenderal A. Yani",
        "Komet",
        "Mati",
        "2024-05-03 15:20 WITA",
    ):
        assert expected in text
    assert map_page.watch.problems() == []


def test_search_by_code_flies_to_the_lamp(app_url: str, map_page: MapPage) -> None:
    """Typing a lamp code and pressing Enter opens that lamp's popup."""
    map_page.open(f"{app_url}/maps/status")
    box = map_page.page.locator(".ga-search input")
    box.fill("00042")
    assert map_page.page.locator(".ga-search li").first.inner_text() == lamp_code(42)
    box.press("Enter")
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert lamp_code(42) in popup.inner_text() and "Menyala" in popup.inner_text()


def test_english_switch_changes_the_legend(app_url: str, map_page: MapPage) -> None:
    """?lang=en labels the legend and layers in English."""
    map_page.open(f"{app_url}/maps/status?lang=en")
    map_page.screenshot("status-served-en")
    legend = map_page.legend_text()
    assert "Street-light status" in legend and "Out\t5" in legend and "Total\t60" in legend
    assert "Mati" not in legend
    assert map_page.layer_size("Out (5)") == STATUS_COUNTS["out"]
    assert map_page.watch.problems() == []
