"""The maps of the full 14,000-lamp sample city, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.webmaps.map_pages import MapPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_status_map_of_the_whole_city(seeded_app_url: str, map_page: MapPage) -> None:
    """All 14,000 lamps are on the map (clusters + dots) and the legend totals them."""
    map_page.open(f"{seeded_app_url}/maps/status")
    map_page.screenshot("status-seeded")
    assert map_page.watch.problems() == []
    assert map_page.lamps_on_screen() == 14_000
    assert "Jumlah\t14.000" in map_page.legend_text()


@pytest.mark.parametrize("name", ["coverage", "cemeteries"])
def test_other_maps_of_the_whole_city(seeded_app_url: str, map_page: MapPage, name: str) -> None:
    """The coverage and cemeteries maps of the sample city load with no error."""
    map_page.open(f"{seeded_app_url}/maps/{name}")
    map_page.screenshot(f"{name}-seeded")
    assert map_page.watch.problems() == []
    assert map_page.page.locator(".ga-legend").is_visible()
