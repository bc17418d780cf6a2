"""Bad input: each answered with a 4xx problem a person can act on, and nothing stored changes."""

from __future__ import annotations

import pytest
from api_helpers import make_client, snapshot
from fastapi.testclient import TestClient
from sqlalchemy import Engine

PROBLEM = "application/problem+json"
LAMP = {"code": "PJU-63.72.04-00050", "lamp_type": "led", "wattage": 40, "pole_height_m": 7}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [
            [114.830, -3.440],
            [114.832, -3.438],
            [114.832, -3.440],
            [114.830, -3.438],
            [114.830, -3.440],
        ]
    ],
}


def lamp_at(geometry: object, **properties: object) -> dict:
    """A lamp Feature body."""
    return {"type": "Feature", "geometry": geometry, "properties": {**LAMP, **properties}}


def point(lon: float, lat: float) -> dict:
    """A GeoJSON Point."""
    return {"type": "Point", "coordinates": [lon, lat]}


READS = [
    ("/api/v1/lamps?bbox=114.8,-3.5,114.9", 422, "4 comma-separated numbers"),
    ("/api/v1/lamps?bbox=114.8,abc,114.9,-3.4", 422, "y0 (south latitude) 'abc'"),
    ("/api/v1/lamps?bbox=114.9,-3.5,114.8,-3.4", 422, "x0 (west)"),
    ("/api/v1/lamps?bbox=114.8,-3.5,114.9,95", 422, "y1 (north latitude) 95.0 is outside"),
    ("/api/v1/lamps?status=burning", 422, "Allowed: working, out, damaged"),
    ("/api/v1/plots?status=full", 422, "Allowed: available, reserved, occupied, unusable"),
    ("/api/v1/lamps?near=114.8", 422, "lon,lat"),
    ("/api/v1/lamps?near=114.8,-3.4&radius_m=-5", 422, "radius_m"),
    ("/api/v1/lamps?limit=0", 422, "limit"),
    ("/api/v1/lamps?offset=-1", 422, "offset"),
    ("/api/v1/lamps?wattage=many", 422, "wattage"),
    ("/api/v1/lamps?wattage=99999999999999999999", 422, "out of range"),
    ("/api/v1/lamps?offset=100000000000000000000", 422, "offset"),
    ("/api/v1/lamps/nearest?lon=114.8", 422, "lat"),
    ("/api/v1/audit?action=drop", 422, "Allowed: insert, update, delete, bulk"),
    ("/api/v1/nothing-here", 404, "/docs"),
    ("/api/v1/lamps/PJU-63.72.04-77777", 404, "PJU-63.72.04-77777"),
]


@pytest.mark.parametrize(("path", "status", "says"), READS)
def test_bad_reads_are_problems(
    client: TestClient, login, path: str, status: int, says: str
) -> None:
    """Malformed list parameters and unknown paths get a 4xx problem naming the fault."""
    response = client.get(path, headers=login("admin"))
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and says in body["detail"], body["detail"]
    assert "Traceback" not in response.text


WRITES = [
    ("not json", 422, "JSON"),
    ({"type": "Feature", "properties": LAMP}, 422, "geometry"),
    (lamp_at({"type": "Point"}), 422, "coordinates"),
    (lamp_at({"type": "Circle", "coordinates": [114.83, -3.44]}), 422, "unknown geometry type"),
    (lamp_at({"type": "Point", "coordinates": [114.83]}), 422, "[lon, lat]"),
    (lamp_at({"type": "Point", "coordinates": [[114.83, -3.44]]}), 422, "nested as [lon, lat]"),
    (lamp_at(point(114.83, -3.44), road_id=99_999_999_999), 422, "out of range"),
    (
        lamp_at({"type": "LineString", "coordinates": [[114.83, -3.44], [114.84, -3.44]]}),
        422,
        "needs a Point",
    ),
    (lamp_at(point(-3.4402, 114.8301)), 422, "coordinates look swapped"),
    (lamp_at(point(200.0, 10.0)), 422, "is not a lon/lat position"),
    (lamp_at(point(106.8456, -6.2088)), 422, "outside Banjarbaru"),
    (lamp_at(point(114.80, -3.50)), 422, "outside Banjarbaru"),  # in the box, in no kecamatan
    (lamp_at(point(114.83, -3.44), status="burning"), 422, "'working'"),
    (lamp_at(point(114.83, -3.44), lamp_type="laser"), 422, "'led'"),
    (lamp_at(point(114.83, -3.44), code="LAMP-1"), 422, "code"),
    (lamp_at(point(114.83, -3.44), wattage=-5), 422, "wattage"),
    (lamp_at(point(114.83, -3.44), colour="red"), 422, "colour"),
    (lamp_at(point(114.83, -3.44), code="PJU-63.72.04-00001"), 409, "exists already"),
    (lamp_at(point(114.83, -3.44), road_id=999), 422, "does not exist"),
]


