"""The staff's work-order list `/workorders` in headless Chromium: overdue, assign, resolve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text

from geo_assets import workorders
from geo_assets.settings import Settings
from maps.browser import watch_page
from tests.field.phones import ARTIFACTS, Street
from tests.open311.builders import PASSWORD, add_user, lamp_events

pytestmark = pytest.mark.browser


def test_staff_assign_and_resolve(browser, app_url: str, street: Street, db_url: str) -> None:
    """Siti sees the overdue order first, gives it to Budi, resolves it as fixed: lamp working."""
    settings = Settings(database_url=db_url)
    now = datetime.now(UTC)
    with street.engine.begin() as conn:
        add_user(conn, "siti", "staff")
        late = workorders.open_order(
            conn,
            service_code="streetlight_out",
            source="open311",
            settings=settings,
            requested_at=now - timedelta(days=4),
            lamp_id=street.lamps["PJU-63.72.04-00002"],
        )
        workorders.open_order(
            conn,
            service_code="cemetery_road_damaged",
            source="open311",
            settings=settings,
            requested_at=now,
            address_string="Jl. Karang Anyar",
        )
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    watch = watch_page(page)
    page.goto(f"{app_url}/workorders")
    page.fill("#username", "siti")
    page.fill("#password", PASSWORD)
    page.click("#signin-button")
    first = page.locator("#orders tr").first
    first.wait_for()
    assert first.get_attribute("data-id") == str(late.id)
    assert "Terlambat" in first.inner_text() and "Baru" in first.inner_text()
    assert page.inner_text("#count") == "2 pekerjaan"
    first.locator("select").first.select_option("budi")
    first.locator("button.assign").click()
    page.locator(f'#orders tr[data-id="{late.id}"]', has_text="Ditugaskan").wait_for()
    row = page.locator(f'#orders tr[data-id="{late.id}"]')
    assert "budi" in row.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-workorders.png"), full_page=True)
    row.locator("select").nth(1).select_option("fixed")
    row.locator("button.resolve").click()
    page.locator("#message", has_text="Tersimpan").wait_for()
    page.locator(f'#orders tr[data-id="{late.id}"]').wait_for(state="detached")
    with street.engine.connect() as conn:
        state = conn.execute(
            text("SELECT work_state, status FROM service_request WHERE id = :i"), {"i": late.id}
        ).one()
        history = lamp_events(conn, street.lamps["PJU-63.72.04-00002"])
    assert tuple(state) == ("resolved", "closed")
    assert history[-1] == ("working", "staff")
    page.click("#lang")
    assert page.inner_text("h1") == "Repair work orders"
    assert watch.problems() == []
    context.close()


def test_sign_out_revokes_the_token(browser, app_url: str, street: Street) -> None:
    """'Keluar' on /workorders makes the token the page held answer 401 (not just forgotten)."""
    with street.engine.begin() as conn:
        add_user(conn, "siti", "staff")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{app_url}/workorders")
    page.fill("#username", "siti")
    page.fill("#password", PASSWORD)
    page.click("#signin-button")
    page.locator("#signout").wait_for(state="visible")
    token = page.evaluate("() => localStorage.getItem('ga.token')")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{app_url}/api/v1/auth/me", headers=headers).status_code == 200
    with page.expect_response("**/api/v1/auth/logout") as answer:
        page.click("#signout")
    assert answer.value.status == 204
    assert httpx.get(f"{app_url}/api/v1/auth/me", headers=headers).status_code == 401
    context.close()
