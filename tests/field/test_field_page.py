"""The crews' page `/field` in headless Chromium on a phone: reports, offline queue, my work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import text

from geo_assets import workorders
from geo_assets.auth import Account
from geo_assets.settings import Settings
from tests.field.phones import Phone, Street
from tests.open311.builders import PASSWORD

pytestmark = pytest.mark.browser
A, B, C, D = (f"PJU-63.72.04-0000{n}" for n in range(1, 5))


def _photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1280, 960), (30, 60, 90)).save(out, "JPEG")
    return out.getvalue()


def _sign_in(phone: Phone, url: str) -> None:
    page = phone.page
    page.goto(f"{url}/field")
    page.fill("#username", "budi")
    page.fill("#password", PASSWORD)
    page.click("#signin-button")
    page.locator("#app").wait_for(state="visible")


def _locate(phone: Phone) -> list[str]:
    phone.page.click("#locate")
    phone.page.locator(f'#lamps [data-lamp="{A}"]').wait_for()
    _settled(phone)
    return phone.page.locator("#lamps .row").all_inner_texts()


def _mark(phone: Phone, code: str, status: str, note: str = "", photo: bool = False) -> None:
    page = phone.page
    page.click('[data-tab="lamps"]')
    page.locator(f'#lamps [data-lamp="{code}"]').click()
    page.locator("#report").wait_for(state="visible")
    if note:
        page.fill("#note", note)
    if photo:
        page.set_input_files(
            "#photo", files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
        )
    page.click(f'#report .status[data-status="{status}"]')
    page.locator("#report").wait_for(state="hidden")


def _queued(phone: Phone, code: str, state: str) -> str:
    phone.page.click('[data-tab="queue"]')
    item = phone.page.locator(f'#queue li[data-state="{state}"]', has_text=code)
    item.wait_for(timeout=20_000)
    return item.inner_text()


def _history_shows_photo(phone: Phone, code: str) -> None:
    """Open the lamp again: its history's newest entry is 'Mati' by budi, with the photo."""
    page = phone.page
    page.click('[data-tab="lamps"]')
    page.locator(f'#lamps [data-lamp="{code}"]').click()
    thumb = page.locator("#history img.thumb").first
    thumb.wait_for()
    page.wait_for_function("() => document.querySelector('#history img.thumb').naturalWidth > 0")
    assert page.locator("#history li").first.inner_text().startswith("Mati")
    assert "budi" in page.locator("#history li").first.inner_text()
    phone.screenshot("lamp-history")
    page.click("#report-close")
    page.locator("#report").wait_for(state="hidden")


def _settled(phone: Phone) -> None:
    phone.page.locator("body:not([data-loading])").wait_for()


def _field_events(street: Street) -> list[tuple]:
    with street.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT l.code, e.to_status, e.actor, e.note, e.photo IS NOT NULL "
                    "FROM lamp_event e "
                    "JOIN lamp l ON l.id = e.lamp_id WHERE e.source = 'field' ORDER BY e.id"
                )
            )
        ]


def test_report_online_then_offline_then_sent_once(
    phone: Phone, app_url: str, street: Street
) -> None:
    """Budi marks lamp A out with a photo, goes offline, marks B damaged: pending, then sent."""
    _sign_in(phone, app_url)
    rows = _locate(phone)
    assert rows[0].split("\n")[:3] == ["0 m", A, "Menyala"]
    assert [row.split("\n")[1] for row in rows] == [A, B, C, D]
    _mark(phone, A, "out", photo=True)
    assert "Terkirim" in _queued(phone, A, "sent")
    _settled(phone)  # the lists are refreshed after sending; then the signal drops
    _history_shows_photo(phone, A)

    phone.context.set_offline(True)
    phone.page.locator("#net", has_text="Luring").wait_for()
    _mark(phone, B, "damaged", note="Tiang miring ke jalan")
    assert "Menunggu" in _queued(phone, B, "pending")
    assert phone.page.inner_text("#pending-count") == "1 menunggu"
    phone.screenshot("offline-pending")
    assert _field_events(street) == [(A, "out", "budi", None, True)]

    phone.context.set_offline(False)
    assert "Terkirim" in _queued(phone, B, "sent")
    phone.page.locator("#pending-count").wait_for(state="hidden")
    phone.screenshot("back-online-sent")
    assert _field_events(street) == [
        (A, "out", "budi", None, True),
        (B, "damaged", "budi", "Tiang miring ke jalan", False),
    ]
    with street.engine.connect() as conn:
        orders = conn.execute(
            text("SELECT count(*) FROM service_request WHERE source = 'field'")
        ).scalar_one()
    assert orders == 2
    assert phone.watch.problems() == []


