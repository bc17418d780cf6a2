"""Shared bench helpers: a throwaway seeded PostGIS, median timings, Markdown output.

Each `bench/bench_*.py` prints one Markdown section (a heading and a table with our figure, the
well-known alternative's figure from the same run, and the ratio ours/alternative);
`bench/run_all.py` (`make bench`) collects them into BENCHMARKS.md.
"""

from __future__ import annotations

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
def bench_cluster(name: str = "bench") -> Iterator[EmbeddedCluster]:
    """A durable throwaway PostGIS cluster (migrated, empty) in a temporary folder."""
    root = Path(tempfile.mkdtemp(prefix=f"geo-assets-{name}-"))
    root.chmod(0o755)
    # Like the test cluster: the app role may create databases, and a bare
    # psycopg.connect(user="geo_assets") finds its password through PGPASSFILE.
    cluster = EmbeddedCluster(
        root / "pg", free_port(), find_pg_bindir(), db_name=name, app_can_create_databases=True
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
