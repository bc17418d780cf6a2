"""Seed time at --scale 1, 10 and 100, against pg_restore of the same rows.

pg_restore of a data-only dump is how fast PostgreSQL itself can load the very rows the seed
generates: the ratio says what generating the city costs on top of loading it. Scale 100 (1.4
million lamps) runs once as `geo-assets seed` in its own process, for its peak memory; its
database is then dumped to bench/.cache/scale100.dump for the benches that need a big city
(bench_ogc restores it), and restoring that dump into an empty database is its comparison.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.common import RUNS, bench_cluster, median_seconds, table
from geo_assets import migrate
from geo_assets.database import check_connection, make_engine
from geo_assets.seed import seed_city

CACHE = Path(__file__).resolve().parent / ".cache"
SCALE100_DUMP = CACHE / "scale100.dump"


def _fresh(cluster, name: str) -> str:  # noqa: ANN001 - an EmbeddedCluster
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="geo_assets", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(cluster.url(name))
    check_connection(engine)  # creates the postgis extension in the new database
    migrate.upgrade(engine)
    engine.dispose()
    return cluster.url(name)


def _timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB) of one run of `command`."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode})")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def _scale100(
    cluster,  # noqa: ANN001 - an EmbeddedCluster
    scale: int = 100,
) -> tuple[float, float, float]:
    """Seed scale 100 with the CLI, dump it for other benches, time restoring the dump.

    Returns (seed seconds, seed peak MB, pg_restore seconds).
    """
    env = {**os.environ, "GEO_ASSETS_DATABASE_URL": cluster.url()}
    command = [sys.executable, "-m", "cli.main", "seed", "--scale", str(scale), "--replace"]
    seconds, peak_mb = _timed_process(command, env)
    CACHE.mkdir(exist_ok=True)
    pg = f"host=127.0.0.1 port={cluster.port} user=geo_assets"
    subprocess.run(
        [
            str(cluster.bindir / "pg_dump"),
            "-Fc",
            # Restorable by the app role into a database that has postgis: no extension
            # comment and no spatial_ref_sys rows, which only a superuser may write.
            "--no-comments",
            "--exclude-table-data=spatial_ref_sys",
            "-f",
            str(SCALE100_DUMP),
            f"{pg} dbname=seed",
        ],
        check=True,
    )
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="geo_assets", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute('DROP DATABASE IF EXISTS "restored100" WITH (FORCE)')
        admin.execute('CREATE DATABASE "restored100"')
    engine = make_engine(cluster.url("restored100"))
    check_connection(engine)  # creates the postgis extension in the new database
    engine.dispose()
    start = time.perf_counter()
    subprocess.run(
        [
            str(cluster.bindir / "pg_restore"),
            "--no-owner",
            "-d",
            f"{pg} dbname=restored100",
            str(SCALE100_DUMP),
        ],
        check=True,
        capture_output=True,
    )
    return seconds, peak_mb, time.perf_counter() - start


def main() -> None:
    """Print the Markdown section."""
    runs = max(3, RUNS // 2)
    with bench_cluster("seed") as cluster:
        engine = make_engine(cluster.url())
        ours = median_seconds(lambda: seed_city(engine, replace=True), runs=runs)
        dump = Path(tempfile.mkdtemp()) / "city.dump"
        pg = f"host=127.0.0.1 port={cluster.port} user=geo_assets"
        subprocess.run(
            [
                str(cluster.bindir / "pg_dump"),
                "-Fc",
                "--data-only",
                "--exclude-table=alembic_version",  # the new database has its own
                "-f",
                str(dump),
                f"{pg} dbname=seed",
            ],
            check=True,
        )

        def restore() -> None:
            subprocess.run(
                [
                    str(cluster.bindir / "pg_restore"),
                    "--data-only",
                    "--disable-triggers",
                    "-d",
                    # As the cluster's superuser (socket only): disabling triggers needs it.
                    f"host={cluster.socket_dir} port={cluster.port} user=postgres dbname=restored",
                    str(dump),
                ],
                check=True,
                capture_output=True,
            )

        theirs = median_seconds(restore, runs=runs, before=lambda: _fresh(cluster, "restored"))
        start = time.perf_counter()
        seed_city(engine, scale=10, replace=True)
        scale10 = time.perf_counter() - start
        engine.dispose()
        scale100, peak_mb, restore100 = _scale100(cluster)
    print("## Seed: the Banjarbaru sample city\n")
    print(
        f"`geo-assets seed` in-process (`seed_city`), median of {runs} runs at scale 1, one run at "
        "scale 10; the alternative is `pg_restore --data-only` of a dump of the same seeded "
        "rows into a freshly migrated database (loading only, no generation). Scale 100: one "
        "run of `geo-assets seed --scale 100` in its own process (peak resident memory of that "
        "process), against `pg_restore` of its whole `pg_dump -Fc` into an empty database "
        "(schema, rows, indexes; the dump is kept in bench/.cache/scale100.dump for bench_ogc)."
        "\n"
    )
    print(
        table(
            [
                (
                    "seed --scale 1 (14,000 lamps)",
                    f"{ours:.1f} s",
                    f"{theirs:.1f} s",
                    f"{ours / theirs:.2f}",
                ),
                ("seed --scale 10 (140,000 lamps)", f"{scale10:.1f} s", "", ""),
                (
                    "seed --scale 100 (1,400,000 lamps)",
                    f"{scale100:.0f} s",
                    f"{restore100:.0f} s",
                    f"{scale100 / restore100:.2f}",
                ),
                ("peak memory of seed --scale 100", f"{peak_mb:.0f} MB", "", ""),
            ],
            ("what", "ours", "pg_restore", "ratio ours/pg_restore"),
        )
    )


if __name__ == "__main__":
    main()
