"""`/maps/...` over HTTP: HTML, caching until the data changes, static assets, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geo_assets import mapdata
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from tests.webmaps.small_city import lamp_code

# Every test here asks the app (`client`) about the small city.
pytestmark = pytest.mark.usefixtures("city")


def test_map_is_cached_until_the_data_changes(client: TestClient, city: Engine) -> None:
    """A second request reuses the page; a new lamp event makes the next request rebuild it."""
    first = client.get("/maps/status")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    assert "/maps/static/vendor/leaflet/leaflet.js" in first.text
    cache = client.app.state.map_cache
    assert client.get("/maps/status").text == first.text and cache.builds == 1
    unchanged = client.get("/maps/status", headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    lamp_id = int(mapdata.read_lamps(city).set_index("code").loc[lamp_code(30), "id"])
    with city.begin() as connection:
        record_lamp_events(connection, [NewLampEvent(lamp_id, "out", "field", datetime.now(UTC))])
    changed = client.get("/maps/status")
    assert cache.builds == 2 and changed.headers["etag"] != first.headers["etag"]
    assert "Mati (6)" in changed.text


def test_languages_are_cached_apart(client: TestClient) -> None:
    """?lang=en is its own page; an unsupported language is a 422 problem."""
    assert "Street-light status" in client.get("/maps/status?lang=en").text
    assert "Status lampu PJU" in client.get("/maps/status").text
    bad = client.get("/maps/status?lang=fr")
    assert bad.status_code == 422


def test_static_assets_are_served(client: TestClient) -> None:
    """The vendored Leaflet and its licence are served from /maps/static."""
    script = client.get("/maps/static/vendor/leaflet/leaflet.js")
    assert script.status_code == 200 and "Leaflet" in script.text[:300]
    assert client.get("/maps/static/vendor/leaflet/LICENSE").status_code == 200
    assert client.get("/maps/static/vendor/nothing.js").status_code == 404
