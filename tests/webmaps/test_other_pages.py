"""The coverage and cemeteries maps in headless Chromium, served by the app."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from geo_assets.analysis.coverage import compute_coverage
from tests.webmaps.map_pages import MapPage

pytestmark = pytest.mark.browser


def test_coverage_map_draws_lit_dark_gaps_and_proposals(
    app_url: str, city: Engine, map_page: MapPage
) -> None:
    """Layers hold exactly the analysis' segments, gaps and proposals; kelurahan get a colour."""
    result = compute_coverage(city)
    lit = int(result.segments["lit"].sum())
    map_page.open(f"{app_url}/maps/coverage")
    map_page.screenshot("coverage-served-id")
    assert map_page.watch.problems() == []
    assert map_page.layer_size("Jalan terang") == lit
    assert map_page.layer_size("Jalan gelap") == len(result.segments) - lit
    assert map_page.layer_size("Celah gelap") == len(result.gaps) > 0
    assert map_page.layer_size("Usulan titik lampu baru") == 0  # off until ticked
    assert map_page.layer_size("Cakupan penerangan per kelurahan") == 2
    assert "Cakupan" in map_page.legend_text()
    map_page.toggle_layer("Usulan titik lampu baru")
    assert map_page.layer_size("Usulan titik lampu baru") == len(result.proposed_lamps) > 0


def test_coverage_map_in_english(app_url: str, map_page: MapPage) -> None:
    """?lang=en names the layers and legend in English."""
    map_page.open(f"{app_url}/maps/coverage?lang=en")
    assert map_page.watch.problems() == []
    assert "Lit roads" in map_page.legend_text() and "Dark gaps" in map_page.legend_text()


def test_cemeteries_map_shows_tpu_roads_musala_and_plots_at_plot_zoom(
    app_url: str, map_page: MapPage
) -> None:
    """Two TPU, two access roads, two musala, twelve plots, drawn only once zoomed in."""
    map_page.open(f"{app_url}/maps/cemeteries")
    map_page.screenshot("cemeteries-served-id")
    assert map_page.watch.problems() == []
    assert map_page.layer_size("TPU (tempat pemakaman umum) (2)") == 2
    assert map_page.layer_size("Jalan akses TPU (2)") == 2
    assert map_page.layer_size("Musala (2)") == 2
    assert map_page.layer_size("Jangkauan jalan kaki 500 m") == 1  # the existing musala only
    assert map_page.layer_size("Lampu PJU di sekitar TPU") > 0
    assert map_page.layer_size("Petak makam") == 0  # not drawn at city zoom
    map_page.evaluate("map.setView([-3.439295, 114.81021], 19, {animate: false});")
    map_page.page.wait_for_timeout(300)
    assert map_page.layer_size("Petak makam") == 12
    map_page.page.mouse.click(640, 400)  # the plot at the centre of the view
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "TPU-01-A-1-1" in popup.inner_text() and "Tersedia" in popup.inner_text()
    map_page.screenshot("cemeteries-plots")


def test_cemetery_popup_gives_capacity_and_occupancy(app_url: str, map_page: MapPage) -> None:
    """Clicking a TPU shows its capacity and how full it is."""
    map_page.open(f"{app_url}/maps/cemeteries?lang=en")
    map_page.evaluate("map.setView([-3.4387, 114.8125], 18, {animate: false});")
    map_page.page.wait_for_timeout(300)
    map_page.page.mouse.click(640, 400)
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "TPU Guntung Lua" in text and "500 plots" in text and "4 / 12 (33.3 %)" in text
    assert "Public cemeteries" in map_page.legend_text() and "Impassable" in map_page.legend_text()
