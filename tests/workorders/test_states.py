"""Work-order states over HTTP: who may move an order where, and what resolving does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.open311.builders import lamp_events, lonlat
from tests.workorders.crews import Crew, report, sign_in

API = "/api/v1/workorders"


def _move(client: TestClient, who: dict, order_id: int, **body: object):
    return client.post(f"{API}/{order_id}/state", json=body, headers=who)


def _assign(client: TestClient, who: dict, order_id: int, assignee: str = "budi"):
    return client.post(f"{API}/{order_id}/assign", json={"assignee": assignee}, headers=who)


def _problem(response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]


def test_full_life_of_an_order(client: TestClient, crew: Crew) -> None:
    """Staff assign, the crew starts and fixes: lamp working, Open311 closed with notes."""
    staff, budi = sign_in(client, "siti"), sign_in(client, "budi")
    order_id = report(client, crew)
    duplicate_id = report(client, crew, dx=-6)
    assert _assign(client, staff, order_id).json()["state"] == "assigned"
    assert _move(client, budi, order_id, state="in_progress").json()["state"] == "in_progress"
    done = _move(
        client,
        budi,
        order_id,
        state="resolved",
        resolution="fixed",
        notes="Lampu LED diganti, menyala lagi.",
    )
    assert (done.json()["state"], done.json()["resolution"]) == ("resolved", "fixed")
    with crew.engine.connect() as conn:
        assert lamp_events(conn, crew.lamp_a)[-1] == ("working", "field")
    for request_id in (order_id, duplicate_id):
        shown = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
        assert shown["status"] == "closed"
        assert shown["status_notes"] == "Lampu LED diganti, menyala lagi."
    closed = _move(client, staff, order_id, state="closed")
    assert closed.json()["state"] == "closed"


@pytest.mark.parametrize(
    ("state", "words"),
    [("in_progress", "cannot go to in_progress"), ("closed", "cannot go to closed")],
)
def test_illegal_transitions_are_409(
    client: TestClient, crew: Crew, state: str, words: str
) -> None:
    """An open order cannot be started (nobody has it) nor closed before it is resolved."""
    order_id = report(client, crew)
    _problem(_move(client, sign_in(client, "siti"), order_id, state=state), 409, words)
    assert client.get(f"{API}/{order_id}", headers=sign_in(client, "siti")).json()["state"] == (
        "open"
    )


def test_closed_order_cannot_be_started(client: TestClient, crew: Crew) -> None:
    """A closed order goes nowhere but back to open."""
    staff = sign_in(client, "siti")
    order_id = report(client, crew)
    _move(client, staff, order_id, state="resolved", resolution="not_fixed")
    _move(client, staff, order_id, state="closed")
    _problem(_move(client, staff, order_id, state="in_progress"), 409, "allowed: open")
    _problem(_assign(client, staff, order_id), 409, "only an open or assigned order")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"state": "resolved"}, "resolution"),
        ({"state": "closed", "resolution": "fixed"}, "resolution"),
        ({"state": "done"}, "state"),
        ({"state": "resolved", "resolution": "sort_of"}, "resolution"),
    ],
)
def test_malformed_changes_are_422(client: TestClient, crew: Crew, body: dict, words: str) -> None:
    """A resolution without resolving (or the reverse), or an unknown state, is a 422."""
    order_id = report(client, crew)
    response = _move(client, sign_in(client, "siti"), order_id, **body)
    assert response.status_code == 422 and words in response.text


def test_crews_see_and_move_only_their_own(client: TestClient, crew: Crew) -> None:
    """Sari neither sees nor moves Budi's order; crews cannot assign; planners see nothing."""
    staff, budi, sari = (sign_in(client, n) for n in ("siti", "budi", "sari"))
    mine, other = report(client, crew), report(client, crew, dx=300)
    _assign(client, staff, mine, "budi")
    assert [o["id"] for o in client.get(API, headers=budi).json()["work_orders"]] == [mine]
    assert client.get(API, headers=sari).json()["work_orders"] == []
    _problem(client.get(f"{API}/{mine}", headers=sari), 403, "not assigned to you")
    _problem(_move(client, sari, mine, state="in_progress"), 403, "not assigned to you")
    assert _assign(client, budi, other, "budi").status_code == 403
    assert client.get(API, headers=sign_in(client, "rudi")).status_code == 403
    assert client.get(API).status_code == 401
    _problem(_move(client, budi, mine, state="closed"), 409, "cannot go to closed")


def test_assign_only_to_crew_or_staff(client: TestClient, crew: Crew) -> None:
    """Work goes to an existing crew or staff member: a planner or nobody is a 422."""
    staff = sign_in(client, "siti")
    order_id = report(client, crew)
    _problem(_assign(client, staff, order_id, "rudi"), 422, "crew or staff")
    _problem(_assign(client, staff, order_id, "nobody"), 422, "no active user")


def test_stale_version_is_refused(client: TestClient, crew: Crew) -> None:
    """A change naming an old version is a 409 and changes nothing."""
    staff = sign_in(client, "siti")
    order_id = report(client, crew)
    version = client.get(f"{API}/{order_id}", headers=staff).json()["version"]
    _assign(client, staff, order_id)
    _problem(_move(client, staff, order_id, state="open", version=version), 409, "changed since")
    assert client.get(f"{API}/{order_id}", headers=staff).json()["state"] == "assigned"


def test_list_nearest_first_with_due_and_overdue(client: TestClient, crew: Crew) -> None:
    """Given a position the list is nearest first, each with its due time and overdue flag."""
    staff = sign_in(client, "siti")
    near_b, near_a = report(client, crew, dx=300), report(client, crew)
    with crew.engine.connect() as conn:
        lon, lat = lonlat(conn, 290, 0)
    listed = client.get(API, params={"lon": lon, "lat": lat}, headers=staff).json()
    assert [o["id"] for o in listed["work_orders"]] == [near_b, near_a]
    first = listed["work_orders"][0]
    assert first["distance_m"] < 20 and first["due_at"] and first["overdue"] is False
    assert first["state_label"] == "Baru"
