"""A live server on a copy of the seeded city, with staff and crew accounts, for the OGC tests.

GDAL and OWSLib need a real socket, so the app runs in uvicorn (tests/api/live_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import Engine

from geo_assets import auth
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.settings import Settings
from tests.api.live_server import live_server, wait_until_disconnected
from tests.databases import clone_database, drop_database

PASSWORD = "ogc-test-secret-pass"


@dataclass(frozen=True)
class OgcServer:
    """The server's base URL, an engine on its database, and bearer headers per role."""

    base: str
    engine: Engine
    staff: dict[str, str]
    crew: dict[str, str]

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        """GET `path` (a URL, or a path on this server), anonymously unless headers are given."""
        url = path if path.startswith("http") else f"{self.base}{path}"
        return httpx.get(url, timeout=60, **kwargs)  # type: ignore[arg-type]


def _token(base: str, username: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def seeded_server(cluster: EmbeddedCluster, template: str) -> Iterator[OgcServer]:
    """Serve a fresh copy of the seeded city (14,000 lamps) until the block ends."""
    url = clone_database(cluster, template)
    engine = make_engine(url)
    with engine.begin() as connection:
        for role in ("staff", "crew"):
            auth.create_user(
                connection=connection,
                username=f"ogc-{role}",
                role=role,
                password=PASSWORD,
                actor="test",
            )
    try:
        with live_server(Settings(database_url=url)) as base:
            yield OgcServer(base, engine, _token(base, "ogc-staff"), _token(base, "ogc-crew"))
        wait_until_disconnected(engine)
    finally:
        engine.dispose()
        drop_database(cluster, url)
