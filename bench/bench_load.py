"""Crews posting lamp events at once, and through a database outage: `geo-assets serve` vs the
database's own ceiling (a plain psycopg INSERT + UPDATE loop at the same concurrency).

One throwaway durable cluster seeded at scale 1 (14,000 lamps, VACUUM ANALYZEd). The server is
`geo-assets serve` in its own process (default pool settings, WORKERS workers).
- load: wrk, one connection per crew, posts `POST /api/v1/lamps/{id}/events` with a fresh
  Idempotency-Key each time, cycling out, in_repair, working, damaged (each opens, moves or
  resolves a work order) over LAMPS lamps; 10 and 50 crews, SECONDS each in two turns
  (10-50-50-10, after a 2 s warm-up); throughput counts answers, p95 is the higher of the
  two turns' wrk p95, errors are non-2xx answers, timeouts (30 s) and socket errors;
- alternative: the same number of threads, each on its own psycopg connection, inserting the
  event and setting the lamp's status in one transaction per event, SECONDS / 2 each;
- outage: OUTAGE_CREWS crews (asyncio tasks, each with its own connection and lamp) post
  while PostgreSQL is stopped (SIGQUIT to the postmaster, as `pg_ctl stop -m immediate`) for
  DOWN_S seconds and started again; a crew resends an unanswered report with the same key (as
  /field does). Then every acknowledged (201) key is looked up in the database: lost =
  acknowledged but not stored.
Run: `.venv/bin/python -m bench.bench_load` (prints one Markdown section; ~2 minutes).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import text

from bench.common import WORKERS, bench_cluster, geo_assets_serve, machine_line, table
from geo_assets import auth
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.seed import seed_city
from geo_assets.settings import Settings

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "12"))
CREWS = (10, 50)
OUTAGE_CREWS, OUTAGE_S, DOWN_AT_S, DOWN_S = 12, 14.0, 3.0, 4.0
STATUSES = ("out", "in_repair", "working", "damaged")
LAMPS = 60
CREW_USER, CREW_PASSWORD = "regu.bench", "regu-bench-pass"


@dataclass
class Tally:
    """What the crews saw: acknowledged keys and other answers."""

    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: list[str] = field(default_factory=list)

    def record(self, key: str, outcome: int | str) -> None:
        """Count one answer (an int status) or failure (an exception name)."""
        if outcome == 201:
            self.acknowledged.append(key)
        else:
            self.errors[str(outcome)] += 1


@dataclass
class WrkResult:
    """What wrk counted in one turn."""

    requests: int
    p95: float
    non_2xx: int
    timeouts: int
    socket_errors: int

    def __add__(self, other: WrkResult) -> WrkResult:
        return WrkResult(
            self.requests + other.requests,
            max(self.p95, other.p95),
            self.non_2xx + other.non_2xx,
            self.timeouts + other.timeouts,
            self.socket_errors + other.socket_errors,
        )

    @property
    def errors(self) -> int:
        """Answers other than 2xx, timeouts and socket errors."""
        return self.non_2xx + self.timeouts + self.socket_errors


# wrk (C, one connection per crew) loads the server, so that the load generator's own Python
# overhead is not what is measured. Keys are unique per request; lamps rotate over LAMPS.
WRK_CREWS = """
local statuses = {"out", "in_repair", "working", "damaged"}
local counter, threads = 0, 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args)
  token, prefix, lamps, first = args[1], args[2], tonumber(args[3]), tonumber(args[4])
end
function request()
  counter = counter + 1
  local lamp = first + (counter * 7 + tid * 13) % lamps
  return wrk.format("POST", "/api/v1/lamps/" .. lamp .. "/events", {
    ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. tid .. "-" .. counter},
    '{"to_status": "' .. statuses[(counter % 4) + 1] .. '"}')
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("CREWS %d %d %d %d %d\\n", summary.requests, latency:percentile(95),
    e.status, e.timeout, e.connect + e.read + e.write))
end
"""


async def crew(base: str, token: str, lamp: int, until: float, tally: Tally, retry: bool) -> None:
    """One crew's phone: report, report again; with `retry`, resend an unanswered report
    with its key until it is acknowledged."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as http:
        number = 0
        while time.monotonic() < until:
            key, status = uuid.uuid4().hex, STATUSES[number % len(STATUSES)]
            number += 1
            while True:
                try:
                    answer = await http.post(
                        f"/api/v1/lamps/{lamp}/events",
                        headers={"Idempotency-Key": key},
                        json={"to_status": status},
                    )
                    outcome: int | str = answer.status_code
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                tally.record(key, outcome)
                if outcome == 201 or not retry or time.monotonic() > until + 15:
                    break
                await asyncio.sleep(0.25)


