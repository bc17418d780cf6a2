"""Seed time at --scale 1 and --scale 10, against pg_restore of the same rows.

pg_restore of a data-only dump is how fast PostgreSQL itself can load the very rows the seed
generates: the ratio says what generating the city costs on top of loading it.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from bench.common import RUNS, bench_cluster, median_seconds, table
from geo_assets import migrate
from geo_assets.database import check_connection, make_engine
from geo_assets.seed import seed_city


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
    print("## Seed: the Banjarbaru sample city\n")
    print(
        f"`geo-assets seed` in-process (`seed_city`), median of {runs} runs at scale 1, one run at "
        "scale 10; the alternative is `pg_restore --data-only` of a dump of the same seeded "
        "rows into a freshly migrated database (loading only, no generation).\n"
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
            ],
            ("what", "ours", "pg_restore", "ratio ours/pg_restore"),
        )
    )


if __name__ == "__main__":
    main()
