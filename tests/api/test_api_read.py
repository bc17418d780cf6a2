"""Reading the inventory: every list and item endpoint, filters, paging, nearest, stats."""

from __future__ import annotations

import pytest
from api_helpers import make_client, password_for
from fastapi.testclient import TestClient

GEOJSON = "application/geo+json"
LISTS = {
    "/api/v1/kecamatan": 2,
    "/api/v1/kelurahan": 2,
    "/api/v1/roads": 2,
    "/api/v1/lamps": 5,
    "/api/v1/cemeteries": 1,
    "/api/v1/cemeteries/TPU-01/blocks": 1,
    "/api/v1/plots": 2,
    "/api/v1/interments": 1,
    "/api/v1/access-roads": 1,
    "/api/v1/prayer-rooms": 2,
    "/api/v1/service-requests": 1,
}
ITEMS = {
    "/api/v1/kecamatan": ("1", "63.72.04"),
    "/api/v1/kelurahan": ("2", "63.72.05.1001"),
    "/api/v1/roads": ("1", "JL-0001"),
    "/api/v1/lamps": ("2", "PJU-63.72.04-00002"),
    "/api/v1/cemeteries": ("1", "TPU-01"),
    "/api/v1/cemeteries/TPU-01/blocks": ("1", "TPU-01-A"),
    "/api/v1/plots": ("2", "TPU-01-A-1-2"),
    "/api/v1/access-roads": ("1", "AKS-01"),
    "/api/v1/prayer-rooms": ("1", "MSL-01"),
}


