"""A small city whose every name was set through the API to markup that would run as script.

`spoil(url)` signs in as staff (and as crew for a lamp event's note) and writes the hostile
string into road, kelurahan, kecamatan, cemetery, block, access road and prayer room names,
a cemetery's manager, an access road's planned work and a lamp event's note.
"""

from __future__ import annotations

import time

import httpx
from sqlalchemy import Engine

from tests.api.api_helpers import add_users, build_city, password_for

# Runs when put into the page as HTML: the image fails to load and its handler fires.
HOSTILE = "<img src=x onerror=window.__pwned=1>"
# Written with the hostile markup so that each place can be told apart in the page.
CHANGES: dict[str, dict[str, str]] = {
    "/api/v1/roads/1": {"name": f"Jl. {HOSTILE} road"},
    "/api/v1/kelurahan/1": {"name": f"Kel {HOSTILE}"},
    "/api/v1/kecamatan/1": {"name": f"Kec {HOSTILE}"},
    "/api/v1/cemeteries/1": {"name": f"TPU {HOSTILE}", "manager": f"Pak {HOSTILE}"},
    "/api/v1/cemeteries/1/blocks/1": {"name": HOSTILE},
    "/api/v1/access-roads/1": {
        "name": f"Akses {HOSTILE}",
        "planned_improvement": f"Aspal {HOSTILE}",
    },
    "/api/v1/prayer-rooms/1": {"name": f"Musala {HOSTILE}"},
}
NOTE = f"Catatan {HOSTILE}"


def build_hostile_city(engine: Engine) -> None:
    """The API tests' small city with one user per role (password: `password_for(role)`)."""
    build_city(engine)
    add_users(engine)


def usable(client: httpx.Client, header: dict[str, str]) -> dict[str, str]:
    """`header` once its token is known to the server (a sign-in commits just after it answers,
    until issue 9 §1 is fixed), so that the next request is not refused by chance."""
    for _ in range(50):
        if client.get("/api/v1/auth/me", headers=header).status_code == 200:
            return header
        time.sleep(0.1)
    raise AssertionError("the token from the sign-in never became usable")


def sign_in(client: httpx.Client, role: str) -> dict[str, str]:
    """The Authorization header of the user named after `role`."""
    response = client.post(
        "/api/v1/auth/token", data={"username": role, "password": password_for(role)}
    )
    assert response.status_code == 200, response.text
    return usable(client, {"Authorization": f"Bearer {response.json()['access_token']}"})


def spoil(url: str) -> dict[str, str]:
    """Write the hostile names through the API of the app at `url`; the staff header."""
    with httpx.Client(base_url=url, timeout=30) as client:
        staff = sign_in(client, "staff")
        for path, change in CHANGES.items():
            etag = client.get(path, headers=staff).headers["ETag"]
            response = client.patch(
                path, json={"properties": change}, headers={**staff, "If-Match": etag}
            )
            assert response.status_code == 200, f"{path}: {response.text}"
        crew = sign_in(client, "crew")
        event = client.post(
            "/api/v1/lamps/1/events", json={"to_status": "out", "note": NOTE}, headers=crew
        )
        assert event.status_code == 201, event.text
    return staff
