"""Lamp status events over HTTP: who may report, idempotent replay, late offline reports."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text


def count_events(engine: Engine) -> int:
    """How many lamp events are stored."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM lamp_event")).scalar_one()


def test_crew_reports_a_lamp_out(client: TestClient, login) -> None:
    """A crew report is recorded as a field event and sets the lamp's status."""
    response = client.post(
        "/api/v1/lamps/PJU-63.72.04-00001/events",
        headers=login("crew"),
        json={"to_status": "out", "note": "Mati total"},
    )
    assert response.status_code == 201, response.text
    event = response.json()
    assert (event["from_status"], event["to_status"], event["source"], event["actor"]) == (
        "working",
        "out",
        "field",
        "crew",
    )
    lamp = client.get("/api/v1/lamps/1")
    assert lamp.json()["properties"]["status"] == "out"
    assert lamp.headers["ETag"] == '"3"'


def test_same_idempotency_key_replays_first_answer(client: TestClient, login, city: Engine) -> None:
    """A retry with the same Idempotency-Key gets the same status and body; nothing is added."""
    headers = {**login("crew"), "Idempotency-Key": "phone-7-0001"}
    first = client.post(
        "/api/v1/lamps/1/events",
        headers=headers,
        json={"to_status": "damaged", "note": "Tiang miring"},
    )
    before = count_events(city)
    again = client.post(
        "/api/v1/lamps/1/events",
        headers=headers,
        json={"to_status": "damaged", "note": "Tiang miring"},
    )
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["Idempotency-Replayed"] == "true"
    assert count_events(city) == before
    history = client.get("/api/v1/lamps/1/events").json()
    assert [e["to_status"] for e in history["events"]] == ["damaged", "working"]


def test_late_offline_report_keeps_newer_status(client: TestClient, login) -> None:
    """An event observed before the current status joins history without overriding it."""
    response = client.post(
        "/api/v1/lamps/2/events",
        headers=login("staff"),
        json={"to_status": "damaged", "occurred_at": "2025-01-11T08:00:00+08:00"},
    )
    assert response.status_code == 201
    assert client.get("/api/v1/lamps/2").json()["properties"]["status"] == "out"


def test_staff_and_admin_report_as_staff(client: TestClient, login) -> None:
    """Staff and admin may post events too; their source is `staff`."""
    for role, status in (("staff", "in_repair"), ("admin", "working")):
        response = client.post(
            "/api/v1/lamps/2/events", headers=login(role), json={"to_status": status}
        )
        assert response.status_code == 201 and response.json()["source"] == "staff"


def test_planner_and_anonymous_cannot_report(client: TestClient, login, city: Engine) -> None:
    """Planners get 403, anonymous 401; nothing is recorded."""
    before = count_events(city)
    body = {"to_status": "out"}
    assert (
        client.post("/api/v1/lamps/1/events", json=body, headers=login("planner")).status_code
        == 403
    )
    assert client.post("/api/v1/lamps/1/events", json=body).status_code == 401
    assert count_events(city) == before


def test_unknown_status_and_future_time_are_refused(
    client: TestClient, login, city: Engine
) -> None:
    """An unknown status lists the allowed ones; a time in the future is refused."""
    before = count_events(city)
    crew = login("crew")
    bad = client.post("/api/v1/lamps/1/events", headers=crew, json={"to_status": "burning"})
    assert bad.status_code == 422
    assert "'working'" in bad.json()["detail"] and "'decommissioned'" in bad.json()["detail"]
    future = client.post(
        "/api/v1/lamps/1/events",
        headers=crew,
        json={"to_status": "out", "occurred_at": "2999-01-01T00:00:00+00:00"},
    )
    assert future.status_code == 422 and "future" in future.json()["detail"]
    missing = client.post(
        "/api/v1/lamps/PJU-63.72.04-09999/events", headers=crew, json={"to_status": "out"}
    )
    assert missing.status_code == 404
    assert count_events(city) == before


def test_fault_posted_through_the_api_opens_a_work_order(
    client: TestClient, login, city: Engine
) -> None:
    """`out` via the inventory API opens a work order, `working` resolves it as fixed."""
    headers = login("crew")
    assert (
        client.post(
            "/api/v1/lamps/3/events", headers=headers, json={"to_status": "out"}
        ).status_code
        == 201
    )
    with city.connect() as conn:
        state = conn.execute(
            text("SELECT work_state FROM service_request WHERE lamp_id = 3")
        ).scalar_one()
    assert state == "open"
    assert (
        client.post(
            "/api/v1/lamps/3/events", headers=headers, json={"to_status": "working"}
        ).status_code
        == 201
    )
    with city.connect() as conn:
        state, resolution = conn.execute(
            text("SELECT work_state, resolution FROM service_request WHERE lamp_id = 3")
        ).one()
    assert (state, resolution) == ("resolved", "fixed")


def test_crew_report_with_a_wrong_clock_is_refused(client: TestClient, login, city: Engine) -> None:
    """A crew's report dated months ago (a phone clock gone wrong) is a 422; nothing stored."""
    before = count_events(city)
    response = client.post(
        "/api/v1/lamps/3/events",
        headers=login("crew"),
        json={"to_status": "out", "occurred_at": "2025-01-11T08:00:00+08:00"},
    )
    assert response.status_code == 422 and "clock" in response.json()["detail"]
    assert count_events(city) == before
