"""Every role against every write route: each answer is allowed or refused as the role says.

The routes come from the app's own OpenAPI, so a new write route without an expectation here
fails the walk instead of slipping past it.
"""

from __future__ import annotations

import re
import uuid

from api_helpers import bearer, snapshot
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geo_assets.open311.keys import create_api_key

ROLES = (None, "crew", "planner", "staff", "admin")  # None: anonymous
SIGNED_IN = frozenset({"crew", "planner", "staff", "admin"})
EDITORS = frozenset({"staff", "admin"})
WORKERS = frozenset({"crew", "staff", "admin"})
ANYONE = frozenset(ROLES)
NOBODY: frozenset[str | None] = frozenset()
INVENTORY = (
    "/api/v1/kecamatan",
    "/api/v1/kelurahan",
    "/api/v1/roads",
    "/api/v1/lamps",
    "/api/v1/cemeteries",
    "/api/v1/cemeteries/{cemetery}/blocks",
    "/api/v1/plots",
    "/api/v1/interments",
    "/api/v1/access-roads",
    "/api/v1/prayer-rooms",
)
# (method, path as in the OpenAPI) -> the roles that may use it.
EXPECTED: dict[tuple[str, str], frozenset] = {
    **{("POST", path): EDITORS for path in INVENTORY},
    **{("PATCH", f"{path}/{{key}}"): EDITORS for path in INVENTORY},
    **{("DELETE", f"{path}/{{key}}"): EDITORS for path in INVENTORY if "interments" not in path},
    ("POST", "/api/v1/interments/{key}/void"): EDITORS,
    ("POST", "/api/v1/lamps/{key}/events"): WORKERS,  # and by status: BY_BODY
    ("POST", "/api/v1/workorders/{work_order_id}/assign"): EDITORS,
    ("POST", "/api/v1/workorders/{work_order_id}/state"): WORKERS,
    ("POST", "/field/api/lamps/{lamp_id}/events"): WORKERS,
    ("POST", "/api/v1/media/photos"): WORKERS,
    ("POST", "/api/v1/auth/token"): ANYONE,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("POST", "/open311/v2/requests.{fmt}"): ANYONE,  # an api_key, not a role, lets it in
}
# Routes whose answer also depends on what is asked: extra bodies and who may send them.
BY_BODY: dict[tuple[str, str], list[tuple[dict, frozenset]]] = {
    ("POST", "/api/v1/lamps/{key}/events"): [
        ({"to_status": "out"}, WORKERS),
        ({"to_status": "in_repair"}, WORKERS),
        ({"to_status": "planned"}, EDITORS),
        ({"to_status": "decommissioned"}, EDITORS),
    ]
}
# Not in the OpenAPI but answered: deleting an interment is refused to everyone (405).
HIDDEN: dict[tuple[str, str], frozenset] = {("DELETE", "/api/v1/interments/{key}"): NOBODY}


def write_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every POST, PUT, PATCH and DELETE of the app's OpenAPI."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "json" if m.group(0) == "{fmt}" else "1", path)


def _send(  # noqa: ANN202
    client: TestClient,
    method: str,
    path: str,
    headers: dict[str, str],
    key: str,
    body: dict | None = None,
):
    """One request with an empty body, checked for the role before the body, or `body`; the
    answer."""
    url = _url(path)
    if body is not None:
        headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        return client.request(method, url, json=body, headers=headers)
    if path.startswith("/open311"):
        form = {"api_key": key, "service_code": "streetlight_out", "lat": "-3.44", "long": "114.82"}
        return client.post(url, data=form, headers=headers)
    if path == "/api/v1/auth/token":
        return client.post(url, data={}, headers=headers)
    return client.request(method, url, json={}, headers=headers)


def test_every_write_route_has_an_expectation(client: TestClient) -> None:
    """The table below names every write route of the OpenAPI, and nothing that is not one."""
    assert write_routes(client) == set(EXPECTED)


def test_every_role_on_every_write_route(client: TestClient, city: Engine) -> None:
    """Anonymous gets 401 and a role without the right 403 on each write route; a role with
    it is let through (its answer is neither 401 nor 403, nor a server error)."""
    with city.begin() as conn:
        api_key = create_api_key(connection=conn, name="Roles walk")[1]
    tokens = {role: bearer(client, role) for role in SIGNED_IN}
    cases = [
        (route, None, allowed) for route, allowed in sorted({**EXPECTED, **HIDDEN}.items())
    ] + [(route, body, allowed) for route, bodies in BY_BODY.items() for body, allowed in bodies]
    wrong = []
    for (method, path), body, allowed in cases:
        for role in ROLES:
            headers = {} if role is None else tokens[role]
            if path.endswith("/logout") and role is not None:
                headers = bearer(client, role)  # signing out revokes the token used
            status = _send(client, method, path, headers, api_key, body).status_code
            if allowed is NOBODY:
                ok = status == 405
            elif role in allowed:
                ok = status not in (401, 403) and status < 500
            else:
                ok = status == (401 if role is None else 403)
            if not ok:
                wrong.append((method, path, body, role, status))
    assert wrong == []


def _event(client: TestClient, headers: dict[str, str], to_status: str, lamp: int = 1):  # noqa: ANN202
    return client.post(
        f"/api/v1/lamps/{lamp}/events",
        json={"to_status": to_status},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )


def test_lamp_statuses_by_role(client: TestClient, login, city: Engine) -> None:
    """Crews report out, damaged, in_repair and working only: planned or decommissioned is a
    403 that says so, and nothing is stored; staff and admin may set every status."""
    crew, planner = login("crew"), login("planner")
    before = snapshot(city)
    for status in ("planned", "decommissioned"):
        response = _event(client, crew, status)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert "staff" in response.json()["detail"]
        assert _event(client, planner, status).status_code == 403
        assert _event(client, {}, status).status_code == 401
    assert _event(client, planner, "out").status_code == 403
    assert snapshot(city) == before
    for status, lamp in (("out", 1), ("damaged", 3), ("in_repair", 4), ("working", 2)):
        assert _event(client, crew, status, lamp).status_code == 201, status
    assert _event(client, login("staff"), "decommissioned", 5).status_code == 201
    assert _event(client, login("admin"), "planned", 4).status_code == 201


def test_event_source_follows_the_role(client: TestClient, login, city: Engine) -> None:
    """An event is recorded as from the field for a crew, and from staff for staff and admin."""
    for role, lamp in (("crew", 1), ("staff", 3), ("admin", 4)):
        response = _event(client, login(role), "out", lamp)
        assert response.status_code == 201, response.text
        assert response.json()["source"] == ("field" if role == "crew" else "staff")
    with city.connect() as conn:
        sources = dict(
            conn.execute(
                text(
                    "SELECT actor, source FROM lamp_event WHERE actor IN ('crew', 'staff', 'admin')"
                )
            ).all()
        )
    assert sources == {"crew": "field", "staff": "staff", "admin": "staff"}
