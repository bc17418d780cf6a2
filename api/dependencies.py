"""Request dependencies: settings and database access from `app.state`.

Two promises live here. A request holds at most one pooled connection at a time, and waits for
it in the event loop, never in a worker thread (see `get_engine`). A write is committed before
its answer is sent: `get_connection` has the "function" scope, so FastAPI leaves its `with`
block, and COMMITs, when the route has returned and before the response goes out; a failing
COMMIT is then answered as an error (503 for a lost database), never as the route's 2xx.

With a read replica configured, routes that only read (`ReadEngineDep`) hold one of the
replica's slots instead of the primary's, so reads and writes queue apart; a token check still
reads on the primary, holding a primary slot only while it runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
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


async def _acquire(slots: anyio.Semaphore, settings: Settings) -> None:
    """Take a connection slot, waiting in the event loop; DatabaseBusy after the pool timeout."""
    with anyio.move_on_after(settings.db_pool_timeout) as waiting:
        await slots.acquire()
    if waiting.cancelled_caught:
        raise DatabaseBusy(
            f"Every database connection stayed busy for {settings.db_pool_timeout:g} s; "
            "nothing of this request was done. Try again shortly."
        )


@asynccontextmanager
async def _slot(request: Request, *, primary: bool) -> AsyncIterator[None]:
    """Hold one of the primary's connection slots, or one of the replica's, meanwhile."""
    state = request.app.state
    slots: anyio.Semaphore = state.db_slots if primary else state.read_slots
    await _acquire(slots, state.settings)
    if primary:
        request.state.holds_primary_slot = True
    try:
        yield
    finally:
        if primary:
            request.state.holds_primary_slot = False
        slots.release()


async def get_engine(request: Request) -> AsyncIterator[Engine]:
    """The primary's engine, created in the app's lifespan, with a connection slot held for
    this request.

    A request waits for its slot here, in the event loop. Were it to wait in a worker thread
    on the pool instead, the waiting threads could take every thread that the requests holding
    connections need to finish, and nobody would give a connection back.
    """
    async with _slot(request, primary=True):
        yield request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine, scope="function")]


@asynccontextmanager
async def primary_slot(request: Request) -> AsyncIterator[Engine]:
    """The primary's engine for a short read that must not lag (a token check), with a slot
    held only meanwhile, or the slot the request already holds.

    A request may hold a replica slot while it waits here; no request holding a primary slot
    ever waits for a replica slot, so the two kinds of slots cannot wait on each other.
    """
    if getattr(request.state, "holds_primary_slot", False):
        yield request.app.state.engine
        return
    async with _slot(request, primary=True):
        yield request.app.state.engine


async def get_read_engine(request: Request) -> AsyncIterator[Engine]:
    """The engine for reads that may lag the primary a little (lists, items, tiles, maps,
    exports, reports), with a connection slot held for this request.

    The read replica's (GEO_ASSETS_READ_DATABASE_URL), with its own pool and slots, when one is
    configured and answers within GEO_ASSETS_READ_MAX_LAG_SECONDS of the primary; else the
    primary's. Never for a read that must see this request's own write.
    """
    read_engine: Engine | None = getattr(request.app.state, "read_engine", None)
    monitor = getattr(request.app.state, "replica_monitor", None)
    if monitor is not None and not monitor.serves_reads:
        read_engine = None  # replica down or too far behind: read on the primary meanwhile
    async with _slot(request, primary=read_engine is None):
        yield read_engine or request.app.state.engine


ReadEngineDep = Annotated[Engine, Depends(get_read_engine, scope="function")]


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for reading: autocommit (no BEGIN/COMMIT round trips).

    A statement run again (an items page of the same shape) is prepared, so PostgreSQL parses
    it only once per connection; the server's engine has every execution planned for its own
    values (`make_server_engine`), so a bbox's selectivity still counts."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
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
