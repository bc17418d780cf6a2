"""API test fixtures: the small city is built once per run, then cloned for each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from api_helpers import add_users, bearer, build_city
from fastapi.testclient import TestClient
from live_server import live_server, wait_until_disconnected
from sqlalchemy import Engine

from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.settings import Settings
from tests.databases import admin_connection

CITY_TEMPLATE = "api_city_template"


@pytest.fixture(scope="session")
def city_template(cluster: EmbeddedCluster) -> str:
    """A database holding the small city and one user per role, cloned by `city_url`."""
    with admin_connection(cluster) as admin:
        admin.execute(
            f'CREATE DATABASE "{CITY_TEMPLATE}" TEMPLATE "{cluster.db_name}" OWNER geo_assets'
        )
    engine = make_engine(cluster.url(CITY_TEMPLATE))
    build_city(engine)
    add_users(engine)
    engine.dispose()
    return CITY_TEMPLATE


@pytest.fixture
def city_url(
    cluster: EmbeddedCluster, city_template: str, request: pytest.FixtureRequest
) -> Iterator[str]:
    """URL of this test's own copy of the small city."""
    name = f"api_{abs(hash(request.node.nodeid)) % 10**12}"
    with admin_connection(cluster) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{city_template}" OWNER geo_assets')
    yield cluster.url(name)
    with admin_connection(cluster) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def raise_server_exceptions() -> bool:
    """API tests read an error of the app as the 500 a client would get."""
    return False


@pytest.fixture
def login(client: TestClient) -> Callable[[str], dict[str, str]]:
    """The Authorization header of the user of a role (signed in once per test)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in cache:
            cache[role] = bearer(client, role)
        return cache[role]

    return headers


@pytest.fixture
def server(city_url: str, city: Engine) -> Iterator[httpx.Client]:
    """An HTTP client on a real uvicorn server serving this test's small city."""
    with (
        live_server(Settings(database_url=city_url)) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        yield http
    wait_until_disconnected(city)
