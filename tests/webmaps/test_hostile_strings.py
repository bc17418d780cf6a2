"""Names set through the API to `<img src=x onerror=…>` show as text on every map and page.

A road, kelurahan, kecamatan, cemetery (and its manager), block, access road (and its planned
work) and prayer room are renamed through the API by staff, and a crew writes a lamp event's
note; then real headless Chromium hovers and opens every feature of every map, and opens
/field, /workorders and the SPM report. No script of theirs runs (`window.__pwned` stays
undefined), no element of theirs appears, and the names read as the characters they are.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from geo_assets.settings import Settings
from tests.api.live_server import live_server
from tests.webmaps.hostile import HOSTILE, NOTE, build_hostile_city, sign_in, spoil
from tests.webmaps.map_pages import MapPage

pytestmark = pytest.mark.browser

# Hover every feature (as the mouse does: the event reaches the layer's tooltip through its
# group), then click it, and keep what each tooltip and popup shows.
OPEN_EVERY_DETAIL = """
const seen = [];
const read = () => document.querySelectorAll('.leaflet-tooltip, .leaflet-popup-content')
    .forEach((e) => seen.push(e.innerText));
const features = [];
map.eachLayer((layer) => { if (layer.feature) features.push(layer); });
for (const layer of features) {
  const at = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
  layer.fire('mouseover', {latlng: at}, true);
  read();
  layer.fire('mouseout', {latlng: at}, true);
  layer.fire('click', {latlng: at}, true);
  read();
  map.closePopup();
}
return seen;
"""


@pytest.fixture
def hostile_url(engine: Engine, db_url: str) -> Iterator[str]:
    """The app on a small city whose names were made hostile through its own API."""
    build_hostile_city(engine)
    with live_server(Settings(database_url=db_url)) as url:
        spoil(url)
        yield url


def _not_run(page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator('img[src="x"]').count() == 0


def _details(map_page: MapPage, url: str) -> str:
    map_page.open(url)
    shown = "\n".join(map_page.evaluate(OPEN_EVERY_DETAIL))
    map_page.page.wait_for_timeout(300)  # an injected image's error handler would have run
    _not_run(map_page.page)
    return shown


def test_status_map_hover_shows_a_hostile_road_name_as_text(
    hostile_url: str, map_page: MapPage
) -> None:
    """Hovering the renamed road on /maps/status with the mouse shows its name; nothing runs."""
    map_page.open(f"{hostile_url}/maps/status")
    # Between lamps 2 and 4 on Jl. 1 (y -3.44), away from every lamp marker.
    map_page.evaluate("map.setView([-3.44, 114.845], 17, {animate: false});")
    map_page.page.wait_for_timeout(300)
    point = map_page.evaluate(
        "const p = map.latLngToContainerPoint([-3.44, 114.845]);"
        " const box = map.getContainer().getBoundingClientRect();"
        " return [box.left + p.x, box.top + p.y];"
    )
    for dy in range(12, -1, -2):  # the mouse comes in across the road
        map_page.page.mouse.move(point[0], point[1] + dy)
        map_page.page.wait_for_timeout(50)
    tooltip = map_page.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    map_page.page.wait_for_timeout(300)
    assert f"Jl. {HOSTILE} road" in tooltip.inner_text()
    _not_run(map_page.page)


def test_status_map_every_tooltip_and_popup_shows_hostile_names_as_text(
    hostile_url: str, map_page: MapPage
) -> None:
    """Every feature of /maps/status hovered and clicked, and a lamp found by the search box:
    road and kelurahan names are text in tooltips and in the lamp's popup."""
    shown = _details(map_page, f"{hostile_url}/maps/status")
    assert f"Jl. {HOSTILE} road" in shown
    assert f"Kel {HOSTILE}" in shown
    box = map_page.page.locator(".ga-search input")
    box.fill("PJU-63.72.04-00001")
    box.press("Enter")
    popup = map_page.page.locator(".leaflet-popup-content")
    popup.wait_for()
    map_page.page.wait_for_timeout(300)
    assert f"Jl. {HOSTILE} road" in popup.inner_text()
    assert f"Kel {HOSTILE}" in popup.inner_text()
    _not_run(map_page.page)