def run_crews(count: int, shift: Callable[[int], Awaitable[None]]) -> None:
    """Run `count` crews at once (asyncio tasks: a light client, so that the server is what
    is measured) and wait for all."""

    async def all_of_them() -> None:
        await asyncio.gather(*(shift(i) for i in range(count)))

    asyncio.run(all_of_them())


def wrk_crews(base: str, token: str, first_lamp: int, count: int, seconds: float) -> WrkResult:
    """`count` crews (wrk connections) posting events for `seconds`, each with a fresh key."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_CREWS)
    try:
        result = subprocess.run(
            ["wrk", "-t2", f"-c{count}", f"-d{seconds:g}s", "--timeout", "30s"]
            + [
                "-s",
                script.name,
                base,
                "--",
                token,
                uuid.uuid4().hex[:12],
                str(LAMPS),
                str(first_lamp),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        )
    finally:
        Path(script.name).unlink()
    line = next(row for row in result.stdout.splitlines() if row.startswith("CREWS "))
    requests, p95_us, non_2xx, timeouts, socket_errors = map(int, line.split()[1:])
    return WrkResult(requests, p95_us / 1e6, non_2xx, timeouts, socket_errors)


def run_threads(count: int, target: Callable[[int], None]) -> None:
    """Run `target(i)` in `count` threads and wait for all."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def psycopg_loop(url: str, lamps: list[int], count: int, seconds: float) -> int:
    """Events per `seconds` of `count` threads inserting an event and setting the lamp's status,
    one transaction each, on their own connections: the database's ceiling for this write."""
    conninfo = url.replace("postgresql+psycopg", "postgresql")
    done = Counter[int]()
    until = time.monotonic() + seconds

    def loop(i: int) -> None:
        with psycopg.connect(conninfo) as conn:
            number = 0
            while time.monotonic() < until:
                status = STATUSES[number % len(STATUSES)]
                number += 1
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO lamp_event (lamp_id, to_status, source, actor, occurred_at, "
                        "idempotency_key) VALUES (%s, %s, 'field', %s, now(), %s)",
                        (lamps[i], status, CREW_USER, uuid.uuid4().hex),
                    )
                    conn.execute(
                        "UPDATE lamp SET status = %s, status_changed_at = now() WHERE id = %s",
                        (status, lamps[i]),
                    )
                done[i] += 1

    run_threads(count, loop)
    return sum(done.values())


def crash_and_restart(cluster: EmbeddedCluster) -> None:
    """Stop PostgreSQL at once (SIGQUIT to the postmaster), wait DOWN_S, start it again."""
    pid = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGQUIT)
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    time.sleep(DOWN_S)
    cluster.start()


