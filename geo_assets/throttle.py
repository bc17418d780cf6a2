"""Throttling of sign-ins and Open311 reports, kept in the database so every worker agrees.

A `Policy` allows `limit` hits (failed sign-ins, reports) per key (a user name, a client address,
an API key) within `window`. The hit that reaches the limit blocks the key for `first_block`;
a hit within the window after that blocks it again, each block twice as long as the one before,
up to `max_block`, until the key has been quiet for a whole window. A blocked key is refused
with `TooManyRequests` (429 and Retry-After) without any work being done; `clear` forgets a key
(a successful sign-in).

`PasswordGate` bounds how many password hashes one process checks at once, so that guessing
cannot take every core from the rest of the API.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from geo_assets import tables
from geo_assets.errors import ServerBusy, TooManyRequests
from geo_assets.settings import Settings

MAX_KEY = 128


@dataclass(frozen=True)
class Policy:
    """How many hits one key may have in a window, and how long it then waits."""

    scope: str
    limit: int
    window: timedelta
    first_block: timedelta
    max_block: timedelta
    refusal: str  # what the 429 says; `{seconds}` is filled in


def login_policies(settings: Settings) -> tuple[Policy, Policy]:
    """Failed sign-ins per user name and per client address."""
    window = timedelta(seconds=settings.login_failure_window_seconds)
    first = timedelta(seconds=settings.login_block_seconds)
    longest = timedelta(seconds=settings.login_block_max_seconds)
    refusal = (
        "Too many failed sign-ins for this {what}: wait {seconds} s and try again. "
        "Ask an administrator if you forgot the password."
    )
    return (
        Policy(
            "login-account",
            settings.login_failures_per_account,
            window,
            first,
            longest,
            refusal.format(what="user name", seconds="{seconds}"),
        ),
        Policy(
            "login-address",
            settings.login_failures_per_address,
            window,
            first,
            longest,
            refusal.format(what="address", seconds="{seconds}"),
        ),
    )


def open311_policies(settings: Settings) -> tuple[Policy, Policy]:
    """Reports per API key, and POSTs without a valid key per client address."""
    window = timedelta(seconds=settings.open311_window_seconds)
    return (
        Policy(
            "open311-key",
            settings.open311_posts_per_key,
            window,
            window,
            window * 10,
            "Too many reports with this api_key: wait {seconds} s and send again.",
        ),
        Policy(
            "open311-address",
            settings.open311_posts_per_address,
            window,
            window,
            window * 10,
            "Too many requests without a valid api_key from this address: wait {seconds} s.",
        ),
    )


def _key(key: str) -> str:
    return key[:MAX_KEY]


def check(connection: Connection, policy: Policy, key: str) -> None:
    """TooManyRequests while `key` is blocked under `policy`; nothing is recorded."""
    row = connection.execute(
        select(tables.THROTTLE.c.blocked_until, func.now().label("now")).where(
            tables.THROTTLE.c.scope == policy.scope, tables.THROTTLE.c.key == _key(key)
        )
    ).one_or_none()
    if row is not None and row.blocked_until is not None and row.blocked_until > row.now:
        seconds = math.ceil((row.blocked_until - row.now).total_seconds())
        raise TooManyRequests(policy.refusal.format(seconds=seconds), retry_after=seconds)


def _block_for(policy: Policy, strikes: int) -> timedelta:
    # Doubling from the first block; the exponent is capped so the number stays small.
    return min(policy.first_block * 2 ** min(strikes - 1, 30), policy.max_block)


def record(connection: Connection, policy: Policy, key: str) -> datetime | None:
    """Count one hit of `key`; returns until when it is blocked if this hit reached the limit."""
    key = _key(key)
    where = (tables.THROTTLE.c.scope == policy.scope, tables.THROTTLE.c.key == key)
    connection.execute(
        insert(tables.THROTTLE).values(scope=policy.scope, key=key).on_conflict_do_nothing()
    )
    row = connection.execute(
        select(tables.THROTTLE, func.now().label("now")).where(*where).with_for_update()
    ).one()
    now, hits, strikes, started = row.now, row.hits, row.strikes, row.window_started_at
    quiet_since = max(row.last_hit_at, row.blocked_until or row.last_hit_at)
    if quiet_since < now - policy.window:
        strikes = 0
    if started < now - policy.window:
        hits, started = 0, now
    hits += 1
    blocked_until, blocks_now = row.blocked_until, hits >= policy.limit
    if blocks_now:
        strikes += 1
        blocked_until = now + _block_for(policy, strikes)
        # Within the window after a block, the next hit blocks again (for twice as long).
        hits, started = policy.limit - 1, now
    connection.execute(
        update(tables.THROTTLE)
        .where(*where)
        .values(
            hits=hits,
            strikes=strikes,
            window_started_at=started,
            blocked_until=blocked_until,
            last_hit_at=now,
            updated_at=now,
            version=tables.THROTTLE.c.version + 1,
        )
    )
    _forget_stale(connection, policy)
    return blocked_until if blocks_now else None


def _forget_stale(connection: Connection, policy: Policy) -> None:
    # Keys quiet for longer than any block and window are forgotten, so that spraying many
    # user names does not grow the table without end.
    connection.execute(
        delete(tables.THROTTLE).where(
            tables.THROTTLE.c.scope == policy.scope,
            tables.THROTTLE.c.last_hit_at < func.now() - (policy.window + policy.max_block),
        )
    )


def hit(connection: Connection, policy: Policy, key: str) -> None:
    """A rate limit: refuse while blocked, else count this hit (the limit-th one still passes)."""
    check(connection, policy, key)
    record(connection, policy, key)


def clear(connection: Connection, policy: Policy, key: str) -> None:
    """Forget `key`'s hits and block (after a successful sign-in)."""
    connection.execute(
        delete(tables.THROTTLE).where(
            tables.THROTTLE.c.scope == policy.scope, tables.THROTTLE.c.key == _key(key)
        )
    )


class PasswordGate:
    """At most `slots` password checks at once in this process; a few more may wait briefly.

    Waiting happens in the event loop (no thread is held), and a sign-in that cannot get a slot
    within `wait_seconds`, or finds `queue` others waiting already, is refused at once with
    ServerBusy (503, Retry-After) instead of queueing CPU work.
    """

    def __init__(self, slots: int, *, queue: int, wait_seconds: float) -> None:
        """A gate with `slots` concurrent checks, `queue` waiters and a wait of `wait_seconds`."""
        self.slots = slots
        self.queue = queue
        self.wait_seconds = wait_seconds
        self._semaphore = threading.BoundedSemaphore(slots)
        self._waiting = 0

    def try_acquire(self) -> bool:
        """Take a slot if one is free now."""
        return self._semaphore.acquire(blocking=False)

    def release(self) -> None:
        """Give a slot back."""
        self._semaphore.release()

    async def acquire(self) -> None:
        """Take a slot, waiting up to `wait_seconds`; ServerBusy when none comes."""
        if self.try_acquire():
            return
        if self._waiting >= self.queue:
            raise self._busy()
        self._waiting += 1
        try:
            deadline = time.monotonic() + self.wait_seconds
            while not self.try_acquire():
                if time.monotonic() >= deadline:
                    raise self._busy()
                await asyncio.sleep(0.01)
        finally:
            self._waiting -= 1

    def _busy(self) -> ServerBusy:
        return ServerBusy(
            "The server is checking as many sign-ins as it can right now: try again in a second."
        )
