"""Request dependencies: settings and database access from `app.state`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

from geo_assets.settings import Settings


# Trivial dependencies are `async`: FastAPI would run a plain `def` in the thread pool.
async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    """The engine created in the app's lifespan."""
    return request.app.state.engine


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for reading: autocommit (no BEGIN/COMMIT round trips) and no server-side
    prepared statements, whose generic plans cannot use a bbox's selectivity."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a checked-out connection always has one
        driver.prepare_threshold = None
        yield connection


def get_connection(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Connection]:
    """A connection in one transaction per request: committed on success."""
    with engine.begin() as connection:
        yield connection


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]
