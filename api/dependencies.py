"""Request dependencies: settings and database access from `app.state`.

Two promises live here. A request holds at most one pooled connection at a time, and waits for
it in the event loop, never in a worker thread (see `get_engine`). A write is committed before
its answer is sent: `get_connection` has the "function" scope, so FastAPI leaves its `with`
block, and COMMITs, when the route has returned and before the response goes out; a failing
COMMIT is then answered as an error (503 for a lost database), never as the route's 2xx.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

from geo_assets.errors import DatabaseBusy
from geo_assets.settings import Settings


# Trivial dependencies are `async`: FastAPI would run a plain `def` in the thread pool.
async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: uvicorn --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def connection_slots(settings: Settings) -> anyio.Semaphore:
    """One slot per connection the pool may open: a request holds one while it uses the
    database."""
    return anyio.Semaphore(settings.db_pool_size + settings.db_max_overflow)


async def get_engine(request: Request) -> AsyncIterator[Engine]:
    """The engine created in the app's lifespan, with a connection slot held for this request.

    A request waits for its slot here, in the event loop. Were it to wait in a worker thread
    on the pool instead, the waiting threads could take every thread that the requests holding
    connections need to finish, and nobody would give a connection back.
    """
    settings: Settings = request.app.state.settings
    slots: anyio.Semaphore = request.app.state.db_slots
    with anyio.move_on_after(settings.db_pool_timeout) as waiting:
        await slots.acquire()
    if waiting.cancelled_caught:
        raise DatabaseBusy(
            f"Every database connection stayed busy for {settings.db_pool_timeout:g} s; "
            "nothing of this request was done. Try again shortly."
        )
    try:
        yield request.app.state.engine
    finally:
        slots.release()


EngineDep = Annotated[Engine, Depends(get_engine, scope="function")]


async def get_read_engine(request: Request, engine: EngineDep) -> Engine:
    """The engine for reads that may lag the primary a little (lists, tiles, maps, reports).

    The primary's own engine for now: a read replica, when configured, takes its place here.
    """
    return getattr(request.app.state, "read_engine", None) or engine


ReadEngineDep = Annotated[Engine, Depends(get_read_engine, scope="function")]


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for reading: autocommit (no BEGIN/COMMIT round trips) and no server-side
    prepared statements, whose generic plans cannot use a bbox's selectivity."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a checked-out connection always has one
        driver.prepare_threshold = None
        yield connection


def get_connection(request: Request, engine: EngineDep) -> Iterator[Connection]:
    """The request's connection, in one transaction committed before the answer is sent.

    It is kept on `request.state.connection` so that the token check can use it rather than
    take a second connection from the pool.
    """
    with engine.begin() as connection:
        request.state.connection = connection
        try:
            yield connection
        finally:
            request.state.connection = None


def shared_connection(request: Request) -> Connection | None:
    """The request's transaction connection when `get_connection` has opened it, else None."""
    return getattr(request.state, "connection", None)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ConnectionDep = Annotated[Connection, Depends(get_connection, scope="function")]
