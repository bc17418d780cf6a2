"""Watches the read replica from each worker: how far behind it is, whether reads may go there.

Once a second, on one connection of its own, the worker asks the replica how far its replay lags
the primary. While the replica does not answer, or lags more than
`GEO_ASSETS_READ_MAX_LAG_SECONDS`, `ReadEngineDep` hands out the primary's engine instead: reads
stay correct (if slower) through a replica's outage or a long catch-up after a big import.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy import Engine

from geo_assets.database import libpq_conninfo
from geo_assets.settings import Settings

# Seconds the replica's replay is behind: 0 while it has replayed all it received.
LAG_QUERY = """
    SELECT pg_is_in_recovery(),
           CASE WHEN NOT pg_is_in_recovery()
                  OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
                ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END
"""
PROBE_INTERVAL_SECONDS = 1.0


@dataclass
class ReplicaMonitor:
    """The replica's last known state, refreshed by `run`."""

    conninfo: str
    max_lag_seconds: float
    timeout: float
    reachable: bool = True  # until a probe says otherwise
    lag_seconds: float | None = None
    detail: str | None = None

    @property
    def serves_reads(self) -> bool:
        """True when reads may go to the replica now: it answers and is not too far behind."""
        if not self.reachable:
            return False
        too_far = self.max_lag_seconds > 0 and (self.lag_seconds or 0.0) > self.max_lag_seconds
        return not too_far

    async def _connect(self) -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(
            self.conninfo,
            autocommit=True,
            connect_timeout=max(1, round(self.timeout)),
            options=f"-c statement_timeout={int(self.timeout * 1000)}",
        )

    @staticmethod
    async def _lag(connection: psycopg.AsyncConnection) -> float:
        cursor = await connection.execute(LAG_QUERY)
        row = await cursor.fetchone()
        assert row is not None  # the query always returns one row
        return float(row[1] or 0.0)

    async def run(self) -> None:
        """Probe the replica every second until cancelled, reconnecting after an error."""
        connection: psycopg.AsyncConnection | None = None
        try:
            while True:
                try:
                    connection = connection or await self._connect()
                    lag = await asyncio.wait_for(self._lag(connection), self.timeout)
                    self.reachable, self.lag_seconds, self.detail = True, lag, None
                except (psycopg.Error, OSError, TimeoutError) as exc:
                    self.reachable, self.lag_seconds = False, None
                    self.detail = (str(exc).strip().splitlines() or ["no answer in time"])[0]
                    if connection is not None:
                        await connection.close()
                    connection = None
                await asyncio.sleep(PROBE_INTERVAL_SECONDS)
        finally:
            if connection is not None:
                await connection.close()


@asynccontextmanager
async def watching(
    read_engine: Engine | None, settings: Settings
) -> AsyncIterator[ReplicaMonitor | None]:
    """A monitor of the replica behind `read_engine` (None without one), probing meanwhile."""
    if read_engine is None:
        yield None
        return
    monitor = ReplicaMonitor(
        libpq_conninfo(read_engine), settings.read_max_lag_seconds, settings.health_timeout
    )
    task = asyncio.create_task(monitor.run())
    try:
        yield monitor
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
