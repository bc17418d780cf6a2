"""Lamp lists over HTTP: our API vs tipg (OGC API Features) on the same seeded PostGIS.

Both servers run under uvicorn (one worker each, no access log) on loopback ports against one
throwaway cluster seeded at scale 1 (14,000 lamps, then VACUUM ANALYZE); tipg serves only the
`lamp` table. wrk loads each server after a short warm-up, in turns ordered ours-tipg-tipg-ours
so that changing load on a shared machine favours neither (bounded runs, 127.0.0.1 only):
- bbox page (8 connections, 2 x 5 s per server): 100 lamps in a box (`bbox=...&limit=100`);
  both order by id, so both answer the same 100 lamps (checked before measuring);
- full list (2 connections, 2 x 10 s per server): all 14,000 lamps as two pages (`limit=10000`
  then `offset=10000`; 10,000 is both servers' maximum page), alternated by a wrk script;
  one "list" = both pages.
Run: `.venv/bin/python -m bench.bench_api` (prints one Markdown section).
"""

from __future__ import annotations

import json
import os
import urllib.request

from sqlalchemy import text

from bench.common import bench_cluster, free_port, machine_line, serve, table
from bench.ogc_http import ACCEPT, wrk
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.seed import seed_city

DURATION_S = int(os.environ.get("BENCH_API_SECONDS", "10"))
WARM_UP_S = 2
# Connections and seconds per turn: a full list takes tipg about a second, so that case runs
# with fewer connections and longer turns to count whole answers.
LOAD = {"bbox page": (8, DURATION_S / 2), "full list, 2 pages": (2, DURATION_S)}


def fetch(url: str) -> dict:
    """GET a GeoJSON document."""
    request = urllib.request.Request(url, headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def alternate(
    ours: str, our_paths: list[str], tipg: str, tipg_paths: list[str], connections: int, turn: float
) -> tuple[float, float]:
    """Lists/s of each server, measured in the order ours, tipg, tipg, ours, so that a change of
    load on the machine does not favour either; after a short warm-up of both."""
    wrk(ours, our_paths, WARM_UP_S, connections)
    wrk(tipg, tipg_paths, WARM_UP_S, connections)
    first, second, third, fourth = (
        wrk(ours, our_paths, turn, connections).rps,
        wrk(tipg, tipg_paths, turn, connections).rps,
        wrk(tipg, tipg_paths, turn, connections).rps,
        wrk(ours, our_paths, turn, connections).rps,
    )
    per_list = len(our_paths)
    return (first + fourth) / 2 / per_list, (second + third) / 2 / per_list


def prepare_database(cluster: EmbeddedCluster) -> str:
    """VACUUM ANALYZE after seeding (so autovacuum does not run during the load), CHECKPOINT (as
    the cluster's superuser: the app role may not) and return a box around the city centre
    holding well over 100 lamps."""
    engine = make_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
        with cluster.connect_admin() as admin:
            admin.execute("CHECKPOINT")
        count = conn.execute(
            text(
                "SELECT count(*) FROM lamp WHERE geom && ST_MakeEnvelope(114.80, -3.47, 114.85, "
                "-3.42, 4326)"
            )
        ).scalar_one()
    engine.dispose()
    assert count > 100, count
    return "114.80,-3.47,114.85,-3.42"


def cases(bbox: str) -> dict[str, tuple[list[str], list[str]]]:
    """Per case: (our paths, tipg's paths)."""
    ours, tipg = "/api/v1/lamps", "/collections/public.lamp/items"
    return {
        "bbox page": (
            [f"{ours}?bbox={bbox}&limit=100"],
            [f"{tipg}?bbox={bbox}&limit=100"],
        ),
        "full list, 2 pages": (
            [f"{ours}?limit=10000", f"{ours}?limit=10000&offset=10000"],
            [f"{tipg}?limit=10000", f"{tipg}?limit=10000&offset=10000"],
        ),
    }


def check_equivalent(ours: str, tipg: str, our_paths: list[str], tipg_paths: list[str]) -> int:
    """Both servers answer the same lamps (by id) for the same case; the count."""
    our_ids = [f["id"] for p in our_paths for f in fetch(ours + p)["features"]]
    tipg_ids = [int(f["id"]) for p in tipg_paths for f in fetch(tipg + p)["features"]]
    assert our_ids == tipg_ids, (len(our_ids), len(tipg_ids))
    return len(our_ids)


def main() -> None:
    """Seed, serve both, load each, print the section."""
    with bench_cluster("api") as cluster:
        url = cluster.url()
        engine = make_engine(url)
        seed_city(engine, scale=1)
        engine.dispose()
        bbox = prepare_database(cluster)
        ours_port, tipg_port = free_port(), free_port()
        ours, tipg = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{tipg_port}"
        tipg_env = {
            "DATABASE_URL": url.replace("postgresql+psycopg", "postgresql"),
            "TIPG_DB_TABLES": '["public.lamp"]',
            "TIPG_MAX_FEATURES_PER_QUERY": "10000",
        }
        rows = []
        with (
            serve(
                ["api.main:create_app", "--factory", "--port", str(ours_port)],
                {"GEO_ASSETS_DATABASE_URL": url},
                f"{ours}/health",
            ),
            serve(
                ["tipg.main:app", "--port", str(tipg_port)],
                tipg_env,
                f"{tipg}/collections/public.lamp",
            ),
        ):
            for name, (our_paths, tipg_paths) in cases(bbox).items():
                lamps = check_equivalent(ours, tipg, our_paths, tipg_paths)
                connections, turn = LOAD[name]
                ours_rps, tipg_rps = alternate(ours, our_paths, tipg, tipg_paths, connections, turn)
                rows.append(
                    (
                        f"{name}: {lamps:,} lamps (wrk -c{connections}, 2 × {turn:g} s each)",
                        f"{ours_rps:,.1f}",
                        f"{tipg_rps:,.1f}",
                        f"{ours_rps / tipg_rps:.2f}",
                    )
                )
    print("## API: lamp lists over HTTP (ours vs tipg)\n")
    print(
        f"{machine_line()}; wrk -t2 on 127.0.0.1 after a {WARM_UP_S} s warm-up, turns in the "
        "order ours-tipg-tipg-ours; each server: uvicorn, 1 worker; same PostGIS (VACUUM "
        "ANALYZEd), 14,000 lamps.\n"
    )
    print(table(rows, ("case", "ours (lists/s)", "tipg (lists/s)", "ours / tipg")))
    print(
        "\nBoth answers hold the same lamps in the same order (checked by id before loading). "
        "Ours also joins road, kelurahan and kecamatan names into each feature; tipg returns "
        "the lamp table's own columns. Target ≥ 1, aim 2."
    )


if __name__ == "__main__":
    main()
