"""`/maps/...` over HTTP: HTML, caching until the data changes, static assets, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import Engine

from geo_assets import mapdata
from geo_assets.database import session_scope
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models import Lamp
from tests.api.api_helpers import make_client
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


def _add_lamps(engine: Engine, count: int) -> None:
    """`count` more working lamps on the arterial, beside the small city's."""
    with session_scope(engine) as session:
        road_id = session.query(Lamp.road_id).filter(Lamp.code == lamp_code(1)).scalar()
        session.add_all(
            Lamp(
                code=lamp_code(1000 + n),
                road_id=road_id,
                lamp_type="led",
                wattage=60,
                pole_height_m=9,
                geom=from_shape(Point(114.815 + 0.00005 * n, -3.4401), srid=4326),
            )
            for n in range(count)
        )


def test_large_city_page_does_not_grow_with_its_lamps(city: Engine, db_url: str) -> None:
    """Above the threshold 300 more lamps change the page's counts, not its size."""
    with make_client(db_url, map_tile_threshold=10) as client:
        before = client.get("/maps/status")
        assert "Lampu PJU (60)" in before.text and lamp_code(1) not in before.text
        _add_lamps(city, 300)
        after = client.get("/maps/status")
    assert "Lampu PJU (360)" in after.text
    assert abs(len(after.content) - len(before.content)) < 20


def test_status_page_embeds_every_lamp_up_to_the_threshold(city: Engine, db_url: str) -> None:
    """At exactly the threshold (60 lamps, threshold 60) the page embeds the lamps as before."""
    with make_client(db_url, map_tile_threshold=60) as client:
        page = client.get("/maps/status").text
    assert "decodeLamps(" in page and "lampTileLayer" not in page


def test_lamp_search_finds_codes_and_refuses_bad_queries(client: TestClient) -> None:
    """/maps/lamps lists the lamps whose code contains q; an empty or huge q is a 422 problem."""
    found = client.get("/maps/lamps", params={"q": "00042"}).json()["lamps"]
    assert [lamp["code"] for lamp in found] == [lamp_code(42)]
    assert found[0]["status"] == "working" and found[0]["lon"] == pytest.approx(114.8126)
    many = client.get("/maps/lamps", params={"q": "pju-63.72.04-0000"}).json()["lamps"]
    assert [lamp["code"] for lamp in many] == [lamp_code(n) for n in range(1, 9)]
    assert client.get("/maps/lamps", params={"q": "%"}).json() == {"lamps": []}
    for bad in ("", "x" * 65):
        answer = client.get("/maps/lamps", params={"q": bad})
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"
