"""Open311 and work orders on the seeded 14,000-lamp Banjarbaru: its history reads back per spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets.settings import Settings
from tests.open311.builders import new_api_key
from tests.open311.test_spec import REQUEST_FIELDS

BASE = "/open311/v2"


@pytest.fixture
def city_client(seeded_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app on this test's copy of the seeded city."""
    settings = Settings(database_url=seeded_url, media_dir=tmp_path / "media")
    with TestClient(create_app(settings)) as client:
        yield client


def test_seeded_history_reads_back_per_spec(city_client: TestClient) -> None:
    """December 2024's requests come back with the spec's fields; duplicates name their original."""
    found = city_client.get(
        f"{BASE}/requests.json",
        params={"start_date": "2024-12-01T00:00:00+08:00", "end_date": "2024-12-31T23:59:59+08:00"},
    )
    requests = found.json()
    assert found.status_code == 200 and requests
    assert all(list(r) == REQUEST_FIELDS for r in requests)
    assert {r["status"] for r in requests} <= {"open", "closed"}
    merged = [r for r in requests if "#" in (r["service_notice"] or "")]
    for request in merged[:5]:
        original = request["service_notice"].split("#")[1].split()[0]
        assert city_client.get(f"{BASE}/requests/{original}.json").status_code == 200


def test_new_report_on_the_seeded_city(city_client: TestClient, seeded_engine: Engine) -> None:
    """A report next to a working seeded lamp gets a fresh id, is linked to it and turns it out."""
    with seeded_engine.connect() as conn:
        lamp = conn.execute(
            text(
                "SELECT l.id, l.code, ST_X(l.geom) AS lon, ST_Y(l.geom) AS lat FROM lamp l "
                "WHERE l.status = 'working' AND NOT EXISTS (SELECT 1 FROM service_request r "
                "WHERE r.lamp_id = l.id) ORDER BY l.id LIMIT 1"
            )
        ).one()
        highest = conn.execute(text("SELECT max(id) FROM service_request")).scalar_one()
    response = city_client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": new_api_key(seeded_engine),
            "service_code": "streetlight_out",
            "lat": str(lamp.lat + 0.0001),
            "long": str(lamp.lon),
        },
    )
    [receipt] = response.json()
    assert receipt["service_request_id"] > highest
    assert lamp.code in receipt["service_notice"]
    with seeded_engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM lamp WHERE id = :i"), {"i": lamp.id}
        ).scalar_one()
    assert status == "out"
