"""The two databases bench_ogc measures: the seeded city (scale 1) and 1.4 million lamps.

Scale 100 comes, in order of preference, from
- `bench/.cache/scale100.dump`, the `pg_dump -Fc` of `seed --scale 100` that bench_seed writes
  (restored with `pg_restore -j2` into a fresh database of the bench cluster);
- `seed --scale 100` itself when BENCH_OGC_SEED100=1 (several minutes on a small machine);
- otherwise copies of the 14,000 seeded lamps, 99 more per lamp, each moved by up to ±55 m
  (0.0005°) in both directions, under new well-formed codes, in the same kelurahan and on the
  same road, with the same status mix; no events for the copies (nothing measured here reads
  lamp history).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from sqlalchemy import text

from bench.common import create_database, vacuum_analyze
from geo_assets import migrate
from geo_assets.database import check_connection, make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.seed import seed_city

DUMP = Path(__file__).resolve().parent / ".cache" / "scale100.dump"
SCALE100_DB = "ogc100"
SCALE100_LAMPS = 1_400_000

# Bulk SQL (bound parameters only): 99 copies of every seeded lamp. A copy's code keeps the
# original's number and kelurahan part and replaces the first group (63 = Kalimantan Selatan)
# with the copy number 00-99 except 63, so every code stays unique and matches PJU-NN.NN.NN-NNNNN.
COPY_LAMPS_SQL = """
INSERT INTO lamp (code, road_id, kelurahan_id, lamp_type, wattage, pole_height_m, mounting,
                  ownership, power_billing, installed_on, status, status_changed_at, geom)
SELECT 'PJU-' || lpad(copy::text, 2, '0') || substr(l.code, 7), l.road_id, l.kelurahan_id,
       l.lamp_type, l.wattage, l.pole_height_m, l.mounting, l.ownership, l.power_billing,
       l.installed_on, l.status, l.status_changed_at,
       ST_SetSRID(ST_MakePoint(ST_X(l.geom) + (random() - 0.5) * :jitter,
                               ST_Y(l.geom) + (random() - 0.5) * :jitter), 4326)
FROM lamp l CROSS JOIN generate_series(0, 99) AS copy
WHERE copy <> 63 AND l.code LIKE 'PJU-63.%'
"""
JITTER_DEGREES = 0.001


def scale1(cluster: EmbeddedCluster) -> str:
    """Seed the cluster's own database with the city at scale 1; its URL."""
    engine = make_engine(cluster.url())
    seed_city(engine, scale=1)
    engine.dispose()
    vacuum_analyze(cluster)
    return cluster.url()


def scale100(cluster: EmbeddedCluster) -> tuple[str, str]:
    """A database of about 1.4 million lamps next to the scale-1 one: (URL, how it was made)."""
    start = time.perf_counter()
    if DUMP.exists():
        url = _restore(cluster)
        how = f"restored from {DUMP.relative_to(DUMP.parents[2])} (`seed --scale 100`)"
    elif os.environ.get("BENCH_OGC_SEED100") == "1":
        url = create_database(cluster, SCALE100_DB)
        engine = make_engine(url)
        check_connection(engine)
        migrate.upgrade(engine)
        seed_city(engine, scale=100)
        engine.dispose()
        how = "`seed --scale 100`"
    else:
        url = create_database(cluster, SCALE100_DB, template=cluster.db_name)
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL geo_assets.audit = 'off'"))
            connection.execute(text("SELECT setseed(0.42)"))
            connection.execute(text(COPY_LAMPS_SQL), {"jitter": JITTER_DEGREES})
        engine.dispose()
        how = (
            f"SQL copies of the seeded lamps (99 per lamp, moved up to ±55 m; no {DUMP.name} found)"
        )
    vacuum_analyze(cluster, SCALE100_DB)
    return url, f"{how}, ready in {time.perf_counter() - start:.0f} s"


def _restore(cluster: EmbeddedCluster) -> str:
    """pg_restore the scale-100 dump into a fresh database (as the cluster's superuser, so that
    the postgis extension and the owners come back as dumped), then migrate it to head.
    pg_restore exits non-zero for objects that already exist (the extension when template1 has
    it); what counts is that the lamps arrived."""
    url = create_database(cluster, SCALE100_DB)
    restore = subprocess.run(
        [
            str(cluster.bindir / "pg_restore"),
            "-j2",
            "--no-comments",
            "-d",
            f"host={cluster.socket_dir} port={cluster.port} user=postgres dbname={SCALE100_DB}",
            str(DUMP),
        ],
        capture_output=True,
        text=True,
    )
    if restore.returncode != 0 and lamp_count(url) == 0:
        raise RuntimeError(f"pg_restore of {DUMP} failed: {restore.stderr[-2000:]}")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def lamp_count(url: str) -> int:
    """How many lamps the database holds."""
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM lamp")).scalar_one()
    engine.dispose()
    return int(count)
