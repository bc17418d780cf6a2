"""`Crew` (the work-order tests' people, lamps and API key), and helpers to sign in and report."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geo_assets.auth import Account
from tests.open311.builders import PASSWORD, lonlat


@dataclass
class Crew:
    """The test's database, its people and lamps."""

    engine: Engine
    staff: Account
    budi: Account  # crew
    sari: Account  # crew
    planner: Account
    lamp_a: int
    lamp_b: int
    key: str


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    """Headers carrying a fresh bearer token of `username`."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def report(client: TestClient, crew: Crew, dx: float = 3.0, **form: str) -> int:
    """A resident's Open311 report `dx` m east of lamp A; returns its id."""
    with crew.engine.connect() as conn:
        lon, lat = lonlat(conn, dx, 0)
    response = client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": crew.key,
            "service_code": "streetlight_out",
            "lat": str(lat),
            "long": str(lon),
            **form,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()[0]["service_request_id"]