@pytest.mark.parametrize(("body", "status", "says"), WRITES)
def test_bad_lamp_bodies_change_nothing(
    client: TestClient, login, city: Engine, body: object, status: int, says: str
) -> None:
    """Each malformed, invalid or misplaced lamp is refused with a clear 4xx; no row changes."""
    headers = login("staff")
    before = snapshot(city)
    if isinstance(body, str):
        response = client.post(
            "/api/v1/lamps", content=body, headers={**headers, "Content-Type": "application/json"}
        )
    else:
        response = client.post("/api/v1/lamps", json=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert says in response.json()["detail"], response.json()["detail"]
    assert snapshot(city) == before


def test_swapped_polygon_is_named(client: TestClient, login, city: Engine) -> None:
    """A cemetery outline given as lat,lon is refused as 'coordinates look swapped'."""
    headers = login("staff")
    before = snapshot(city)
    ring = [[-3.450, 114.830], [-3.450, 114.832], [-3.448, 114.832], [-3.450, 114.830]]
    response = client.post(
        "/api/v1/cemeteries",
        headers=headers,
        json={
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": "TPU-77", "name": "x", "kind": "general", "capacity": 1},
        },
    )
    assert response.status_code == 422
    assert "look swapped" in response.json()["detail"]
    assert snapshot(city) == before


def test_self_intersecting_polygon_says_where(client: TestClient, login, city: Engine) -> None:
    """A bow-tie polygon is refused with the point where its ring crosses itself."""
    headers = login("staff")
    before = snapshot(city)
    response = client.post(
        "/api/v1/cemeteries",
        headers=headers,
        json={
            "type": "Feature",
            "geometry": BOWTIE,
            "properties": {"code": "TPU-77", "name": "x", "kind": "general", "capacity": 1},
        },
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "self-intersection at lon 114.831000, lat -3.439000" in detail
    assert snapshot(city) == before


def test_bad_patches_change_nothing(client: TestClient, login, city: Engine) -> None:
    """Invalid PATCH bodies (status, nulls, bad geometry) are 4xx and change nothing."""
    headers = {**login("staff"), "If-Match": '"1"'}
    before = snapshot(city)
    cases = [
        ("/api/v1/roads/1", {"properties": {"road_class": "tol"}}, "'arteri'"),
        ("/api/v1/roads/1", {"properties": {"name": None}}, "cannot be null"),
        (
            "/api/v1/roads/1",
            {"geometry": {"type": "LineString", "coordinates": [[114.83, -3.44]]}},
            "LineString",
        ),
        ("/api/v1/plots/1", {"geometry": BOWTIE}, "self-intersection"),
        ("/api/v1/prayer-rooms/1", {"geometry": point(-3.4495, 114.8318)}, "look swapped"),
        ("/api/v1/prayer-rooms/1", {"geometry": point(114.70, -3.38)}, "outside Banjarbaru"),
    ]
    for path, body, says in cases:
        response = client.patch(path, json=body, headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert says in response.json()["detail"], response.json()["detail"]
    assert snapshot(city) == before


def test_body_over_the_limit_is_413(city: Engine, city_url: str) -> None:
    """A body over max_body_bytes is refused with 413, by Content-Length and when streamed."""
    from api_helpers import bearer

    with make_client(city_url, max_body_bytes=2000) as small:
        headers = bearer(small, "staff")
        before = snapshot(city)
        big = lamp_at(point(114.83, -3.44))
        big["properties"]["note"] = "x" * 5000
        response = small.post("/api/v1/lamps", json=big, headers=headers)
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM
        assert "2,000 bytes" in response.json()["detail"]

        def chunks():
            for _ in range(10):
                yield b" " * 500

        streamed = small.post(
            "/api/v1/lamps",
            content=chunks(),
            headers={**headers, "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        assert snapshot(city) == before


def test_unknown_method_is_a_problem(client: TestClient) -> None:
    """A method a path does not have is a 405 problem, not an HTML page."""
    response = client.put("/api/v1/lamps/1", json={})
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
