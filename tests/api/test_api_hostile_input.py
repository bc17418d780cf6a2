"""Hostile input that used to reach a 500: a 4xx problem naming the fault; nothing stored."""

from __future__ import annotations

import pytest
from api_helpers import snapshot
from fastapi.testclient import TestClient
from sqlalchemy import Engine

PROBLEM = "application/problem+json"
BLOCK_RING = [
    [114.8303, -3.4500],
    [114.8304, -3.4500],
    [114.8304, -3.4499],
    [114.8303, -3.4499],
]


def assert_problem(response, status: int, says: str) -> None:
    """`response` is a problem+json of `status` whose detail contains `says`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert says in response.json()["detail"], response.json()["detail"]


UNICODE_DIGIT_READS = [
    "/api/v1/lamps/%C2%B3",
    "/api/v1/plots/%C2%B3",
    "/api/v1/service-requests/%C2%B3",
    "/api/v1/cemeteries/%C2%B3/blocks",
    "/api/v1/cemeteries/TPU-01/blocks/%C2%B3",
    "/api/v1/lamps/%D9%A1",  # ARABIC-INDIC DIGIT ONE: int() reads it as 1, a person does not
]


@pytest.mark.parametrize("path", UNICODE_DIGIT_READS)
def test_unicode_digit_key_is_not_found(client: TestClient, login, path: str) -> None:
    """A key of Unicode digits ('³', '١') names no item: 404, not 500 nor another item."""
    assert_problem(client.get(path, headers=login("staff")), 404, "There is no")


def test_unicode_digit_key_on_a_patch_is_not_found(client: TestClient, login, city: Engine) -> None:
    """PATCH /prayer-rooms/³ is 404 and changes nothing."""
    headers = login("staff")
    before = snapshot(city)
    response = client.patch(
        "/api/v1/prayer-rooms/%C2%B3",
        json={"properties": {"name": "x"}},
        headers={**headers, "If-Match": '"1"'},
    )
    assert_problem(response, 404, "There is no prayer room")
    assert snapshot(city) == before


def test_unicode_digit_if_match_is_a_bad_request(client: TestClient, login, city: Engine) -> None:
    """If-Match: "³" is not one of our ETags: 400, nothing changes."""
    headers = login("staff")
    before = snapshot(city)
    response = client.patch(
        "/api/v1/prayer-rooms/1",
        json={"properties": {"name": "x"}},
        headers={**headers, "If-Match": '"\u00b3"'.encode("latin-1")},
    )
    assert_problem(response, 400, "is not an ETag of this API")
    assert snapshot(city) == before


NUL_READS = [
    ("/api/v1/lamps?kecamatan=a%00b", "query.kecamatan"),
    ("/api/v1/lamps?road=a%00b", "query.road"),
    ("/api/v1/plots?cemetery=%00", "query.cemetery"),
    ("/api/v1/roads?name=Jl.%00", "query.name"),
    ("/api/v1/lamps/PJU%00", "path.key"),
    ("/api/v1/audit?actor=a%00", "query.actor"),
]


@pytest.mark.parametrize(("path", "location"), NUL_READS)
def test_nul_in_a_filter_or_path_is_422(
    client: TestClient, login, path: str, location: str
) -> None:
    """A NUL character in a text filter or a path key is a 422 naming the parameter."""
    assert_problem(client.get(path, headers=login("admin")), 422, f"{location}: Text must not")


def test_nul_in_a_json_body_is_422_and_stores_nothing(
    client: TestClient, login, city: Engine
) -> None:
    """A NUL in an event note or a lamp property is a 422 naming the field; nothing is stored."""
    headers = login("staff")
    before = snapshot(city)
    event = client.post(
        "/api/v1/lamps/1/events",
        json={"to_status": "out", "note": "bad\u0000nul"},
        headers=headers,
    )
    assert_problem(event, 422, "body.note: Text must not contain the NUL character")
    patch = client.patch(
        "/api/v1/roads/1",
        json={"properties": {"name": "Jl.\u0000"}},
        headers={**headers, "If-Match": '"1"'},
    )
    assert_problem(patch, 422, "body.properties.name: Text must not")
    assert snapshot(city) == before


def test_nul_in_a_form_is_refused(client: TestClient, login, city: Engine) -> None:
    """A NUL in a /field form note is a 422 naming the field; nothing is stored."""
    crew = login("crew")
    before = snapshot(city)
    response = client.post(
        "/field/api/lamps/1/events",
        data={"to_status": "out", "note": "bad\u0000nul"},
        headers={**crew, "Idempotency-Key": "nul-key-0001"},
    )
    assert_problem(response, 422, "body.note: Text must not")
    assert snapshot(city) == before


BIG_IDS = [
    ("get", "/api/v1/workorders/99999999999", None),
    ("post", "/api/v1/workorders/99999999999/assign", {"assignee": "crew", "version": 1}),
    ("post", "/api/v1/workorders/99999999999/state", {"state": "in_progress", "version": 1}),
]


@pytest.mark.parametrize(("method", "path", "body"), BIG_IDS)
def test_ids_beyond_32_bits_are_422(
    client: TestClient, login, city: Engine, method: str, path: str, body: dict | None
) -> None:
    """A work order id past the database's 32-bit range is a 422 saying the limit."""
    headers = login("staff")
    before = snapshot(city)
    response = client.request(method, path, json=body, headers=headers)
    assert_problem(response, 422, "less than or equal to 2147483647")
    assert snapshot(city) == before


