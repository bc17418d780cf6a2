"""Shared bench helpers: a throwaway seeded PostGIS, median timings, Markdown output.

Each `bench/bench_*.py` prints one Markdown section (a heading and a table with our figure, the
well-known alternative's figure from the same run, and the ratio ours/alternative);
`bench/run_all.py` (`make bench`) collects them into BENCHMARKS.md.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

from geo_assets import migrate
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster, find_pg_bindir

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "2"))


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def bench_cluster(name: str = "bench", *, durable: bool = True) -> Iterator[EmbeddedCluster]:
    """A throwaway PostGIS cluster (migrated, empty) in a temporary folder; durable unless asked
    (a cluster only loaded and read may skip the disk flushes)."""
    root = Path(tempfile.mkdtemp(prefix=f"geo-assets-{name}-"))
    root.chmod(0o755)
    # Like the test cluster: the app role may create databases, and a bare
    # psycopg.connect(user="geo_assets") finds its password through PGPASSFILE.
    cluster = EmbeddedCluster(
        root / "pg",
        free_port(),
        find_pg_bindir(),
        db_name=name,
        durable=durable,
        app_can_create_databases=True,
    )
    cluster.start()
    os.environ["PGPASSFILE"] = str(cluster.password_file)
    engine = make_engine(cluster.url())
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def median_seconds(
    action: Callable[[], object], runs: int = RUNS, before: Callable[[], object] | None = None
) -> float:
    """Median wall time of `action` over `runs` runs (after one warm-up); `before` is untimed."""
    timings = []
    for index in range(runs + 1):
        if before:
            before()
        start = time.perf_counter()
        action()
        if index:  # the first run warms caches and is not counted
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def machine_line() -> str:
    """One line naming the machine the figures come from."""
    return f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


@contextmanager
def geo_assets_serve(url: str) -> Iterator[str]:
    """`geo-assets serve --workers WORKERS` on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "GEO_ASSETS_DATABASE_URL": url, "GEO_ASSETS_RETRY_AFTER_SECONDS": "1"}
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(WORKERS)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("geo-assets serve did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def vacuum_analyze(cluster: EmbeddedCluster, database: str | None = None) -> None:
    """VACUUM ANALYZE a freshly loaded database and CHECKPOINT, so that neither autovacuum nor a
    checkpoint runs while it is measured (as the cluster's superuser: the app role may not)."""
    with cluster.connect_admin(database or cluster.db_name) as admin:
        admin.execute("VACUUM ANALYZE")
        admin.execute("CHECKPOINT")


def create_database(cluster: EmbeddedCluster, name: str, template: str | None = None) -> str:
    """A new database owned by the app role (a copy of `template` if given); its URL."""
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="geo_assets", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return cluster.url(name)


@contextmanager
def serve(args: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    """Run a uvicorn server (one worker, no access log) until the block ends; wait until `probe`
    answers 200."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            *args,
            "--host",
            "127.0.0.1",
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(probe, timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {args[0]}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def timed_process(
    command: list[str], env: dict[str, str] | None = None, timeout: float | None = None
) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB) of one run of `command`, by /usr/bin/time -v;
    subprocess.TimeoutExpired past `timeout` seconds."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, env=env, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:4])} … failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    fields = dict(
        line.strip().rsplit(": ", 1) for line in result.stderr.splitlines() if ": " in line
    )
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    seconds = sum(float(part) * 60**power for power, part in enumerate(reversed(wall.split(":"))))
    return seconds, int(fields["Maximum resident set size (kbytes)"]) / 1024


def percentile(values: list[float], share: float) -> float:
    """The `share` (0–1) percentile of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]
