"""Lamps placed by metre offsets, users and API keys, for the Open311 and work-order tests.

Offsets are in UTM 50S metres from a point in Banjarbaru Utara and stored as lon/lat, so that
"29 m away" in a test is 29 m on the ground.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from geo_assets import auth
from geo_assets.auth import Account
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.open311.keys import create_api_key
from tests import factories

X0, Y0 = 259_000.0, 9_619_000.0  # UTM 50S, near 114.8305 E, 3.4455 S
PASSWORD = "rahasia-123"


def lonlat(conn: Connection, dx: float, dy: float = 0.0) -> tuple[float, float]:
    """The lon/lat of the point `dx` m east and `dy` m north of the origin."""
    row = conn.execute(
        text(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(:x, :y), 32750), "
            "4326) AS p"
        ),
        {"x": X0 + dx, "y": Y0 + dy},
    ).one()
    return row[0], row[1]


def add_lamp(
    conn: Connection, number: int, dx: float, dy: float = 0.0, status: str = "working"
) -> int:
    """A lamp `PJU-63.72.04-<number>` at the offset, whose history starts with `status`."""
    lon, lat = lonlat(conn, dx, dy)
    lamp_id = factories.add_lamp(conn, code=f"PJU-63.72.04-{number:05d}", lon=lon, lat=lat)
    record_lamp_events(
        conn, [NewLampEvent(lamp_id, status, "import", datetime(2026, 1, 1, tzinfo=UTC))]
    )
    return lamp_id


def add_user(conn: Connection, username: str, role: str) -> Account:
    """An active user with the shared test password."""
    return auth.create_user(connection=conn, username=username, role=role, password=PASSWORD)


def new_api_key(engine: Engine, name: str = "Aplikasi Lapor Banjarbaru") -> str:
    """A fresh API key's text."""
    with engine.begin() as conn:
        return create_api_key(connection=conn, name=name)[1]


def lamp_events(conn: Connection, lamp_id: int) -> list[tuple[str, str]]:
    """A lamp's history as (to_status, source), oldest first."""
    return [
        tuple(row)
        for row in conn.execute(
            text(
                "SELECT to_status, source FROM lamp_event WHERE lamp_id = :id "
                "ORDER BY occurred_at, id"
            ),
            {"id": lamp_id},
        )
    ]
