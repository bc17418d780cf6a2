"""The app on a free port with a street of lamps and a crew member, and a phone to open it on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from geo_assets.settings import Settings
from maps.browser import watch_page
from tests.api.live_server import live_server
from tests.factories import add_road, line
from tests.field.phones import PHONE, Phone, Street
from tests.open311.builders import add_lamp, add_user, lonlat


@pytest.fixture
def street(engine: Engine) -> Street:
    """Jl. Mistar Cokrokusumo with lamps A (origin), B (35 m), C (80 m), D (400 m); crew budi."""
    with engine.begin() as conn:
        offsets = {
            "PJU-63.72.04-00001": 0,
            "PJU-63.72.04-00002": 35,
            "PJU-63.72.04-00003": 80,
            "PJU-63.72.04-00004": 400,
        }
        lamps = {code: add_lamp(conn, int(code[-5:]), dx) for code, dx in offsets.items()}
        west, east = lonlat(conn, -200), lonlat(conn, 600)
        add_road(conn, code="JL-0001", name="Jl. Mistar Cokrokusumo", geom=line(west, east))
        add_user(conn, "budi", "crew")
        lon, lat = lonlat(conn, 0)
    return Street(engine, lamps, lon, lat)


@pytest.fixture
def app_url(street: Street, db_url: str, tmp_path: Path) -> Iterator[str]:
    """The app (uvicorn, in a thread, on a free loopback port) on the street's database."""
    with live_server(Settings(database_url=db_url, media_dir=tmp_path / "media")) as url:
        yield url


@pytest.fixture
def phone(browser, street: Street) -> Iterator[Phone]:
    """A phone viewport with GPS allowed and placed at lamp A."""
    context = browser.new_context(
        **PHONE,
        geolocation={"longitude": street.lon, "latitude": street.lat, "accuracy": 8},
        permissions=["geolocation"],
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    page = context.new_page()
    yield Phone(context, page, watch_page(page))
    context.close()