def codes(response) -> list[str]:
    """The `code` of every feature of a FeatureCollection response."""
    assert response.status_code == 200, response.text
    return [f["properties"]["code"] for f in response.json()["features"]]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_is_a_feature_collection(client: TestClient, path: str) -> None:
    """Each list answers a GeoJSON FeatureCollection with counts and a self link."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == GEOJSON
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == body["numberReturned"] == LISTS[path]
    assert len(body["features"]) == LISTS[path]
    assert all(f["type"] == "Feature" and "geometry" in f for f in body["features"])
    assert body["links"][0]["rel"] == "self"


@pytest.mark.parametrize("path", ITEMS)
def test_item_by_id_and_by_code_is_the_same(client: TestClient, path: str) -> None:
    """`/x/17` and `/x/<code>` give the same Feature with its version as ETag."""
    row_id, code = ITEMS[path]
    by_id, by_code = client.get(f"{path}/{row_id}"), client.get(f"{path}/{code}")
    assert by_id.status_code == by_code.status_code == 200
    assert by_id.json() == by_code.json()
    assert by_id.json()["properties"]["code"] == code
    assert by_id.headers["ETag"] == f'"{by_id.json()["properties"]["version"]}"'


def test_interment_and_service_request_items(client: TestClient) -> None:
    """Items without codes are read by id, with an ETag."""
    for path in ("/api/v1/interments/1", "/api/v1/service-requests/1"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["ETag"] == '"1"'


def test_unknown_item_is_404_problem(client: TestClient) -> None:
    """An unknown id or code is a 404 problem naming what was asked for."""
    response = client.get("/api/v1/lamps/PJU-63.72.04-09999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "PJU-63.72.04-09999" in response.json()["detail"]
    assert client.get("/api/v1/lamps/99999999999999999999").status_code == 404


def test_filters_bbox_area_status_road_properties(client: TestClient) -> None:
    """bbox, kecamatan, kelurahan, repeatable status, road and own properties all narrow lists."""
    lamps = "/api/v1/lamps"
    assert codes(client.get(lamps, params={"bbox": "114.815,-3.45,114.835,-3.43"})) == [
        "PJU-63.72.04-00001",
        "PJU-63.72.04-00002",
        "PJU-63.72.04-00003",
    ]
    assert len(codes(client.get(lamps, params={"kecamatan": "63.72.05"}))) == 2
    assert len(codes(client.get(lamps, params={"kecamatan": "Banjarbaru Utara"}))) == 3
    assert len(codes(client.get(lamps, params={"kelurahan": "63.72.05.1001"}))) == 2
    assert codes(client.get(lamps, params=[("status", "out"), ("status", "damaged")])) == [
        "PJU-63.72.04-00002",
        "PJU-63.72.05-00002",
    ]
    assert codes(client.get(lamps, params={"road": "JL-0002"})) == ["PJU-63.72.04-00003"]
    assert codes(client.get(lamps, params={"ownership": "pln"})) == ["PJU-63.72.04-00003"]
    assert len(codes(client.get(lamps, params={"lamp_type": "led", "wattage": 60}))) == 2
    assert codes(client.get("/api/v1/roads", params={"road_class": "lokal"})) == ["JL-0002"]
    assert codes(client.get("/api/v1/plots", params={"status": "available"})) == ["TPU-01-A-1-2"]
    assert codes(client.get("/api/v1/prayer-rooms", params={"status": "planned"})) == ["MSL-02"]
    assert codes(client.get("/api/v1/cemeteries", params={"kecamatan": "63.72.05"})) == []
    assert codes(client.get("/api/v1/access-roads", params={"condition": "poor"})) == ["AKS-01"]
    kelurahan = client.get("/api/v1/kelurahan", params={"kecamatan": "63.72.05"}).json()
    assert [f["properties"]["code"] for f in kelurahan["features"]] == ["63.72.05.1001"]


def test_near_with_radius_in_metres(client: TestClient) -> None:
    """near=lon,lat with radius_m keeps lamps within that many metres, nearest first."""
    # 114.82 and 114.83 on the same latitude are about 1,110 m apart.
    near = {"near": "114.8301,-3.44", "radius_m": 600}
    assert codes(client.get("/api/v1/lamps", params=near)) == [
        "PJU-63.72.04-00002",
        "PJU-63.72.04-00003",
    ]
    near["radius_m"] = 1200
    assert codes(client.get("/api/v1/lamps", params=near))[-1] == "PJU-63.72.04-00001"


def test_limit_offset_links_and_clamping(client: TestClient) -> None:
    """Pages carry next/prev links; a limit above 10,000 is clamped, not refused."""
    first = client.get("/api/v1/lamps", params={"limit": 2}).json()
    assert (first["numberMatched"], first["numberReturned"]) == (5, 2)
    rels = {link["rel"]: link["href"] for link in first["links"]}
    assert "prev" not in rels and "offset=2" in rels["next"]
    second = client.get(rels["next"]).json()
    assert [f["id"] for f in second["features"]] == [3, 4]
    assert {link["rel"] for link in second["links"]} == {"self", "next", "prev"}
    assert all(link["type"] == GEOJSON for link in second["links"])
    clamped = client.get("/api/v1/lamps", params={"limit": 50_000})
    assert clamped.status_code == 200
    assert "limit=10000" in clamped.json()["links"][0]["href"]


def test_nearest_lamps_have_ascending_distance(client: TestClient) -> None:
    """/lamps/nearest gives the nearest lamps with distance_m in metres, ascending."""
    body = client.get(
        "/api/v1/lamps/nearest", params={"lon": 114.8302, "lat": -3.4401, "limit": 3}
    ).json()
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert [f["properties"]["code"] for f in body["features"]][0] == "PJU-63.72.04-00002"
    assert len(distances) == 3 and distances == sorted(distances)
    assert 20 < distances[0] < 30  # 0.0002° lon and 0.0001° lat at 3.4° S: about 25 m


def test_interment_personal_fields_only_for_staff_and_admin(client: TestClient, login) -> None:
    """Anonymous, crew and planner see plot and burial date; staff and admin see the names."""
    for role in (None, "crew", "planner"):
        props = client.get("/api/v1/interments", headers=login(role) if role else {}).json()[
            "features"
        ][0]["properties"]
        assert "deceased_name" not in props and "heir_phone" not in props
        assert props["plot_status"] == "occupied" and props["buried_on"] == "2024-02-11"
    for role in ("staff", "admin"):
        props = client.get("/api/v1/interments/1", headers=login(role)).json()["properties"]
        assert props["deceased_name"] == "Ahmad Fauzi" and props["heir_phone"] == "0812-5555-0101"


def test_service_request_contacts_hidden_from_public(client: TestClient, login) -> None:
    """A reporter's e-mail and phone are not shown to the public, but to staff."""
    public = client.get("/api/v1/service-requests").json()["features"][0]["properties"]
    assert "email" not in public and public["lamp_id"] == 1
    staff = client.get("/api/v1/service-requests/1", headers=login("staff")).json()
    assert staff["properties"]["email"] == "warga@example.org"


def test_stats(client: TestClient) -> None:
    """Stats count lamps by status and kecamatan, faults past the SLA, plots and musala."""
    body = client.get("/api/v1/stats").json()
    by_kecamatan = {row["kecamatan_code"]: row for row in body["lamps_by_kecamatan"]}
    assert by_kecamatan["63.72.04"]["by_status"] == {"working": 2, "out": 1}
    assert by_kecamatan["63.72.05"]["total"] == 2
    assert body["lamps_out_over_sla"]["count"] == 2  # both faults date from January 2025
    assert body["plots_by_cemetery"][0]["by_status"] == {"occupied": 1, "available": 1}
    assert body["prayer_rooms_by_status"] == {"existing": 1, "planned": 1}


def test_lamp_event_history_newest_first(client: TestClient) -> None:
    """A lamp's events come newest first, each with the status it left."""
    body = client.get("/api/v1/lamps/PJU-63.72.04-00002/events").json()
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("working", "out"),
        (None, "working"),
    ]
    assert body["numberMatched"] == 2 and body["lamp_id"] == 2


def test_public_read_can_be_switched_off(city_url: str) -> None:
    """With public_read off, anonymous reads are 401 and signed-in ones work."""
    with make_client(city_url, public_read=False) as private:
        assert private.get("/api/v1/lamps").status_code == 401
        token = private.post(
            "/api/v1/auth/token", data={"username": "planner", "password": password_for("planner")}
        ).json()["access_token"]
        response = private.get("/api/v1/lamps", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