def stored_keys(url: str, keys: list[str]) -> Counter[str]:
    """How many events are stored under each of `keys`."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT idempotency_key FROM lamp_event WHERE idempotency_key = ANY(:keys)"),
            {"keys": keys},
        ).scalars()
        found = Counter(rows)
    engine.dispose()
    return found


def outage_run(cluster: EmbeddedCluster, base: str, token: str, lamps: list[int]) -> dict:
    """Crews post through a crash of the database; acknowledged vs stored."""
    tally = Tally()
    until = time.monotonic() + OUTAGE_S
    crashing = threading.Timer(DOWN_AT_S, crash_and_restart, args=(cluster,))
    crashing.start()
    run_crews(OUTAGE_CREWS, lambda i: crew(base, token, lamps[i], until, tally, retry=True))
    crashing.join()
    acknowledged = list(dict.fromkeys(tally.acknowledged))
    stored = stored_keys(cluster.url(), acknowledged)
    return {
        "acknowledged": len(acknowledged),
        "stored": sum(1 for key in acknowledged if stored[key] == 1),
        "lost": sum(1 for key in acknowledged if stored[key] == 0),
        "duplicated": sum(1 for key in acknowledged if stored[key] > 1),
        "errors": tally.errors,
    }


def prepare(url: str) -> list[int]:
    """Seed the city and add the crews' account; the lamps the crews report on."""
    engine = make_engine(url)
    seed_city(engine, scale=1)
    with engine.begin() as conn:
        auth.create_user(
            connection=conn, username=CREW_USER, role="crew", password=CREW_PASSWORD, actor="bench"
        )
        lamps = list(
            conn.execute(text("SELECT id FROM lamp ORDER BY id LIMIT :n"), {"n": LAMPS}).scalars()
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return lamps


def sign_in(base: str) -> str:
    """A crew token."""
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": CREW_USER, "password": CREW_PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def load_rows(url: str, base: str, token: str, lamps: list[int]) -> list[tuple[str, ...]]:
    """One row per crew count: ours, psycopg's, the ratio, p95 and errors. Turns run in the
    order 10-50-50-10 crews (after a warm-up), so that a change of load on a shared machine
    favours neither."""
    wrk_crews(base, token, lamps[0], CREWS[0], 2)
    turns = {count: WrkResult(0, 0.0, 0, 0, 0) for count in CREWS}
    for count in (*CREWS, *reversed(CREWS)):
        turns[count] += wrk_crews(base, token, lamps[0], count, SECONDS / 2)
    rows = []
    for count, turn in turns.items():
        ours = turn.requests / SECONDS
        theirs = psycopg_loop(url, lamps, count, SECONDS / 2) / (SECONDS / 2)
        rows.append(
            (
                f"{count} crews",
                f"{ours:,.0f}",
                f"{theirs:,.0f}",
                f"{ours / theirs:.2f}",
                f"{turn.p95 * 1000:,.0f} ms",
                f"{turn.errors} ({turn.non_2xx} non-2xx, {turn.timeouts} timeouts)",
                f"{ours / (turns[CREWS[0]].requests / SECONDS):.2f}",
            )
        )
    return rows


def main() -> None:
    """Seed, serve, load with 10 and 50 crews, crash the database under load, print."""
    started = datetime.now(UTC)
    with bench_cluster("load") as cluster:
        url = cluster.url()
        lamps = prepare(url)
        with geo_assets_serve(url) as base:
            token = sign_in(base)
            rows = load_rows(url, base, token, lamps)
            outage = outage_run(cluster, base, token, lamps)
    print_section(rows, outage, (datetime.now(UTC) - started).total_seconds())


def print_section(rows: list[tuple[str, ...]], outage: dict, took: float) -> None:
    """The Markdown section."""
    settings = Settings()  # what the server read from the same environment
    print("## Load: crews posting lamp events at once (ours vs a plain psycopg loop)\n")
    print(
        f"{machine_line()}; `geo-assets serve --workers {WORKERS}` "
        f"(pool: {settings.db_pool_size} + {settings.db_max_overflow} per worker), one durable "
        "PostGIS on the same machine, 14,000 lamps; wrk -t2, one "
        f"connection per crew, a fresh Idempotency-Key per event, {LAMPS} lamps; "
        f"2 × {SECONDS / 2:g} s per crew count (turns 10-50-50-10, after a 2 s warm-up). "
        f"psycopg: the same number of threads inserting the event and setting the lamp's status "
        f"(one transaction each) for {SECONDS / 2:g} s: the database's own ceiling for this "
        "write, without auth, validation, work orders or HTTP.\n"
    )
    print(
        table(
            rows,
            (
                "crews",
                "ours (events/s)",
                "psycopg loop (events/s)",
                "ours / psycopg",
                "ours p95",
                "ours errors",
                "ours / ours at 10 crews",
            ),
        )
    )
    print(
        f"\nOutage: {OUTAGE_CREWS} crews posting for {OUTAGE_S:g} s; PostgreSQL stopped "
        f"immediately (SIGQUIT) after {DOWN_AT_S:g} s and started again {DOWN_S:g} s later; "
        "unanswered reports resent with the same key.\n"
    )
    answers = ", ".join(f"{n} × {k}" for k, n in outage["errors"].most_common()) or "none"
    print(
        table(
            [
                (
                    str(outage["acknowledged"]),
                    str(outage["stored"]),
                    str(outage["lost"]),
                    str(outage["duplicated"]),
                    answers,
                )
            ],
            ("acknowledged (201)", "stored once", "lost", "stored twice", "other answers"),
        )
    )
    print(
        "\nTargets: 0 errors at 50 crews, throughput at 50 ≥ 0.8 × at 10, p95 ≤ 1 s; "
        f"0 lost in the outage. Whole run: {took:.0f} s."
    )


if __name__ == "__main__":
    main()
