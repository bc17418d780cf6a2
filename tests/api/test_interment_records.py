"""Interments are legal records: corrected or voided with a reason, never deleted; no write
blanks a required property of any resource."""

from __future__ import annotations

import pytest
from api_helpers import snapshot
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from geo_assets.inventory.catalog import (
    ACCESS_ROADS,
    BLOCKS,
    CEMETERIES,
    INTERMENTS,
    KECAMATAN,
    KELURAHAN,
    LAMPS,
    PLOTS,
    PRAYER_ROOMS,
    ROADS,
)

NEW_BURIAL = {"plot_id": 2, "deceased_name": "Budi Santoso", "buried_on": "2025-03-01"}
# Every writable resource and the URL of a row of it in the small city.
ITEMS = [
    (KECAMATAN, "/api/v1/kecamatan/1"),
    (KELURAHAN, "/api/v1/kelurahan/1"),
    (ROADS, "/api/v1/roads/1"),
    (LAMPS, "/api/v1/lamps/1"),
    (CEMETERIES, "/api/v1/cemeteries/1"),
    (BLOCKS, "/api/v1/cemeteries/1/blocks/1"),
    (PLOTS, "/api/v1/plots/1"),
    (INTERMENTS, "/api/v1/interments/1"),
    (ACCESS_ROADS, "/api/v1/access-roads/1"),
    (PRAYER_ROOMS, "/api/v1/prayer-rooms/1"),
]


def _etag(client: TestClient, path: str, headers: dict[str, str]) -> str:
    return client.get(path, headers=headers).headers["ETag"]