def test_coverage_map_shows_hostile_names_as_text(hostile_url: str, map_page: MapPage) -> None:
    """/maps/coverage: the road's segments and the kelurahan's coverage show names as text."""
    shown = _details(map_page, f"{hostile_url}/maps/coverage")
    assert f"Jl. {HOSTILE} road" in shown
    assert f"Kel {HOSTILE}" in shown


def test_cemeteries_map_shows_hostile_names_as_text(hostile_url: str, map_page: MapPage) -> None:
    """/maps/cemeteries: cemetery, manager, access road, its work and musala names are text."""
    shown = _details(map_page, f"{hostile_url}/maps/cemeteries")
    for expected in (
        f"TPU {HOSTILE}",
        f"Pak {HOSTILE}",
        f"Akses {HOSTILE}",
        f"Aspal {HOSTILE}",
        f"Musala {HOSTILE}",
    ):
        assert expected in shown


def _signed_in_page(browser, url: str, role: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    with httpx.Client(base_url=url) as client:
        token = sign_in(client, role)["Authorization"].removeprefix("Bearer ")
    context.add_init_script(f"localStorage.setItem('ga.token', {token!r});")
    return context, context.new_page()


def test_field_history_shows_a_hostile_note_as_text(hostile_url: str, browser) -> None:
    """/field: the lamp's history shows the crew's hostile note as text; nothing runs."""
    context, page = _signed_in_page(browser, hostile_url, "staff")
    try:
        page.goto(f"{hostile_url}/field")
        page.locator("#app").wait_for(state="visible")
        page.evaluate("() => window.FieldApp.state")  # the page is up
        page.locator("#map").click(position={"x": 150, "y": 100})  # a tap sets the position
        page.locator("#lamps .row").first.wait_for()
        page.locator('#lamps [data-lamp="PJU-63.72.04-00001"]').click()
        entry = page.locator("#history li").first
        entry.wait_for()
        page.wait_for_timeout(300)
        assert NOTE in entry.inner_text()
        _not_run(page)
    finally:
        context.close()


def test_workorders_page_shows_a_hostile_address_as_text(
    hostile_url: str, engine: Engine, browser
) -> None:
    """/workorders: a resident's hostile address from Open311 is listed as text; nothing runs."""
    from tests.open311.builders import new_api_key

    with httpx.Client(base_url=hostile_url) as client:
        answer = client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": new_api_key(engine),
                "service_code": "streetlight_out",
                "address_string": f"Jl. {HOSTILE} alamat",
                "description": f"Lampu {HOSTILE}",
            },
        )
        assert answer.status_code in (200, 201), answer.text
    context, page = _signed_in_page(browser, hostile_url, "staff")
    try:
        page.goto(f"{hostile_url}/workorders")
        row = page.locator("#orders tr", has_text="alamat").first
        row.wait_for()
        page.wait_for_timeout(300)
        assert f"Jl. {HOSTILE} alamat" in row.inner_text()
        _not_run(page)
    finally:
        context.close()


def test_spm_report_shows_a_hostile_kecamatan_name_as_text(hostile_url: str, browser) -> None:
    """The SPM report's HTML shows the hostile kecamatan name as text (table and chart)."""
    context = browser.new_context()
    with httpx.Client(base_url=hostile_url) as client:
        context.set_extra_http_headers(sign_in(client, "staff"))
    page = context.new_page()
    try:
        response = page.goto(f"{hostile_url}/api/v1/reports/spm?year=2025&quarter=1&format=html")
        assert response is not None and response.status == 200
        page.wait_for_timeout(300)
        assert f"Kec {HOSTILE}" in page.locator("table").first.inner_text()
        _not_run(page)
    finally:
        context.close()
