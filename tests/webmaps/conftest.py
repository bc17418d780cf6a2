"""Fixtures of the map tests: the small city in a fresh database, the app on a free port, pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from geo_assets.settings import Settings
from maps.browser import watch_page
from tests.api.live_server import live_server
from tests.webmaps.map_pages import MapPage
from tests.webmaps.small_city import load_small_city


@pytest.fixture
def city_url(engine: Engine, db_url: str) -> str:
    """This test's database, holding the small city."""
    load_small_city(engine)
    return db_url


@pytest.fixture
def app_url(city: Engine, db_url: str) -> Iterator[str]:
    """The app serving the small city."""
    with live_server(Settings(database_url=db_url)) as url:
        yield url


@pytest.fixture
def seeded_app_url(seeded_url: str) -> Iterator[str]:
    """The app serving the full 14,000-lamp sample city."""
    with live_server(Settings(database_url=seeded_url)) as url:
        yield url


@pytest.fixture
def map_page(browser) -> Iterator[MapPage]:
    """A fresh 1280x800 page whose requests are watched (see maps.browser)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield MapPage(page, watch_page(page))
    context.close()