def _bury(client: TestClient, staff: dict[str, str], properties: dict) -> dict:
    response = client.post(
        "/api/v1/interments",
        json={"type": "Feature", "geometry": None, "properties": properties},
        headers=staff,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _void(client: TestClient, staff: dict[str, str], row_id: int, reason: str):  # noqa: ANN202
    etag = _etag(client, f"/api/v1/interments/{row_id}", staff)
    return client.post(
        f"/api/v1/interments/{row_id}/void",
        json={"reason": reason},
        headers={**staff, "If-Match": etag},
    )


def test_delete_of_an_interment_is_refused_and_it_stays(
    client: TestClient, login, city: Engine
) -> None:
    """DELETE on an interment answers a 405 problem that says to correct or void; nothing goes."""
    staff = login("staff")
    before = snapshot(city)
    etag = _etag(client, "/api/v1/interments/1", staff)
    response = client.delete("/api/v1/interments/1", headers={**staff, "If-Match": etag})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert "void" in response.json()["detail"] and "Allow" in response.headers
    assert snapshot(city) == before


def test_database_refuses_to_delete_an_interment(city: Engine) -> None:
    """Even in SQL (psql, an import), deleting an interment fails with what to do instead."""
    with pytest.raises(DBAPIError, match="never deleted"), city.begin() as conn:
        conn.execute(text("DELETE FROM interment WHERE id = 1"))
    with city.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM interment")).scalar_one() == 1


def test_void_marks_the_record_releases_the_plot_and_is_audited(
    client: TestClient, login, city: Engine
) -> None:
    """Voiding keeps the row, marked with when and why, releases its plot, and is audited."""
    staff = login("staff")
    burial = _bury(client, staff, NEW_BURIAL)
    assert client.get("/api/v1/plots/2").json()["properties"]["status"] == "occupied"
    voided = _void(client, staff, burial["id"], "Dicatat di petak yang salah.")
    assert voided.status_code == 200, voided.text
    props = voided.json()["properties"]
    assert props["voided_at"] and props["void_reason"] == "Dicatat di petak yang salah."
    assert props["deceased_name"] == "Budi Santoso"
    assert client.get("/api/v1/plots/2").json()["properties"]["status"] == "available"
    public = client.get(f"/api/v1/interments/{burial['id']}").json()["properties"]
    assert public["voided_at"] and "void_reason" not in public
    voided = client.get("/api/v1/interments", params={"voided": "true"}).json()["features"]
    live = client.get("/api/v1/interments", params={"voided": "false"}).json()["features"]
    assert [f["id"] for f in voided] == [burial["id"]] and [f["id"] for f in live] == [1]
    with city.connect() as conn:
        audit = conn.execute(
            text(
                "SELECT actor, before ->> 'voided_at', after ->> 'void_reason' FROM audit_log "
                "WHERE table_name = 'interment' AND row_id = :id AND action = 'update'"
            ),
            {"id": burial["id"]},
        ).one()
    assert audit == ("staff", None, "Dicatat di petak yang salah.")


def test_void_keeps_the_plot_occupied_while_another_burial_lies_there(
    client: TestClient, login
) -> None:
    """Voiding one of two burials of a plot leaves the plot occupied."""
    staff = login("staff")
    second = _bury(client, staff, {**NEW_BURIAL, "plot_id": 1})
    assert _void(client, staff, second["id"], "Entered twice by mistake.").status_code == 200
    assert client.get("/api/v1/plots/1").json()["properties"]["status"] == "occupied"


def test_voided_interment_is_not_a_burial_in_the_capacity_analysis(
    client: TestClient, login
) -> None:
    """The cemetery analysis counts live burials only."""
    staff = login("staff")
    burial = _bury(client, staff, {**NEW_BURIAL, "buried_on": "2025-01-05"})

    def rate() -> float:
        report = client.get(
            "/api/v1/analysis/cemeteries", params={"as_of": "2025-06-01"}, headers=staff
        )
        assert report.status_code == 200, report.text
        return report.json()["cemeteries"][0]["burials_per_year"]

    with_both = rate()
    assert _void(client, staff, burial["id"], "Never buried here.").status_code == 200
    assert rate() == pytest.approx(with_both / 2, abs=0.01)


def test_void_needs_a_reason_staff_and_if_match(client: TestClient, login, city: Engine) -> None:
    """No reason, a blank one, crew or planner, or no If-Match: refused, nothing stored."""
    staff, crew, planner = login("staff"), login("crew"), login("planner")
    before = snapshot(city)
    etag = _etag(client, "/api/v1/interments/1", staff)
    for body in ({}, {"reason": ""}, {"reason": "     \t   "}):
        response = client.post(
            "/api/v1/interments/1/void", json=body, headers={**staff, "If-Match": etag}
        )
        assert response.status_code == 422, response.text
    for headers in (crew, planner):
        response = client.post(
            "/api/v1/interments/1/void",
            json={"reason": "Not allowed to void."},
            headers={**headers, "If-Match": etag},
        )
        assert response.status_code == 403
    response = client.post(
        "/api/v1/interments/1/void", json={"reason": "Missing If-Match."}, headers=staff
    )
    assert response.status_code == 428
    assert snapshot(city) == before


def test_voided_interment_is_not_changed_again(client: TestClient, login, city: Engine) -> None:
    """A voided record cannot be corrected or voided again (409), by the API or in SQL."""
    staff = login("staff")
    burial = _bury(client, staff, NEW_BURIAL)
    assert _void(client, staff, burial["id"], "Wrong plot entirely.").status_code == 200
    etag = _etag(client, f"/api/v1/interments/{burial['id']}", staff)
    patch = client.patch(
        f"/api/v1/interments/{burial['id']}",
        json={"properties": {"heir_name": "Ani"}},
        headers={**staff, "If-Match": etag},
    )
    assert patch.status_code == 409 and "voided" in patch.json()["detail"]
    assert _void(client, staff, burial["id"], "Voided twice.").status_code == 409
    with pytest.raises(DBAPIError, match="voided"), city.begin() as conn:
        conn.execute(text("UPDATE interment SET voided_at = NULL, void_reason = NULL"))


def test_correction_is_audited_before_and_after(client: TestClient, login, city: Engine) -> None:
    """A PATCH of an interment keeps the old and new values in the audit log."""
    staff = login("staff")
    etag = _etag(client, "/api/v1/interments/1", staff)
    response = client.patch(
        "/api/v1/interments/1",
        json={"properties": {"deceased_name": "Ahmad Fauzi bin Hasan"}},
        headers={**staff, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    with city.connect() as conn:
        row = conn.execute(
            text(
                "SELECT actor, before ->> 'deceased_name', after ->> 'deceased_name' "
                "FROM audit_log WHERE table_name = 'interment' AND row_id = 1 AND action = 'update'"
            )
        ).one()
    assert row == ("staff", "Ahmad Fauzi", "Ahmad Fauzi bin Hasan")


def test_moving_a_burial_to_another_plot_releases_the_old_one(client: TestClient, login) -> None:
    """Correcting an interment's plot occupies the new plot and frees the old one."""
    staff = login("staff")
    etag = _etag(client, "/api/v1/interments/1", staff)
    response = client.patch(
        "/api/v1/interments/1",
        json={"properties": {"plot_id": 2}},
        headers={**staff, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert client.get("/api/v1/plots/1").json()["properties"]["status"] == "available"
    assert client.get("/api/v1/plots/2").json()["properties"]["status"] == "occupied"


@pytest.mark.parametrize(("resource", "path"), ITEMS, ids=[item[0].name for item in ITEMS])
def test_patch_that_blanks_a_required_property_is_refused(
    client: TestClient, login, city: Engine, resource, path: str
) -> None:
    """For every resource, null, empty or spaces-only in a required property: 422, no change."""
    staff = login("staff")
    etag = _etag(client, path, staff)
    before = snapshot(city)
    for name in resource.required:
        for blank in (None, "", "   "):
            response = client.patch(
                path, json={"properties": {name: blank}}, headers={**staff, "If-Match": etag}
            )
            assert response.status_code == 422, (name, blank, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(city) == before


def test_cemetery_blanked_with_the_docs_example_shape_is_refused(
    client: TestClient, login, city: Engine
) -> None:
    """The fuzzer's case: a cemetery's name and capacity blanked in one PATCH is a 422."""
    staff = login("staff")
    etag = _etag(client, "/api/v1/cemeteries/1", staff)
    before = snapshot(city)
    for properties in ({"name": "", "capacity": None}, {"name": " ", "kind": "general"}):
        response = client.patch(
            "/api/v1/cemeteries/1",
            json={"type": "Feature", "properties": properties},
            headers={**staff, "If-Match": etag},
        )
        assert response.status_code == 422 and "name" in response.json()["detail"]
    assert snapshot(city) == before
    assert client.get("/api/v1/cemeteries/1").json()["properties"]["name"] == "TPU Guntung Manggis"


def test_create_with_a_blank_required_property_is_refused(client: TestClient, login) -> None:
    """A new interment whose deceased name is spaces only is a 422."""
    response = client.post(
        "/api/v1/interments",
        json={
            "type": "Feature",
            "geometry": None,
            "properties": {**NEW_BURIAL, "deceased_name": " "},
        },
        headers=login("staff"),
    )
    assert response.status_code == 422 and "deceased_name" in response.json()["detail"]
