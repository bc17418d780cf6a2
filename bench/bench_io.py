"""Import and export of the 14,000 seeded lamps: geo-assets vs ogr2ogr, same database, same run.

(a) Import the GeoJSON of all lamps (exported by geo-assets from the seeded city) into an empty
    lamp table — the rest of the city (boundaries, roads) stays — vs `ogr2ogr -f PostgreSQL` of
    the same file into a new table `lamps_ogr` of the same database.
(b) Export all lamps to GeoJSON vs `ogr2ogr -f GeoJSON` of an SQL query selecting the same
    properties (with the same joins for road, kelurahan and kecamatan names) at 7 decimals.

(c) A GeoPackage of BENCH_IO_BIG_LAMPS lamps (default 1,400,000: the 14,000 seeded lamps repeated
    at their own places under new codes, written by the bench with pyogrio) imported by
    `geo-assets import lamps` vs `ogr2ogr -f PostgreSQL` of the same file, each run once under
    `/usr/bin/time -v` for wall time and peak memory (maximum resident set size). Target: our
    command within 60 s, with memory as flat as the 14,000-lamp import's.
(d) The seeded database grown to BIG_LAMPS lamps (copies by SQL, bench.many_lamps), then all of
    them exported by `geo-assets export lamps` as GeoJSON and as a GeoPackage vs `ogr2ogr` of
    the same query, each run once under `/usr/bin/time -v`. Target: peak memory ≤ 300 MB.

Two comparisons, medians of BENCH_RUNS (≥ 5) rounds after a warm-up round; in each round every
contender runs once, one after the other, so that a busy machine slows all of them alike:
- whole commands (the fair one): `geo-assets import|export` as a process vs `ogr2ogr` as a
  process, interpreter and library start-up included;
- our library call in-process (`import_file` / `export_features`) vs the same ogr2ogr process.
What our import does that ogr2ogr does not: every row validated, codes checked against the
database, lamps linked to roads, the lamp table's triggers (foreign keys, audit switch, tile
cells counted once per import) and one `import` status event per lamp. A file read in slices
(c) is read, checked and made ready for COPY a slice ahead, in a thread, while the database
writes the slice before.

    python -m bench.bench_io
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, text

import geo_assets.io.importer as importer
import geo_assets.io.lamps as lamp_import
from bench.common import RUNS, bench_cluster, table, timed_process
from bench.many_lamps import add_lamp_copies
from geo_assets.bulk import driver_connection, row_audit_off
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.io.exporter import export_features
from geo_assets.io.importer import import_file
from geo_assets.seed import seed_city

TARGET_RATIO = 0.5  # in-process
WHOLE_TARGET_RATIO = 1.0  # whole commands, interpreter start-up included
BIG_LAMPS = int(os.environ.get("BENCH_IO_BIG_LAMPS", "1400000"))
BIG_TARGET_SECONDS = 60.0
BIG_EXPORT_TARGET_MB = 300.0
# Lamp codes are PJU-<kecamatan>-<nnnnn>: a prefix holds 99,999 numbers, so the big file spreads
# its codes over as many (well-formed) prefixes as it needs.
BIG_CODE_NUMBERS = 99_999
ROUNDS = max(RUNS, 5)
CLI = [str(Path(sys.executable).with_name("geo-assets"))]
TARGET_DB = "bench_io_import"
# What the commands cannot start without (the project's own stack), imported alone by a process:
# a floor under each whole command's time.
EXPORT_LIBRARIES = ("sqlalchemy", "psycopg", "pydantic_settings", "typer", "rich.console")
IMPORT_LIBRARIES = (*EXPORT_LIBRARIES, "pandas", "shapely", "pyogrio", "geoalchemy2")
# The import's own statements for the database floor, taken before StageClock times them.
SEND_FIRST_EVENTS = lamp_import._send_first_events
DEFER_TILE_CELLS = lamp_import._defer_tile_cells
# The lamp columns an import fills, for the database floor's COPY.
LAMP_COLUMNS = (
    "id, code, road_id, kelurahan_id, lamp_type, wattage, pole_height_m, mounting, ownership, "
    "power_billing, installed_on, status, status_changed_at, geom"
)

# What our lamp export carries, so that ogr2ogr does the same query work.
OGR_EXPORT_SQL = """
SELECT l.id, l.code, l.status,
       CASE l.status WHEN 'working' THEN 'Menyala' WHEN 'out' THEN 'Mati'
            WHEN 'damaged' THEN 'Rusak' WHEN 'in_repair' THEN 'Dalam perbaikan'
            WHEN 'planned' THEN 'Direncanakan' WHEN 'decommissioned' THEN 'Dinonaktifkan'
       END AS status_label,
       l.status_changed_at, l.lamp_type, l.wattage, l.pole_height_m, l.mounting, l.ownership,
       l.power_billing, l.installed_on, l.office_id, l.osm_id, r.code AS road_code,
       r.name AS road_name,
       k.name AS kelurahan, kc.name AS kecamatan, l.geom
