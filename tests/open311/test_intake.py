"""The 30 m snap to a lamp and the duplicate rules (same lamp, same service within 50 m)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.open311.builders import add_lamp, lamp_events
from tests.open311.places import Place

BASE = "/open311/v2"


def _report(
    client: TestClient,
    place: Place,
    dx: float,
    dy: float = 0.0,
    service: str = "streetlight_out",
    **form: str,
) -> dict:
    lon, lat = place.at(dx, dy)
    response = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": place.key,
            "service_code": service,
            "lat": str(lat),
            "long": str(lon),
            **form,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()[0]


def _row(place: Place, request_id: int) -> dict:
    with place.engine.connect() as conn:
        return dict(
            conn.execute(
                text(
                    "SELECT lamp_id, duplicate_of_id, status, work_state, due_at "
                    "FROM service_request "
                    "WHERE id = :i"
                ),
                {"i": request_id},
            )
            .one()
            ._mapping
        )


def _lamp_status(place: Place, lamp_id: int) -> str:
    with place.engine.connect() as conn:
        return conn.execute(
            text("SELECT status FROM lamp WHERE id = :i"), {"i": lamp_id}
        ).scalar_one()


def test_report_within_30_m_is_linked_and_turns_the_lamp_out(
    client: TestClient, place: Place
) -> None:
    """A report 28 m from lamp A is linked to it; the lamp is `out` by an open311 event."""
    receipt = _report(client, place, 0, 28)
    assert _row(place, receipt["service_request_id"])["lamp_id"] == place.lamp_a
    assert _lamp_status(place, place.lamp_a) == "out"
    with place.engine.connect() as conn:
        assert lamp_events(conn, place.lamp_a)[-1] == ("out", "open311")
    assert "PJU-63.72.04-00001" in receipt["service_notice"]


def test_report_beyond_30_m_is_not_linked(client: TestClient, place: Place) -> None:
    """A report 32 m from the nearest lamp links no lamp and changes no lamp's status."""
    receipt = _report(client, place, 0, 32)
    assert _row(place, receipt["service_request_id"])["lamp_id"] is None
    assert _lamp_status(place, place.lamp_a) == "working"


def test_damage_report_marks_the_lamp_damaged(client: TestClient, place: Place) -> None:
    """A 'pole leaning' report sets the lamp to `damaged`, not `out`."""
    _report(
        client, place, 3, service="streetlight_damaged", **{"attribute[kerusakan]": "tiang_miring"}
    )
    assert _lamp_status(place, place.lamp_a) == "damaged"


def test_second_report_on_the_same_lamp_is_merged(client: TestClient, place: Place) -> None:
    """A second open report on lamp A (from the other side) is a duplicate naming the first."""
    first = _report(client, place, 0, 20)
    second = _report(client, place, 0, -25)
    first_id, second_id = first["service_request_id"], second["service_request_id"]
    assert second_id != first_id
    assert f"#{first_id}" in second["service_notice"]
    row = _row(place, second_id)
    assert (row["duplicate_of_id"], row["status"]) == (first_id, "open")
    assert row["due_at"] == _row(place, first_id)["due_at"]
    with place.engine.connect() as conn:
        assert [e for e in lamp_events(conn, place.lamp_a) if e[1] == "open311"] == [
            ("out", "open311")
        ]
    shown = client.get(f"{BASE}/requests/{second_id}.json").json()[0]
    assert f"#{first_id}" in shown["service_notice"]


def test_same_service_within_50_m_is_merged(client: TestClient, place: Place) -> None:
    """A cemetery road report 45 m from an open one is merged; one 60 m away is not."""
    first = _report(client, place, 1000, 0, service="cemetery_road_damaged")
    near = _report(client, place, 1045, 0, service="cemetery_road_damaged")
    far = _report(client, place, 1000, 60, service="cemetery_road_damaged")
    assert _row(place, near["service_request_id"])["duplicate_of_id"] == first["service_request_id"]
    assert _row(place, far["service_request_id"])["duplicate_of_id"] is None


def test_other_service_nearby_is_not_merged(client: TestClient, place: Place) -> None:
    """A cemetery facility report next to a road report is its own request."""
    _report(client, place, 1000, 0, service="cemetery_road_damaged")
    other = _report(
        client, place, 1010, 0, service="cemetery_facility", **{"attribute[bagian]": "pagar"}
    )
    assert _row(place, other["service_request_id"])["duplicate_of_id"] is None


def test_neighbouring_lamps_are_two_faults(client: TestClient, place: Place) -> None:
    """Reports on two lamps 40 m apart are two work orders, though within 50 m of each other."""
    with place.engine.begin() as conn:
        lamp_c = add_lamp(conn, 3, 0, 40)
    first = _report(client, place, 0, 2)
    second = _report(client, place, 0, 38)
    assert _row(place, second["service_request_id"])["lamp_id"] == lamp_c
    assert _row(place, second["service_request_id"])["duplicate_of_id"] is None
    assert _row(place, first["service_request_id"])["lamp_id"] == place.lamp_a


def test_address_only_report_is_accepted_unplaced(client: TestClient, place: Place) -> None:
    """A report with only an address_string is stored without a position and linked to no lamp."""
    response = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": place.key,
            "service_code": "streetlight_out",
            "address_string": "Jl. A. Yani km 33, depan Masjid Agung, Banjarbaru",
        },
    )
    request_id = response.json()[0]["service_request_id"]
    shown = client.get(f"{BASE}/requests/{request_id}.json").json()[0]
    assert (shown["lat"], shown["long"]) == (None, None)
    assert shown["address"].startswith("Jl. A. Yani km 33")
