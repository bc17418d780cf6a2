"""Writing the inventory: create, change, delete each resource; If-Match; the audit log."""

from __future__ import annotations

import threading

import pytest
from api_helpers import make_client
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text


def square(x0: float, y0: float, size: float = 0.0004) -> dict:
    """A small closed square as a GeoJSON Polygon."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
        ],
    }


NEW = {
    "/api/v1/kecamatan": (
        {"type": "Polygon", "coordinates": square(114.86, -3.40)["coordinates"]},
        {"code": "63.72.99", "name": "Uji"},
        {"name": "Uji Baru"},
    ),
    "/api/v1/kelurahan": (
        square(114.86, -3.40),
        {"code": "63.72.05.1099", "name": "Uji", "kecamatan_id": 2},
        {"name": "Uji Baru"},
    ),
    "/api/v1/roads": (
        {"type": "LineString", "coordinates": [[114.84, -3.43], [114.845, -3.43]]},
        {"code": "JL-0099", "name": "Jl. Uji", "road_class": "lingkungan", "surface": "kerikil"},
        {"surface": "aspal"},
    ),
    "/api/v1/lamps": (
        {"type": "Point", "coordinates": [114.841, -3.431]},
        {
            "code": "PJU-63.72.04-00099",
            "lamp_type": "led",
            "wattage": 40,
            "pole_height_m": 7,
            "road_id": 2,
        },
        {"wattage": 60},
    ),
    "/api/v1/cemeteries": (
        square(114.87, -3.43),
        {
            "code": "TPU-09",
            "name": "TPU Uji",
            "kind": "general",
            "capacity": 10,
            "gate": {"type": "Point", "coordinates": [114.8702, -3.43]},
        },
        {"capacity": 12},
    ),
    "/api/v1/cemeteries/TPU-01/blocks": (
        square(114.8320, -3.4490),
        {"code": "TPU-01-B", "name": "Blok B"},
        {"name": "Blok B1"},
    ),
    "/api/v1/plots": (
        square(114.8302, -3.4500, 0.0001),
        {"code": "TPU-01-A-1-3", "block_id": 1, "row_number": 1, "plot_number": 3},
        {"status": "reserved"},
    ),
    "/api/v1/interments": (
        None,
        {"plot_id": 2, "deceased_name": "Budi", "buried_on": "2025-03-01"},
        {"heir_name": "Ani"},
    ),
    "/api/v1/access-roads": (
        {"type": "LineString", "coordinates": [[114.87, -3.43], [114.87, -3.435]]},
        {
            "code": "AKS-09",
            "name": "Akses uji",
            "condition": "good",
            "surface": "beton",
            "cemetery_id": 1,
        },
        {"condition": "fair"},
    ),
    "/api/v1/prayer-rooms": (
        {"type": "Point", "coordinates": [114.871, -3.431]},
        {"code": "MSL-09", "name": "Musala uji", "status": "planned", "planned_year": 2027},
        {"status": "under_construction"},
    ),
}
TABLE_OF = {
    "/api/v1/kecamatan": "kecamatan",
    "/api/v1/kelurahan": "kelurahan",
    "/api/v1/roads": "road",
    "/api/v1/lamps": "lamp",
    "/api/v1/cemeteries": "cemetery",
    "/api/v1/cemeteries/TPU-01/blocks": "cemetery_block",
    "/api/v1/plots": "plot",
    "/api/v1/interments": "interment",
    "/api/v1/access-roads": "access_road",
    "/api/v1/prayer-rooms": "prayer_room",
}


def feature(geometry: dict | None, properties: dict) -> dict:
    """A GeoJSON Feature body."""
    return {"type": "Feature", "geometry": geometry, "properties": properties}


@pytest.mark.parametrize("path", NEW)
def test_staff_create_change_delete_every_resource(
    client: TestClient, login, city: Engine, path: str
) -> None:
    """Staff create (201 + ETag + Location), change (If-Match) and delete (204) each resource;
    every step is in the audit log under their name."""
    geometry, properties, change = NEW[path]
    staff = login("staff")
    created = client.post(path, json=feature(geometry, properties), headers=staff)
    assert created.status_code == 201, created.text
    row_id = created.json()["id"]
    assert created.headers["Location"].endswith(f"/{row_id}")
    assert client.get(created.headers["Location"]).status_code == 200
    patch = client.patch(
        f"{path}/{row_id}",
        json={"properties": change},
        headers={**staff, "If-Match": created.headers["ETag"]},
    )
    assert patch.status_code == 200, patch.text
    for key, value in change.items():
        assert patch.json()["properties"][key] == value
    assert patch.headers["ETag"] != created.headers["ETag"]
    # A lamp with history is decommissioned and an interment voided: neither is ever deleted.
    if path not in ("/api/v1/lamps", "/api/v1/interments"):
        deleted = client.delete(
            f"{path}/{row_id}", headers={**staff, "If-Match": patch.headers["ETag"]}
        )
        assert deleted.status_code == 204, deleted.text
        assert client.get(f"{path}/{row_id}").status_code == 404
    with city.connect() as conn:
        actions = (
            conn.execute(
                text(
                    "SELECT action FROM audit_log WHERE table_name = :t AND row_id = :id "
                    "AND actor = 'staff' ORDER BY id"
                ),
                {"t": TABLE_OF[path], "id": row_id},
            )
            .scalars()
            .all()
        )
    assert actions[:2] == ["insert", "update"]


def test_lamp_created_with_first_event_and_moved(client: TestClient, login) -> None:
    """A new lamp starts its history at once; moving it re-derives its kelurahan."""
    geometry, properties, _ = NEW["/api/v1/lamps"]
    created = client.post(
        "/api/v1/lamps", json=feature(geometry, properties), headers=login("admin")
    )
    body = created.json()
    assert body["properties"]["status"] == "working"
    assert body["properties"]["kelurahan_code"] == "63.72.04.1002"
    events = client.get(f"/api/v1/lamps/{body['id']}/events").json()["events"]
    assert [e["to_status"] for e in events] == ["working"]
    moved = client.patch(
        f"/api/v1/lamps/{body['id']}",
        headers={**login("admin"), "If-Match": created.headers["ETag"]},
        json={"geometry": {"type": "Point", "coordinates": [114.88, -3.43]}},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["properties"]["kecamatan_code"] == "63.72.05"


def test_lamp_status_cannot_be_patched(client: TestClient, login) -> None:
    """PATCHing a lamp's status is refused with a pointer to the events endpoint."""
    response = client.patch(
        "/api/v1/lamps/1",
        json={"properties": {"status": "out"}},
        headers={**login("staff"), "If-Match": '"2"'},
    )
    assert response.status_code == 422
    assert "/events" in response.json()["detail"]


