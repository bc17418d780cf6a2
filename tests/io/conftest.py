"""Fixtures of the import/export tests: the small city in this or a second fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli.main import app
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from tests.databases import TEMPLATE, clone_database, drop_database
from tests.io.small_city import build_city, stock_city


@pytest.fixture
def city_url(engine: Engine, db_url: str) -> str:
    """This test's database with the small city stored (and no lamps)."""
    build_city(engine)
    return db_url


@pytest.fixture
def run(city: Engine, db_url: str):  # noqa: ANN201 - returns the runner function
    """Run the CLI in-process against this test's database (the small city)."""
    runner = CliRunner()

    def invoke(*args: str):  # noqa: ANN202
        env = {"GEO_ASSETS_DATABASE_URL": db_url, "COLUMNS": "250"}
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture
def stocked_city(city: Engine, tmp_path: Path) -> Engine:
    """The small city with lamps, plots, musala and an access road, for this test alone."""
    return stock_city(city, tmp_path)


@pytest.fixture(scope="module")
def shared_stocked_city(
    cluster: EmbeddedCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The stocked city shared by a module's read-only tests (exports never write)."""
    for engine in _second_database(cluster, assets=True):
        yield stock_city(engine, tmp_path_factory.mktemp("stock"))


def _second_database(cluster: EmbeddedCluster, *, assets: bool) -> Iterator[Engine]:
    url = clone_database(cluster, TEMPLATE)
    engine = make_engine(url)
    build_city(engine, assets=assets)
    yield engine
    engine.dispose()
    drop_database(cluster, url)


@pytest.fixture
def other_city(cluster: EmbeddedCluster) -> Iterator[Engine]:
    """A second fresh database with the same small city, to import exported files into."""
    yield from _second_database(cluster, assets=True)


@pytest.fixture
def bare_city(cluster: EmbeddedCluster) -> Iterator[Engine]:
    """A second fresh database with only the kecamatan and kelurahan: no roads, no TPU."""
    yield from _second_database(cluster, assets=False)
