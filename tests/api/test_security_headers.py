"""Security headers on every response, and pages that still work under their policy.

Every answer (API JSON, problems, pages, static files) carries a Content-Security-Policy with no
inline script allowed except by hash, `frame-ancestors 'none'`, nosniff, Referrer-Policy and
X-Frame-Options. Then real headless Chromium opens the three maps, /field, /workorders, /docs
and the SPM report and uses them: each renders, and the browser reports no policy violation.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geo_assets.settings import Settings
from maps.browser import watch_page
from tests.api.live_server import live_server
from tests.webmaps.hostile import build_hostile_city, sign_in
from tests.webmaps.map_pages import MapPage

PATHS = (
    "/health",
    "/api/v1/lamps",
    "/api/v1/lamps/99999",  # a problem+json 404
    "/api/v1/lamps/1/events",
    "/openapi.json",
    "/docs",
    "/field",
    "/field/static/field.js",
    "/workorders",
    "/maps/status",
    "/maps/static/geo_assets/maps.js",
    "/open311/v2/services.xml",
)
# Collects every violation the browser reports, from before the page's own scripts run.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
    `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    """CSP (no inline script, no framing), nosniff, Referrer-Policy and X-Frame-Options."""
    response = client.get(path)
    assert response.status_code < 500, response.text
    policy = _directives(response.headers["Content-Security-Policy"])
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert "'self'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert {"'self'", "data:", "blob:", "https://tile.openstreetmap.org"} <= set(policy["img-src"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Maps send their origin (only) to the tile server, as OpenStreetMap's tile policy asks.
    referrer = "strict-origin" if path.startswith("/maps/status") else "no-referrer"
    assert response.headers["Referrer-Policy"] == referrer
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_map_allows_exactly_its_own_inline_scripts(client: TestClient) -> None:
    """The map's policy lists the sha256 of each inline script it carries, and nothing else."""
    response = client.get("/maps/status")
    policy = _directives(response.headers["Content-Security-Policy"])
    bodies = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert bodies
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in bodies
    }
    assert {s for s in policy["script-src"] if s.startswith("'sha256-")} == expected
    again = client.get("/maps/status", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == response.headers["Content-Security-Policy"]


@pytest.fixture
def served(engine: Engine, db_url: str) -> Iterator[str]:
    """The app, in uvicorn on a free port, on the small city with one user per role."""
    build_hostile_city(engine)
    with live_server(Settings(database_url=db_url)) as url:
        yield url


def _page(browser, url: str, role: str | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    if role:
        with httpx.Client(base_url=url) as client:
            token = sign_in(client, role)["Authorization"].removeprefix("Bearer ")
        context.add_init_script(f"localStorage.setItem('ga.token', {token!r});")
    page = context.new_page()
    watch = watch_page(page)
    page.on(
        "response",
        lambda r: (
            r.request.resource_type == "document"
            and watch.requests.append(f"policy: {r.headers.get('content-security-policy')}")
        ),
    )
    return context, page, watch


def _clean(page, watch) -> None:
    """The page came with a policy (no inline script), and the browser reported no violation."""
    page.wait_for_timeout(300)
    policies = [r.removeprefix("policy: ") for r in watch.requests if r.startswith("policy: ")]
    assert policies and all(p != "None" for p in policies), policies
    assert all("'unsafe-inline'" not in _directives(p)["script-src"] for p in policies)
    assert page.evaluate("() => window.__violations") == []
    assert watch.problems() == []


def _open_the_measuring_tool(page) -> None:
    """Open the measuring tool: its templates (compiled ahead of time, no eval) render."""
    page.locator(".leaflet-control-measure").hover()
    page.locator(".leaflet-control-measure .js-start").click()
    page.locator(".leaflet-control-measure .js-starthelp").wait_for()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["status", "coverage", "cemeteries"])
def test_maps_work_under_their_policy(served: str, browser, name: str) -> None:
    """Each map draws its layers, legend, controls and tooltips with no policy violation."""
    context, page, watch = _page(browser, served)
    try:
        map_page = MapPage(page, watch)
        map_page.open(f"{served}/maps/{name}")
        page.locator(".ga-legend").wait_for()
        page.locator(".leaflet-control-measure").wait_for()
        page.locator(".leaflet-control-minimap").wait_for()
        shown = map_page.evaluate(
            "let n = 0; map.eachLayer((l) => { if (l.feature && n < 3) {"
            " l.fire('mouseover', {latlng: l.getBounds ? l.getBounds().getCenter()"
            " : l.getLatLng()}, true); n++; } });"
            " return document.querySelectorAll('.leaflet-tooltip').length;"
        )
        assert shown >= 1
        _open_the_measuring_tool(page)
        _clean(page, watch)
    finally:
        context.close()


@pytest.mark.browser
def test_field_page_works_under_its_policy(served: str, browser) -> None:
    """/field signed in: lamps near a tapped point, a lamp's history; no policy violation."""
    context, page, watch = _page(browser, served, "staff")
    try:
        page.goto(f"{served}/field")
        page.locator("#app").wait_for(state="visible")
        page.locator("#map").click(position={"x": 150, "y": 100})
        page.locator('#lamps [data-lamp="PJU-63.72.04-00001"]').click()
        page.locator("#history li").first.wait_for()
        _clean(page, watch)
    finally:
        context.close()


@pytest.mark.browser
def test_workorders_page_works_under_its_policy(served: str, browser) -> None:
    """/workorders signed in as staff lists the work orders; no policy violation."""
    context, page, watch = _page(browser, served, "staff")
    try:
        page.goto(f"{served}/workorders")
        page.locator("#count").filter(has_text=re.compile(r"\d")).wait_for()
        _clean(page, watch)
    finally:
        context.close()


@pytest.mark.browser
def test_swagger_ui_works_under_its_policy(served: str, browser) -> None:
    """/docs renders every operation and expands one; no policy violation."""
    context, page, watch = _page(browser, served)
    try:
        page.goto(f"{served}/docs")
        page.locator(".opblock").first.wait_for()
        assert page.locator(".opblock").count() > 50
        page.locator(".opblock-summary").first.click()
        page.locator(".opblock-body").first.wait_for()
        _clean(page, watch)
    finally:
        context.close()


@pytest.mark.browser
def test_spm_report_works_under_its_policy(served: str, browser) -> None:
    """The SPM report's HTML shows its tables and charts; no policy violation."""
    context, page, watch = _page(browser, served)
    with httpx.Client(base_url=served) as client:
        context.set_extra_http_headers(sign_in(client, "staff"))
    try:
        page.goto(f"{served}/api/v1/reports/spm?year=2025&quarter=1&format=html")
        page.locator("figure svg").first.wait_for()
        _clean(page, watch)
    finally:
        context.close()


INJECT = """() => document.body.insertAdjacentHTML(
    'beforeend', '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>')"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/maps/status", "/field", "/docs"])
def test_an_injected_inline_script_is_blocked_by_the_policy(
    served: str, browser, path: str
) -> None:
    """Markup slipped into a page cannot run: its inline handler is refused by the policy."""
    context, page, watch = _page(browser, served)
    try:
        page.goto(f"{served}{path}")
        page.wait_for_load_state("networkidle")
        page.evaluate(INJECT)
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None
        assert any("script-src" in v for v in page.evaluate("() => window.__violations"))
    finally:
        context.close()