def test_lamp_with_history_is_not_deleted(client: TestClient, login) -> None:
    """Deleting a lamp that has events is a 409 that says why; the lamp stays."""
    response = client.delete("/api/v1/lamps/3", headers={**login("admin"), "If-Match": '"2"'})
    assert response.status_code == 409
    assert "lamp_event" in response.json()["detail"]
    assert "decommissioned" in response.json()["detail"]
    assert client.get("/api/v1/lamps/3").status_code == 200


def test_if_match_missing_is_428_and_stale_is_412_with_changes(client: TestClient, login) -> None:
    """No If-Match: 428. An old ETag: 412 saying the current version and what changed."""
    staff = login("staff")
    assert (
        client.patch(
            "/api/v1/roads/1", json={"properties": {"width_m": 14}}, headers=staff
        ).status_code
        == 428
    )
    assert client.delete("/api/v1/roads/1", headers=staff).status_code == 428
    first = client.patch(
        "/api/v1/roads/1",
        json={"properties": {"width_m": 14}},
        headers={**staff, "If-Match": '"1"'},
    )
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    stale = client.patch(
        "/api/v1/roads/1",
        json={"properties": {"width_m": 16}},
        headers={**staff, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_version"] == 2 and stale.headers["ETag"] == '"2"'
    assert body["changes"][0]["fields"]["width_m"] == {"from": 12.0, "to": 14.0}
    assert body["changes"][0]["actor"] == "staff"
    assert client.get("/api/v1/roads/1").json()["properties"]["width_m"] == 14.0
    bad = client.patch(
        "/api/v1/roads/1",
        json={"properties": {"width_m": 16}},
        headers={**staff, "If-Match": "yesterday"},
    )
    assert bad.status_code == 400


def test_concurrent_edits_of_one_version_exactly_one_wins(
    city_url: str, client: TestClient, login
) -> None:
    """Two clients PATCH the same version at the same moment: one 200, one 412."""
    staff = {**login("staff"), "If-Match": '"1"'}
    barrier = threading.Barrier(2)
    results: list[int] = []

    def edit(width: float) -> None:
        with make_client(city_url) as own_client:
            barrier.wait()
            response = own_client.patch(
                "/api/v1/roads/2", headers=staff, json={"properties": {"width_m": width}}
            )
            results.append(response.status_code)

    threads = [threading.Thread(target=edit, args=(w,)) for w in (7.0, 8.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200, 412]
    assert client.get("/api/v1/roads/2").json()["properties"]["version"] == 2


@pytest.mark.parametrize("role", ["crew", "planner"])
def test_crew_and_planner_cannot_edit_inventory(client: TestClient, login, role: str) -> None:
    """Crew and planners get 403 on inventory writes; anonymous gets 401."""
    geometry, properties, _ = NEW["/api/v1/prayer-rooms"]
    body = feature(geometry, properties)
    assert client.post("/api/v1/prayer-rooms", json=body, headers=login(role)).status_code == 403
    assert client.post("/api/v1/prayer-rooms", json=body).status_code == 401
    patch = client.patch(
        "/api/v1/prayer-rooms/1",
        json={"properties": {"capacity": 50}},
        headers={**login(role), "If-Match": '"1"'},
    )
    assert patch.status_code == 403
    assert (
        client.delete("/api/v1/plots/2", headers={**login(role), "If-Match": '"1"'}).status_code
        == 403
    )


def test_audit_log_for_admin_and_staff_only(client: TestClient, login) -> None:
    """Admin and staff read the audit log with filters; crew, planner and anonymous cannot."""
    client.patch(
        "/api/v1/roads/1",
        json={"properties": {"width_m": 14}},
        headers={**login("staff"), "If-Match": '"1"'},
    )
    for role in ("admin", "staff"):
        body = client.get(
            "/api/v1/audit", params={"table": "road", "actor": "staff"}, headers=login(role)
        ).json()
        assert body["numberMatched"] == 1
        entry = body["entries"][0]
        assert (entry["action"], entry["before"]["width_m"], entry["after"]["width_m"]) == (
            "update",
            12.0,
            14.0,
        )
    assert client.get("/api/v1/audit", headers=login("crew")).status_code == 403
    assert client.get("/api/v1/audit", headers=login("planner")).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_burial_in_an_unusable_plot_is_refused_with_what_to_do(
    client: TestClient, login, city: Engine
) -> None:
    """An interment in a plot marked unusable is a 422 saying why and what to do; nothing stored."""
    staff = login("staff")
    plot = client.get("/api/v1/plots/2")
    changed = client.patch(
        "/api/v1/plots/2",
        headers={**staff, "If-Match": plot.headers["ETag"]},
        json={"type": "Feature", "properties": {"status": "unusable"}},
    )
    assert changed.status_code == 200
    with city.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM interment")).scalar_one()
    response = client.post(
        "/api/v1/interments",
        headers=staff,
        json={
            "type": "Feature",
            "geometry": None,
            "properties": {"plot_id": 2, "deceased_name": "Budi", "buried_on": "2025-03-01"},
        },
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "unusable" in detail and "Choose another plot" in detail and "23514" not in detail
    with city.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM interment")).scalar_one() == before