def test_field_event_for_an_id_beyond_32_bits_is_422(
    client: TestClient, login, city: Engine
) -> None:
    """/field/api/lamps/99999999999/events is a 422, and nothing is stored."""
    crew = login("crew")
    before = snapshot(city)
    response = client.post(
        "/field/api/lamps/99999999999/events",
        data={"to_status": "out"},
        headers={**crew, "Idempotency-Key": "big-id-key-01"},
    )
    assert_problem(response, 422, "less than or equal to 2147483647")
    assert snapshot(city) == before


def test_open311_request_id_beyond_32_bits_is_not_found(client: TestClient) -> None:
    """Open311 answers an id past 32 bits (or of Unicode digits) in its own error form."""
    for path in ("/open311/v2/requests/99999999999.json", "/open311/v2/requests/%C2%B3.json"):
        response = client.get(path)
        assert response.status_code == 404, response.text
        assert "was not found" in response.json()[0]["description"]
    listed = client.get("/open311/v2/requests.json?service_request_id=1,99999999999")
    assert listed.status_code == 400, listed.text
    assert "request ids" in listed.json()[0]["description"]


def test_time_before_year_1_in_utc_is_422(client: TestClient, login, city: Engine) -> None:
    """occurred_at 0001-01-01T00:00:00+14:00 cannot be converted to UTC: 422, nothing stored."""
    staff_headers, crew_headers = login("staff"), login("crew")
    before = snapshot(city)
    moment = "0001-01-01T00:00:00+14:00"
    staff = client.post(
        "/api/v1/lamps/1/events",
        json={"to_status": "out", "occurred_at": moment},
        headers=staff_headers,
    )
    assert_problem(staff, 422, "outside the years 1-9999 once converted to UTC")
    field = client.post(
        "/field/api/lamps/1/events",
        data={"to_status": "out", "occurred_at": moment},
        headers={**crew_headers, "Idempotency-Key": "year-one-key-1"},
    )
    assert_problem(field, 422, "outside the years 1-9999 once converted to UTC")
    assert snapshot(city) == before


def test_plot_with_an_open_ring_is_refused(client: TestClient, login, city: Engine) -> None:
    """A plot (or kelurahan) whose ring does not end where it starts is refused, not closed."""
    headers = login("staff")
    before = snapshot(city)
    created = client.post(
        "/api/v1/plots",
        headers=headers,
        json={
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [BLOCK_RING]},
            "properties": {
                "code": "TPU-01-A-1-9",
                "block_id": 1,
                "row_number": 1,
                "plot_number": 9,
            },
        },
    )
    assert_problem(created, 422, "ring 0 is not closed: its last position")
    moved = client.patch(
        "/api/v1/kelurahan/1",
        headers={**headers, "If-Match": '"1"'},
        json={"geometry": {"type": "MultiPolygon", "coordinates": [[BLOCK_RING]]}},
    )
    assert_problem(moved, 422, "ring 0 of polygon 0 is not closed")
    short = client.patch(
        "/api/v1/plots/1",
        headers={**headers, "If-Match": '"1"'},
        json={"geometry": {"type": "Polygon", "coordinates": [BLOCK_RING[:2] + BLOCK_RING[:1]]}},
    )
    assert_problem(short, 422, "a ring needs at least 4")
    assert snapshot(city) == before


def test_cemetery_analysis_as_of_year_3_is_422(client: TestClient, login) -> None:
    """as_of=0003-03-30 (found by the fuzz run: looking back years reached year 0) is a 422."""
    response = client.get("/api/v1/analysis/cemeteries?as_of=0003-03-30", headers=login("staff"))
    assert_problem(response, 422, "query.as_of")
