"""Lighting coverage of the whole seeded city, geo-assets vs the usual GeoPandas buffer-union.

geo-assets: PostGIS locates every working lamp on its road in metres, numpy merges the reaches
per road (`geo_assets.analysis.coverage`), giving coverage per area, dark gaps and gap-fill
positions. The alternative is what an analyst would write first: buffer every working lamp by
its reach (GeoPandas, UTM 50S), union the buffers per road, intersect with the road and sum
lengths; it gives the coverage figure only. Both read from the same database in the same run.

    python -m bench.bench_coverage [--scale 1,10]
"""

from __future__ import annotations

import argparse
import sys

import geopandas as gpd
from sqlalchemy import Engine

from bench.common import RUNS, bench_cluster, median_seconds, table
from geo_assets.analysis.coverage import compute_coverage
from geo_assets.analysis.reference import load_spacing_norms
from geo_assets.database import make_engine
from geo_assets.seed import seed_city

TARGET_SECONDS = 2.0


def buffer_union_coverage(engine: Engine) -> float:
    """Coverage % by buffering each working lamp, dissolving per road, intersecting the road."""
    norms = load_spacing_norms()
    lamps = gpd.read_postgis(
        "SELECT l.road_id, l.pole_height_m, r.road_class, l.geom FROM lamp l "
        "JOIN road r ON r.id = l.road_id WHERE l.status = 'working'",
        engine,
        geom_col="geom",
    ).to_crs(32750)
    roads = gpd.read_postgis("SELECT id, geom FROM road", engine, geom_col="geom").to_crs(32750)
    max_h = lamps["road_class"].map(lambda c: norms.norm(c).max_spacing_h)
    lamps["geom"] = lamps.buffer(0.5 * max_h * lamps["pole_height_m"])
    reach = lamps.dissolve(by="road_id")
    roads = roads.set_index("id")
    lit = roads.geometry.loc[reach.index].intersection(reach.geometry, align=False)
    return 100 * float(lit.length.sum()) / float(roads.length.sum())


def measure(scale: int) -> tuple[str, ...]:
    """Seed a throwaway city at `scale` and time both approaches on it."""
    with bench_cluster(f"coverage{scale}") as cluster:
        engine = make_engine(cluster.url())
        summary = seed_city(engine, scale=scale)
        ours = compute_coverage(engine, with_geometry=False).city
        summary_s = median_seconds(lambda: compute_coverage(engine, with_geometry=False))
        layers_s = median_seconds(lambda: compute_coverage(engine))
        theirs_pct = buffer_union_coverage(engine)
        theirs_s = median_seconds(lambda: buffer_union_coverage(engine))
        engine.dispose()
    return (
        str(scale),
        f"{summary.lamps:,}",
        f"{ours['total_km']:,.0f}",
        f"{summary_s:.2f}",
        f"{layers_s:.2f}",
        f"{theirs_s:.2f}",
        f"{summary_s / theirs_s:.2f}",
        f"{ours['coverage_pct']:.2f} / {theirs_pct:.2f}",
    )


def main() -> int:
    """Print the Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1,10", help="Comma-separated scales (default 1,10).")
    scales = [int(s) for s in parser.parse_args().scale.split(",")]
    rows = []
    for scale in scales:
        print(f"scale {scale}…", file=sys.stderr, flush=True)
        rows.append(measure(scale))
    print("## Coverage analysis (bench_coverage)\n")
    print(
        f"Whole seeded city, median of {RUNS} runs after a warm-up. *geo-assets*: "
        "`compute_coverage` (figures per road class, kelurahan, kecamatan, city, dark gaps "
        "and gap-fill positions; *with map layers* also builds the lit/dark segment, gap and "
        "proposed-lamp geometries). *buffer-union*: GeoPandas buffer of every working lamp's "
        "reach, dissolved per road and intersected with it (coverage % only). Ratio = "
        f"geo-assets figures / buffer-union (lower is better). Target ≤ {TARGET_SECONDS:.0f} s "
        "at scale 1.\n"
    )
    print(
        table(
            rows,
            (
                "scale",
                "lamps",
                "road km",
                "geo-assets (s)",
                "geo-assets with map layers (s)",
                "buffer-union (s)",
                "ratio",
                "coverage % ours / buffer-union",
            ),
        )
    )
    met = float(rows[0][3]) <= TARGET_SECONDS if scales[0] == 1 else None
    if met is not None:
        print(f"\nTarget at scale 1: {'met' if met else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
