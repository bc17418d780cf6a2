"""The field page's sign-out revokes the token on the server, and a throttled sign-in says how
long to wait."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.field.phones import Phone
from tests.open311.builders import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(phone: Phone, url: str, password: str = PASSWORD) -> None:
    page = phone.page
    page.goto(f"{url}/field")
    page.fill("#username", "budi")
    page.fill("#password", password)
    page.click("#signin-button")


def test_sign_out_button_revokes_the_token(phone: Phone, app_url: str) -> None:
    """After 'Keluar' the token the page held gets 401 from the API (not just forgotten)."""
    _sign_in(phone, app_url)
    phone.page.locator("#app").wait_for(state="visible")
    token = phone.page.evaluate("() => localStorage.getItem('ga.token')")
    me = f"{app_url}/api/v1/auth/me"
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(me, headers=headers).status_code == 200
    with phone.page.expect_response("**/api/v1/auth/logout") as answer:
        phone.page.click("#signout")
    assert answer.value.status == 204
    assert httpx.get(me, headers=headers).status_code == 401
    assert phone.page.evaluate("() => localStorage.getItem('ga.token')") is None


def test_throttled_sign_in_says_how_long_to_wait(phone: Phone, app_url: str) -> None:
    """After too many wrong passwords the page says, in Indonesian, how many seconds to wait
    (the server's Retry-After), not a bare error."""
    error = phone.page.locator("#signin-error")
    for _ in range(5):
        _sign_in(phone, app_url, "wrong-password")
        error.wait_for(state="visible")
    _sign_in(phone, app_url)
    phone.page.wait_for_function(
        "() => document.querySelector('#signin-error').textContent.includes('tunggu')"
    )
    assert re.search(r"tunggu \d+ detik", error.inner_text()), error.inner_text()
    assert phone.page.locator("#app").is_hidden()