def test_lost_answer_is_retried_without_a_second_event(
    phone: Phone, app_url: str, street: Street
) -> None:
    """The server records a report but the phone never hears back: the retry records nothing new."""
    _sign_in(phone, app_url)
    _locate(phone)
    lost = []

    def lose_first_answer(route) -> None:
        if not lost:
            lost.append(route.fetch().status)  # the server handles it ...
            route.abort("connectionreset")  # ... and the answer is lost on the way back
        else:
            route.continue_()

    phone.page.route("**/field/api/lamps/*/events", lose_first_answer)
    with phone.page.expect_event("requestfailed", lambda r: "/field/api/lamps/" in r.url):
        _mark(phone, C, "out")
    assert lost == [201]
    assert "Menunggu" in _queued(phone, C, "pending")
    assert _field_events(street) == [(C, "out", "budi", None, False)]
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    assert "Terkirim" in _queued(phone, C, "sent")
    assert _field_events(street) == [(C, "out", "budi", None, False)]
    problems = [
        p
        for p in phone.watch.problems()
        if "/field/api/lamps/" not in p and "ERR_CONNECTION_RESET" not in p
    ]
    assert problems == []


def test_my_work_orders_nearest_first_with_overdue(
    phone: Phone, app_url: str, street: Street, db_url: str
) -> None:
    """'Pekerjaan saya' lists Budi's open orders nearest first, due time shown, overdue marked."""
    settings = Settings(database_url=db_url)
    now = datetime.now(UTC)
    with street.engine.begin() as conn:
        staff = Account(id=0, username="siti", role="staff", full_name=None, is_active=True)
        for code, age in ((D, timedelta(hours=1)), (C, timedelta(days=5))):
            lamp = street.lamps[code]
            order = workorders.open_order(
                conn,
                service_code="streetlight_out",
                source="open311",
                settings=settings,
                requested_at=now - age,
                lamp_id=lamp,
                lon=None,
                lat=None,
            )
            workorders.assign_work_order(conn, work_order_id=order.id, assignee="budi", actor=staff)
    _sign_in(phone, app_url)
    _locate(phone)
    phone.page.click('[data-tab="orders"]')
    rows = phone.page.locator("#orders .row")
    rows.first.wait_for()
    texts = rows.all_inner_texts()
    assert C in texts[0] and D in texts[1]
    assert "Terlambat" in texts[0] and "Terlambat" not in texts[1]
    assert "Batas" in texts[1] and "WITA" in texts[1]
    phone.screenshot("my-work-orders")
    phone.page.click("#lang")
    assert phone.page.inner_text('[data-tab="orders"]') == "My work orders"
    assert "Overdue" in rows.first.inner_text()
    assert phone.watch.problems() == []


def test_page_reloads_without_signal(phone: Phone, app_url: str, street: Street) -> None:
    """Reloaded in a dead spot, the page still opens from its kept files and queues a report."""
    _sign_in(phone, app_url)
    _locate(phone)
    phone.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    phone.page.reload()
    phone.page.locator("#app").wait_for(state="visible")
    phone.page.locator("#net", has_text="Luring").wait_for()
    _mark(phone, D, "out", note="Dilaporkan dari tempat tanpa sinyal")
    assert "Menunggu" in _queued(phone, D, "pending")
    assert _field_events(street) == []
    phone.context.set_offline(False)
    assert "Terkirim" in _queued(phone, D, "sent")
    assert _field_events(street) == [
        (D, "out", "budi", "Dilaporkan dari tempat tanpa sinyal", False)
    ]
    assert phone.watch.problems() == []
