"""Shared fixtures: a throwaway embedded PostGIS for the whole run, a fresh database per test.

The cluster lives in a temporary folder on a free port, never the one `make run` uses. Each test
that touches data gets its own database cloned from a migrated template (fast: a file copy), so
tests are isolated and may commit, COPY and open several connections like the real app does.

The cluster is locked down like a real one: the app role `geo_assets` logs in over TCP with the
password in the cluster's pgpass file and is no superuser, so migrations and every test run
without superuser rights. Databases are cloned and dropped by the bootstrap superuser over the
Unix socket. Two allowances, for test fixtures written before the lock-down: the app role may
create databases in this cluster (`app_can_create_databases`; `make run` clusters may not), and
PGPASSFILE points at the cluster's pgpass file, so a bare `psycopg.connect(user="geo_assets",
host="127.0.0.1", ...)` finds the password.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geo_assets import migrate
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster, find_pg_bindir
from geo_assets.settings import Settings
from tests.databases import TEMPLATE, clone_database, drop_database, free_port


@pytest.fixture(scope="session")
def cluster() -> Iterator[EmbeddedCluster]:
    """A private PostGIS cluster for this test run, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="geo-assets-test-"))
    root.chmod(0o755)  # as root, the server runs as `postgres` and must reach the folder
    pg = EmbeddedCluster(
        root / "pg",
        free_port(),
        find_pg_bindir(),
        db_name=TEMPLATE,
        durable=False,
        app_can_create_databases=True,
    )
    pg.start()
    passfile = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pg.password_file)
    engine = make_engine(pg.url())
    migrate.upgrade(engine)  # as the app role, no superuser
    engine.dispose()
    yield pg
    pg.stop()
    if passfile is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = passfile
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def db_url(cluster: EmbeddedCluster) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test alone."""
    url = clone_database(cluster, TEMPLATE)
    yield url
    drop_database(cluster, url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on this test's own database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright; one for the whole run."""
    from playwright.sync_api import sync_playwright

    from maps.browser import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def seeded_template(cluster: EmbeddedCluster) -> str:
    """Name of a database holding the Banjarbaru sample (scale 1, seed 42), seeded once."""
    from geo_assets.seed import seed_city

    url = clone_database(cluster, TEMPLATE)
    engine = make_engine(url)
    seed_city(engine)
    engine.dispose()  # a template must have no open connections
    return url.rsplit("/", 1)[1]


@pytest.fixture
def seeded_url(cluster: EmbeddedCluster, seeded_template: str) -> Iterator[str]:
    """URL of this test's own copy of the seeded sample city."""
    url = clone_database(cluster, seeded_template)
    yield url
    drop_database(cluster, url)


@pytest.fixture
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    """An engine on this test's own copy of the seeded sample city."""
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


@pytest.fixture
def city_url(db_url: str) -> str:
    """URL of the database `city`, `settings` and `client` use: this test's own database.

    A test folder with a small city of its own overrides this fixture to store that city in it
    (tests/webmaps, tests/io) or to clone it from a template (tests/api).
    """
    return db_url


@pytest.fixture
def city(city_url: str) -> Iterator[Engine]:
    """An engine on this test's database, holding its folder's small city (see `city_url`)."""
    engine = make_engine(city_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(city_url: str, tmp_path: Path) -> Settings:
    """The app's settings on this test's database, photos in a temporary folder."""
    return Settings(database_url=city_url, media_dir=tmp_path / "media")


@pytest.fixture
def raise_server_exceptions() -> bool:
    """Whether `client` re-raises an error of the app (True) or answers 500 as a server does."""
    return True


@pytest.fixture
def client(settings: Settings, raise_server_exceptions: bool) -> Iterator[TestClient]:
    """The whole app, in process, on this test's database."""
    from api.main import create_app  # the web layer only for the tests that ask for it

    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=raise_server_exceptions) as test_client:
        yield test_client
