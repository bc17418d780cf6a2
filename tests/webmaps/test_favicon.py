"""`/favicon.ico`: the icon browsers ask for on every page is the project's own, not a 404.

The page here is not routed through `maps.browser.watch_page`: Playwright fails favicon requests
of pages whose requests it intercepts, so the icon could not load under the watch. Tiles, the one
thing a map loads from outside, fail offline here and are left out of the console check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maps.browser import is_tile

pytestmark = pytest.mark.browser

ICON = Path(__file__).resolve().parents[2] / "api" / "static" / "favicon.ico"

# Loads the icon as the page's own <img> would and answers its decoded size (or the failure).
LOAD_ICON = """() => new Promise(resolve => {
    const image = new Image();
    image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
    image.onerror = () => resolve('failed to load /favicon.ico');
    image.src = '/favicon.ico';
})"""


@pytest.fixture
def plain_page(browser: Any) -> Iterator[Any]:
    """A page whose requests go straight to the network (no interception)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_map_page_loads_the_project_favicon(app_url: str, plain_page: Any) -> None:
    """On the status map, Chromium loads and decodes /favicon.ico: no 404, no console error."""
    errors: list[str] = []
    plain_page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not is_tile(m.location.get("url", ""))
            and errors.append(f"{m.text} @ {m.location.get('url', '')}")
        ),
    )
    plain_page.goto(f"{app_url}/maps/status")
    plain_page.wait_for_load_state("networkidle")
    assert plain_page.evaluate(LOAD_ICON) == [48, 48]  # the largest of its 16, 32 and 48 px
    assert errors == []
    response = plain_page.goto(f"{app_url}/favicon.ico")
    assert response is not None and response.status == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body() == ICON.read_bytes()