FROM lamp l LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
LEFT JOIN kecamatan kc ON kc.id = k.kecamatan_id LEFT JOIN road r ON r.id = l.road_id
ORDER BY l.id
"""

Action = Callable[[], object]


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    """Run a command; a failure stops the benchmark with its output."""
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:4])} … failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )


def rounds(contenders: dict[str, tuple[Action | None, Action]]) -> dict[str, float]:
    """Median seconds of each contender over ROUNDS interleaved rounds (after a warm-up).

    Each contender is (untimed step before, timed action).
    """
    timings: dict[str, list[float]] = defaultdict(list)
    for index in range(ROUNDS + 1):
        for name, (before, action) in contenders.items():
            if before:
                before()
            start = time.perf_counter()
            action()
            if index:
                timings[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in timings.items()}


class StageClock:
    """Times the stages of `import_file` from its progress messages, and parts of storing lamps:
    the COPY (lamp triggers included), the sending of their first events (written by the
    database while Python goes on; awaited before the next query) and the count of their tile
    cells before commit."""

    def __init__(self) -> None:
        self.stages: dict[str, list[float]] = defaultdict(list)
        self._stage: str | None = None
        self._since = 0.0
        self._time(importer, "send_copy", "COPY lamps (in storing)")
        self._time(lamp_import, "_send_first_events", "first events sent (in storing)")
        hooks = importer.HOOKS["lamps"]
        assert hooks.finish is not None
        counted = self._timed(hooks.finish, "tile cells counted (before commit)")
        importer.HOOKS["lamps"] = dataclasses.replace(hooks, finish=counted)

    def _time(self, module: object, name: str, label: str) -> None:
        setattr(module, name, self._timed(getattr(module, name), label))  # bench-only

    def _timed(self, original: Callable[..., Any], label: str) -> Callable[..., Any]:
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.stages[label].append(time.perf_counter() - start)

        return timed

    def progress(self, message: str) -> None:
        """A progress callback: closes the running stage, opens the next."""
        self.close()
        self._stage, self._since = message.split()[0], time.perf_counter()

    def close(self) -> None:
        """End the running stage."""
        if self._stage:
            self.stages[self._stage].append(time.perf_counter() - self._since)
        self._stage = None

    def medians(self) -> str:
        """`stage 0.12 s` for each stage."""
        return ", ".join(
            f"{name} {statistics.median(values):.2f} s" for name, values in self.stages.items()
        )


def empty_lamp_table(engine: Engine) -> Action:
    """An untimed step: no lamps (nor what hangs on them: events, requests), the city kept."""

    def reset() -> None:
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE lamp CASCADE"))
            conn.execute(text("DELETE FROM audit_log WHERE action = 'bulk'"))

    return reset


def libraries_alone(modules: tuple[str, ...]) -> Action:
    """A process that only imports `modules` (and exits)."""
    return lambda: run([sys.executable, "-c", "import " + ", ".join(modules)])


def database_floor(source_url: str, target: Engine) -> Action:
    """The database's own work for the import, without reading or checking anything: the same
    lamps (ids, roads and kelurahan already known) by binary COPY, with the import's own
    statements around it (row audit off, tile cells deferred, first events, tile cells
    counted), committed, on one open connection as `import_file` has."""
    with psycopg.connect(source_url) as source:
        lamps = source.execute("SELECT id, status FROM lamp ORDER BY id").fetchall()
        with (
            source.cursor() as cursor,
            cursor.copy(f"COPY (SELECT {LAMP_COLUMNS} FROM lamp) TO STDOUT (FORMAT binary)") as out,
        ):
            data = b"".join(bytes(block) for block in out)
    ids, statuses = [lamp[0] for lamp in lamps], [lamp[1] for lamp in lamps]
    connection = target.connect()

    def load() -> None:
        with connection.begin():
            state: dict[str, Any] = {}
            row_audit_off(connection)
            DEFER_TILE_CELLS(connection, state, ids)
            with (
                driver_connection(connection).cursor() as cursor,
                cursor.copy(f"COPY lamp ({LAMP_COLUMNS}) FROM STDIN (FORMAT binary)") as copy,
            ):
                copy.write(data)
            wait = SEND_FIRST_EVENTS(
                connection,
                ids,
                statuses,
                occurred_at=datetime.now(UTC),
                note="bench",
                actor="bench",
                key_prefix=f"floor-{time.time_ns()}-",
            )
            wait()
            lamp_import.count_tile_cells(connection, state)

    return load


def import_target(cluster: EmbeddedCluster) -> Engine:
    """A copy of the seeded database for the imports (so the export source stays full)."""
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="geo_assets", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{TARGET_DB}" TEMPLATE "{cluster.db_name}"')
    return make_engine(cluster.url(TARGET_DB))


def write_big_gpkg(lamps_file: Path, path: Path, count: int) -> None:
    """`count` lamps in a GeoPackage: the exported lamps repeated in place under new codes."""
    import numpy as np
    import pyogrio

    frame = pyogrio.read_dataframe(lamps_file)
    frame = frame[
        [
            "status",
            "lamp_type",
            "wattage",
            "pole_height_m",
            "mounting",
            "ownership",
            "power_billing",
            "installed_on",
            "road_code",
            "geometry",
        ]
    ]
    repeated = frame.iloc[np.resize(np.arange(len(frame)), count)].reset_index(drop=True)
    number = np.arange(count)
    prefix, serial = number // BIG_CODE_NUMBERS + 1, number % BIG_CODE_NUMBERS + 1
    repeated.insert(
        0, "code", [f"PJU-63.72.{p:02d}-{n:05d}" for p, n in zip(prefix, serial, strict=True)]
    )
    pyogrio.write_dataframe(repeated, path, layer="lamps", driver="GPKG")


def measure_big(cluster: EmbeddedCluster, lamps_file: Path, folder: Path) -> tuple[list, list]:
    """(c): both tools load the big GeoPackage into the import database once, timed and sized."""
    big = folder / "lamps-big.gpkg"
    started = time.perf_counter()
    write_big_gpkg(lamps_file, big, BIG_LAMPS)
    notes = [
        f"wrote {BIG_LAMPS:,} lamps as a GeoPackage ({big.stat().st_size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - started:.0f} s"
    ]
    target = make_engine(cluster.url(TARGET_DB))
    empty_lamp_table(target)()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    env["GEO_ASSETS_DATABASE_URL"] = cluster.url(TARGET_DB)
    small = timed_process([*CLI, "import", "lamps", str(lamps_file)], env)
    empty_lamp_table(target)()
    ours = timed_process(
        [*CLI, "import", "lamps", str(big), "--report", str(folder / "r.csv")], env
    )
    gdal = f"PG:host=127.0.0.1 port={cluster.port} user=geo_assets dbname={TARGET_DB}"
    ogr = timed_process(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            gdal,
            str(big),
            "-nln",
            "lamps_big_ogr",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-overwrite",
        ]
    )
    with target.connect() as conn:
        counts = conn.execute(
            text("SELECT (SELECT count(*) FROM lamp), (SELECT count(*) FROM lamps_big_ogr)")
        ).one()
    target.dispose()
    assert tuple(counts) == (BIG_LAMPS, BIG_LAMPS), counts
    met = "met" if ours[0] <= BIG_TARGET_SECONDS else "not met"
    rows = [
        (
            f"(c) import {BIG_LAMPS:,} lamps from a GeoPackage, whole commands",
            f"{ours[0]:.1f}",
            f"{ogr[0]:.1f}",
            f"{ours[0] / ogr[0]:.2f}",
            f"{met} (≤ {BIG_TARGET_SECONDS:.0f} s)",
        ),
        (
            "(c) peak memory of that import (MB)",
            f"{ours[1]:.0f}",
            f"{ogr[1]:.0f}",
            f"{ours[1] / ogr[1]:.2f}",
            f"flat: ours at 14,000 lamps {small[1]:.0f} MB",
        ),
    ]
    notes.append(
        f"peak memory of `geo-assets import lamps`: {small[1]:.0f} MB for 14,000 lamps, "
        f"{ours[1]:.0f} MB for {BIG_LAMPS:,} ({ours[1] / small[1]:.1f}×)"
    )
    return rows, notes


def measure_big_export(cluster: EmbeddedCluster, folder: Path) -> tuple[list, list]:
    """(d): the source grown to BIG_LAMPS lamps, exported whole by both tools, timed and sized."""
    source = make_engine(cluster.url())
    started = time.perf_counter()
    with source.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM lamp")).scalar_one()
    total = add_lamp_copies(source, BIG_LAMPS - stored)
    source.dispose()
    notes = [f"grew the source to {total:,} lamps by SQL in {time.perf_counter() - started:.0f} s"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    env["GEO_ASSETS_DATABASE_URL"] = cluster.url()
    gdal = f"PG:host=127.0.0.1 port={cluster.port} user=geo_assets dbname={cluster.db_name}"
    rows = []
    for driver, suffix in (("GeoJSON", "geojson"), ("GPKG", "gpkg")):
        ours_out, ogr_out = folder / f"all.{suffix}", folder / f"all-ogr.{suffix}"
        ours = timed_process([*CLI, "export", "lamps", "-o", str(ours_out)], env)
        ogr = timed_process(
            ["ogr2ogr", "-f", driver, str(ogr_out), gdal, "-sql", OGR_EXPORT_SQL, "-nln", "lamps"]
        )
        notes.append(
            f"{driver} of {total:,} lamps: ours {ours_out.stat().st_size / 1e6:.0f} MB, "
            f"ogr2ogr {ogr_out.stat().st_size / 1e6:.0f} MB"
        )
        ours_out.unlink()
        ogr_out.unlink()
        met = "met" if ours[1] <= BIG_EXPORT_TARGET_MB else "not met"
        rows += [
            (
                f"(d) export {total:,} lamps as {driver}, whole commands",
                f"{ours[0]:.1f}",
                f"{ogr[0]:.1f}",
                f"{ours[0] / ogr[0]:.2f}",
                "",
            ),
            (
                f"(d) peak memory of that {driver} export (MB)",
                f"{ours[1]:.0f}",
                f"{ogr[1]:.0f}",
                f"{ours[1] / ogr[1]:.2f}",
                f"{met} (≤ {BIG_EXPORT_TARGET_MB:.0f} MB)",
            ),
        ]
    return rows, notes


def row(name: str, ours: float, theirs: float, target: float = TARGET_RATIO) -> tuple[str, ...]:
    """A table row: seconds, ratio, and whether the target ratio is met."""
    ratio = ours / theirs
    met = "met" if ratio <= target else "not met"
    return (name, f"{ours:.3f}", f"{theirs:.3f}", f"{ratio:.2f}", f"{met} (≤ {target:g})")


def floor(name: str, ours: float, theirs: float) -> tuple[str, ...]:
    """A table row for a floor under our time: seconds and ratio, no target."""
    return (name, f"{ours:.3f}", f"{theirs:.3f}", f"{ours / theirs:.2f}", "")


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL of ours as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def measure(folder: Path) -> tuple[list[tuple[str, ...]], list[str]]:
    """Seed, export the lamps once, then time both tools both ways."""
    notes = []
    with bench_cluster("io") as cluster:
        source = make_engine(cluster.url())
        started = time.perf_counter()
        summary = seed_city(source, scale=1)
        notes.append(f"seeded {summary.lamps:,} lamps in {time.perf_counter() - started:.1f} s")
        lamps_file = folder / "lamps.geojson"
        assert export_features(source, entity="lamps", out=lamps_file) == summary.lamps
        source.dispose()  # CREATE DATABASE … TEMPLATE needs the source without connections
        target = import_target(cluster)
        reset = empty_lamp_table(target)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
        gdal = f"PG:host=127.0.0.1 port={cluster.port} user=geo_assets dbname="
        clock = StageClock()

        def ours_in_process() -> None:
            report = import_file(
                target,
                entity="lamps",
                path=lamps_file,
                write_report=False,
                progress=clock.progress,
            )
            clock.close()
            assert report.imported == summary.lamps, report.summary()

        imports = rounds(
            {
                "cli": (
                    reset,
                    lambda: run(
                        [*CLI, "import", "lamps", str(lamps_file)],
                        {**env, "GEO_ASSETS_DATABASE_URL": cluster.url(TARGET_DB)},
                    ),
                ),
                "lib": (reset, ours_in_process),
                "db": (
                    reset,
                    database_floor(libpq_url(cluster.url()), target),
                ),
                "libs": (None, libraries_alone(IMPORT_LIBRARIES)),
                "ogr": (
                    None,
                    lambda: run(
                        [
                            "ogr2ogr",
                            "-f",
                            "PostgreSQL",
                            gdal + TARGET_DB,
                            str(lamps_file),
                            "-nln",
                            "lamps_ogr",
                            "-lco",
                            "GEOMETRY_NAME=geom",
                            "-overwrite",
                        ]
                    ),
                ),
            }
        )
        with target.connect() as conn:
            counts = conn.execute(
                text("SELECT (SELECT count(*) FROM lamp), (SELECT count(*) FROM lamps_ogr)")
            ).one()
        assert tuple(counts) == (summary.lamps, summary.lamps), counts
        notes.append(f"where our in-process import spends its time: {clock.medians()}")

        ours_out, ogr_out = folder / "ours.geojson", folder / "ogr.geojson"
        exports = rounds(
            {
                "cli": (
                    None,
                    lambda: run(
                        [*CLI, "export", "lamps", "-o", str(ours_out)],
                        {**env, "GEO_ASSETS_DATABASE_URL": cluster.url()},
                    ),
                ),
                "lib": (None, lambda: export_features(source, entity="lamps", out=ours_out)),
                "libs": (None, libraries_alone(EXPORT_LIBRARIES)),
                "ogr": (
                    lambda: ogr_out.unlink(missing_ok=True),
                    lambda: run(
                        [
                            "ogr2ogr",
                            "-f",
                            "GeoJSON",
                            str(ogr_out),
                            gdal + cluster.db_name,
                            "-sql",
                            OGR_EXPORT_SQL,
                            "-lco",
                            "RFC7946=YES",
                            "-lco",
                            "COORDINATE_PRECISION=7",
                        ]
                    ),
                ),
            }
        )
        notes.append(
            f"GeoJSON sizes: ours {ours_out.stat().st_size / 1e6:.1f} MB, "
            f"ogr2ogr {ogr_out.stat().st_size / 1e6:.1f} MB"
        )
        startup = rounds(
            {
                "cli": (None, lambda: run([*CLI, "--help"])),
                "ogr": (None, lambda: run(["ogr2ogr", "--version"])),
            }
        )
        notes.append(
            f"process start-up alone: `geo-assets --help` {startup['cli']:.2f} s, "
            f"`ogr2ogr --version` {startup['ogr']:.2f} s"
        )
        source.dispose()
        target.dispose()
        big_rows, big_notes = measure_big(cluster, lamps_file, folder) if BIG_LAMPS else ([], [])
        notes += big_notes
        export_rows, export_notes = measure_big_export(cluster, folder) if BIG_LAMPS else ([], [])
        notes += export_notes
    rows = [
        row(
            "(a) import 14,000 lamps, whole commands",
            imports["cli"],
            imports["ogr"],
            WHOLE_TARGET_RATIO,
        ),
        row("(a) import, our `import_file` in-process", imports["lib"], imports["ogr"]),
        floor(
            "(a) floor: the database's own work for those lamps (binary COPY, their events and "
            "tile cells; nothing read or checked)",
            imports["db"],
            imports["ogr"],
        ),
        floor(
            "(a) floor: a process importing the libraries `import` needs, nothing else",
            imports["libs"],
            imports["ogr"],
        ),
        row(
            "(b) export 14,000 lamps, whole commands",
            exports["cli"],
            exports["ogr"],
            WHOLE_TARGET_RATIO,
        ),
        row("(b) export, our `export_features` in-process", exports["lib"], exports["ogr"]),
        floor(
            "(b) floor: a process importing the libraries `export` needs, nothing else",
            exports["libs"],
            exports["ogr"],
        ),
        *big_rows,
        *export_rows,
    ]
    return rows, notes


def main() -> int:
    """Print the Markdown section."""
    if not shutil.which("ogr2ogr"):
        raise SystemExit("ogr2ogr is missing: apt-get install gdal-bin")
    folder = Path(tempfile.mkdtemp(prefix="geo-assets-bench-io-"))
    try:
        rows, notes = measure(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("## Import and export of lamps vs ogr2ogr (bench_io)\n")
    print(
        f"Seeded city at scale 1; median of {ROUNDS} interleaved rounds after a warm-up, both "
        "tools on the same database in the same run. *Whole commands*: `geo-assets import "
        "lamps FILE` / `geo-assets export lamps -o FILE` as processes vs `ogr2ogr` as a "
        "process (the fair comparison). *In-process*: our library call alone (no interpreter "
        "start-up) vs the same ogr2ogr process. Our import also validates every row, links "
        "lamps to roads, runs the lamp table's per-row triggers and records one `import` "
        "status event per lamp; ogr2ogr copies rows into a bare table. *Floors* (no target): "
        "what a command cannot go below whatever our code does: the database's own work for "
        "the import's rows, and a process that only imports the libraries a command needs. "
        f"Ratio = ours / ogr2ogr, target ≤ {WHOLE_TARGET_RATIO:g} for whole commands and "
        f"≤ {TARGET_RATIO} in-process. *(c)*: {BIG_LAMPS:,} lamps in a "
        "GeoPackage written by the bench, each command run once under `/usr/bin/time -v` "
        f"(wall time, peak resident memory); target ≤ {BIG_TARGET_SECONDS:.0f} s "
        "(BENCH_IO_BIG_LAMPS sets the size, 0 skips it). *(d)*: the source grown to that many "
        "lamps by SQL, all of them exported by each tool once under `/usr/bin/time -v`; target "
        f"peak memory ≤ {BIG_EXPORT_TARGET_MB:.0f} MB.\n"
    )
    print(table(rows, ("measure", "geo-assets (s)", "ogr2ogr (s)", "ratio", "target")))
    print()
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
