"""OGC API Features and Tiles, exports and the status map: ours vs tipg, at scale 1 and 100.

One throwaway cluster holds the seeded city (14,000 lamps) and a 1.4-million-lamp database
(see bench/ogc_data.py for where it comes from). At each scale both servers run under uvicorn
(one worker each, no access log) against the same database; tipg serves only `public.lamp`.
- items page: 100 lamps in a bbox, 4 boxes cycled over the city centre, both ordered by id
  (checked to hold the same lamps before loading): throughput under wrk -c8 and latency
  p50/p95 of one client (wrk -c1), turns ours-tipg-tipg-ours after a warm-up;
- vector tiles z12–z16 over the city (every tile at z12–z13, a fixed sample at z14–z16): each
  tile fetched once per round by one client, the two servers taking turns per tile; a warm-up
  round ("first fetch") then BENCH_OGC_TILE_ROUNDS rounds; tipg asked for the same properties
  as ours carries (id, code, status, lamp_type, wattage);
- `ogr2ogr -f GPKG` copying the whole lamps collection over OAPIF from each server, the same
  page size for both (`-oo PAGE_SIZE`), stopped at a cap;
- export of all lamps (`geo-assets export lamps -o` .geojson and .gpkg, whole commands under
  `/usr/bin/time -v`) vs `ogr2ogr` exporting the lamp table from PostgreSQL: time and peak RSS;
- the status map served by our server, drawn in Chromium (bench/ogc_map.py): the tiled page at
  scale 100 against the same page at scale 1 (which embeds its lamps).
Environment: BENCH_OGC_SCALE100=0 skips scale 100; BENCH_OGC_SECONDS (wrk turn, default 4),
BENCH_OGC_TILE_ROUNDS (2), BENCH_OGC_TILES_PER_ZOOM (40), BENCH_OGC_PAGE_SIZE (1000),
BENCH_OGC_OGR_CAP_S (60), BENCH_OGC_MAP_RUNS (3); BENCH_OGC_EXPORT=0 skips the exports.
Run: `.venv/bin/python -m bench.bench_ogc` (prints one Markdown section).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import ogc_data
from bench.common import bench_cluster, free_port, machine_line, serve, table, timed_process
from bench.ogc_http import (
    alternate,
    city_tiles,
    copied_count,
    feature_codes,
    ogr_copy,
    tile_rounds,
    zoom_stats,
)
from bench.ogc_map import drawn_seconds

SCALE100 = os.environ.get("BENCH_OGC_SCALE100", "1") != "0"
SECONDS = float(os.environ.get("BENCH_OGC_SECONDS", "4"))
TILE_ROUNDS = int(os.environ.get("BENCH_OGC_TILE_ROUNDS", "2"))
TILES_PER_ZOOM = int(os.environ.get("BENCH_OGC_TILES_PER_ZOOM", "40"))
PAGE_SIZE = int(os.environ.get("BENCH_OGC_PAGE_SIZE", "1000"))
OGR_CAP_S = float(os.environ.get("BENCH_OGC_OGR_CAP_S", "60"))
MAP_RUNS = int(os.environ.get("BENCH_OGC_MAP_RUNS", "3"))
EXPORT = os.environ.get("BENCH_OGC_EXPORT", "1") != "0"
EXPORT_CAP_S = 600
ZOOMS = range(12, 17)
TIPG_MAX_PER_TILE = 10_000  # tipg's default max_features_per_tile
TILE_PROPERTIES = "id,code,status,lamp_type,wattage"
# 100-lamp pages in four boxes (±0.01°, about 2.2 km square) in the dense centre.
BOX_CENTRES = ((114.8032, -3.4329), (114.8374, -3.4408), (114.8272, -3.4599), (114.8469, -3.4565))
CLI = [str(Path(sys.executable).with_name("geo-assets"))]


@dataclass
class Results:
    """What one scale measured: rows of the section's tables and the targets' verdicts."""

    lamps: int
    rows: list[tuple[str, ...]] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Servers:
    """Base URLs of both servers."""

    ours: str
    tipg: str


@contextmanager
def servers(url: str) -> Iterator[Servers]:
    """Our app and tipg, each under uvicorn with one worker, on the database at `url`."""
    ours, tipg = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    tipg_env = {
        "DATABASE_URL": url.replace("postgresql+psycopg", "postgresql"),
        "TIPG_DB_TABLES": '["public.lamp"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    with (
        serve(
            ["api.main:create_app", "--factory", "--port", ours.rsplit(":", 1)[1]],
            {"GEO_ASSETS_DATABASE_URL": url},
            f"{ours}/health",
        ),
        serve(
            ["tipg.main:app", "--port", tipg.rsplit(":", 1)[1]],
            tipg_env,
            f"{tipg}/collections/public.lamp",
        ),
    ):
        yield Servers(ours, tipg)


def verdict(name: str, met: bool, detail: str) -> str:
    """One line of the targets list."""
    return f"{name}: {'met' if met else 'NOT met'} ({detail})"


def measure_items(s: Servers, result: Results, big: bool) -> None:
    """Items pages of 100 lamps in a bbox: the same lamps from both, then wrk."""
    boxes = [f"{x - 0.01:.4f},{y - 0.01:.4f},{x + 0.01:.4f},{y + 0.01:.4f}" for x, y in BOX_CENTRES]
    ours = [f"/ogc/collections/lamps/items?bbox={b}&limit=100" for b in boxes]
    tipg = [f"/collections/public.lamp/items?bbox={b}&limit=100" for b in boxes]
    for our_path, tipg_path in zip(ours, tipg, strict=True):
        our_codes, tipg_codes = feature_codes(s.ours + our_path), feature_codes(s.tipg + tipg_path)
        if sorted(our_codes) != sorted(tipg_codes) or len(our_codes) != 100:
            raise RuntimeError(f"{our_path}: {len(our_codes)} vs {len(tipg_codes)} lamps differ")
    busy_ours, busy_tipg = alternate((s.ours, ours), (s.tipg, tipg), SECONDS, 8)
    one_ours, one_tipg = alternate((s.ours, ours), (s.tipg, tipg), SECONDS, 1)
    ratio = busy_ours.rps / busy_tipg.rps
    result.rows += [
        row("items page, 100 lamps in a bbox: pages/s (wrk -c8)", busy_ours.rps, busy_tipg.rps),
        row("items page: p50 of one client (ms)", one_ours.p50_ms, one_tipg.p50_ms),
        row("items page: p95 of one client (ms)", one_ours.p95_ms, one_tipg.p95_ms),
        row("items page: p95 under wrk -c8 (ms)", busy_ours.p95_ms, busy_tipg.p95_ms),
    ]
    result.verdicts.append(verdict("items throughput ≥ 2 × tipg", ratio >= 2, f"{ratio:.2f} ×"))
    if big:
        result.verdicts.append(
            verdict("items p95 ≤ 20 ms", one_ours.p95_ms <= 20, f"{one_ours.p95_ms:.1f} ms")
        )


def measure_tiles(s: Servers, result: Results, big: bool) -> None:
    """Vector tiles z12–z16 over the city, one client, servers taking turns per tile."""
    tiles = city_tiles(ZOOMS, TILES_PER_ZOOM)
    templates = {
        "ours": s.ours + "/ogc/collections/lamps/tiles/WebMercatorQuad/{z}/{y}/{x}",
        "tipg": s.tipg + "/collections/public.lamp/tiles/WebMercatorQuad/{z}/{x}/{y}"
        f"?properties={TILE_PROPERTIES}",
    }
    times = tile_rounds(templates, tiles, TILE_ROUNDS)
    ours, tipg = times["ours"], times["tipg"]
    groups = [[12, 13, 14], [15, 16], list(ZOOMS)]
    for zooms in groups:
        name = f"z{zooms[0]}–z{zooms[-1]}"
        count = sum(1 for t in tiles if t[0] in zooms)
        o50, o95 = zoom_stats(ours.later, zooms)
        t50, t95 = zoom_stats(tipg.later, zooms)
        result.rows += [
            row(f"tiles {name} ({count} tiles): p50 (ms)", o50, t50),
            row(f"tiles {name}: p95 (ms)", o95, t95),
        ]
        if zooms == groups[-1]:
            f50, f95 = zoom_stats(ours.first, zooms)
            g50, g95 = zoom_stats(tipg.first, zooms)
            result.rows.append(row(f"tiles {name}: p95 of the first fetch (ms)", f95, g95))
            result.verdicts.append(verdict("tiles p95 ≤ tipg's", o95 <= t95, f"{o95 / t95:.2f} ×"))
            if big:
                result.verdicts.append(verdict("tiles p95 ≤ 50 ms", o95 <= 50, f"{o95:.1f} ms"))
    result.rows.append(row("tiles: bytes of one round (MB)", ours.bytes / 1e6, tipg.bytes / 1e6))
    result.notes.append(
        f"{len(tiles)} tiles per round ({ours.empty} empty from ours, {tipg.empty} from tipg); "
        f"{TILE_ROUNDS} measured rounds after the first fetch."
    )


def measure_ogr(s: Servers, result: Results, folder: Path) -> None:
    """ogr2ogr copying the whole lamps collection over OAPIF from each server; a copy stopped at
    the cap is compared by lamps copied per second (ogr2ogr commits every 10,000 features)."""
    rates, shown = {}, []
    for name, source, layer in (
        ("ours", f"{s.ours}/ogc", "lamps"),
        ("tipg", s.tipg, "public.lamp"),
    ):
        out = folder / f"oapif-{name}.gpkg"
        seconds = ogr_copy(source, layer, out, PAGE_SIZE, OGR_CAP_S)
        copied = copied_count(out) if out.exists() else 0
        rates[name] = copied / (seconds or OGR_CAP_S)
        if seconds is not None:
            shown.append(f"{seconds:.1f}")
            if copied != result.lamps:
                result.notes.append(f"ogr2ogr from {name} copied {copied:,} of {result.lamps:,}")
        else:
            shown.append(f"stopped at {OGR_CAP_S:.0f} s with {copied:,} lamps copied")
    ratio = rates["tipg"] / rates["ours"] if rates["ours"] else float("inf")
    result.rows.append(
        (f"ogr2ogr OAPIF → GPKG, all lamps, PAGE_SIZE={PAGE_SIZE} (s)", *shown, f"{ratio:.2f}")
    )
    result.notes.append(
        f"ogr2ogr copy rates: ours {rates['ours']:,.0f} lamps/s, tipg {rates['tipg']:,.0f} "
        "lamps/s (ratio in the table = tipg's rate / ours, i.e. our time / tipg's)"
    )
    result.verdicts.append(
        verdict("ogr2ogr copy no slower than from tipg", ratio <= 1, f"{ratio:.2f} × tipg's time")
    )


def measure_export(url: str, database: str, port: int, result: Results, folder: Path) -> None:
    """`geo-assets export lamps` vs ogr2ogr from PostgreSQL: time and peak memory."""
    env = {**os.environ, "GEO_ASSETS_DATABASE_URL": url}
    pg = f"PG:host=127.0.0.1 port={port} user=geo_assets dbname={database}"
    peaks = []
    for suffix, driver in ((".geojson", "GeoJSON"), (".gpkg", "GPKG")):
        ours_out, ogr_out = folder / f"ours{suffix}", folder / f"ogr{suffix}"
        for stale in (ours_out, ogr_out):
            stale.unlink(missing_ok=True)
        ours = timed_process([*CLI, "export", "lamps", "-o", str(ours_out)], env, EXPORT_CAP_S)
        ogr = timed_process(["ogr2ogr", "-f", driver, str(ogr_out), pg, "lamp"], env, EXPORT_CAP_S)
        peaks.append(ours[1])
        result.rows += [
            row(f"export all lamps as {driver}: time (s)", ours[0], ogr[0]),
            row(f"export as {driver}: peak RSS (MB)", ours[1], ogr[1]),
        ]
    result.verdicts.append(
        verdict("export peak RSS ≤ 300 MB", max(peaks) <= 300, f"{max(peaks):.0f} MB")
    )


def row(name: str, ours: float, theirs: float) -> tuple[str, ...]:
    """A table row: our figure, theirs, ratio ours / theirs."""
    ratio = f"{ours / theirs:.2f}" if theirs else ""
    return (name, f"{ours:,.1f}", f"{theirs:,.1f}", ratio)


def measure_map(s: Servers, result: Results, big: bool) -> None:
    """The served status map drawn in Chromium."""
    drawn, how = drawn_seconds(f"{s.ours}/maps/status", result.lamps, MAP_RUNS)
    result.rows.append((f"status map drawn in Chromium (s): {how}", f"{drawn:.2f}", "", ""))
    if big:
        result.verdicts.append(verdict("status map drawn ≤ 2 s", drawn <= 2, f"{drawn:.2f} s"))


def attempt(result: Results, name: str, action: Callable[[], None]) -> None:
    """Run one measurement; a failure is reported in the section and the others still run."""
    try:
        action()
    except Exception as error:  # noqa: BLE001 - any failure of one part is reported, not raised
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        result.rows.append((f"{name}: FAILED", first, "", ""))
        result.verdicts.append(f"{name}: NOT measured ({type(error).__name__})")
        traceback.print_exc()


def measure(cluster, url: str, database: str, big: bool, folder: Path) -> Results:  # noqa: ANN001
    """Everything at one scale."""
    result = Results(ogc_data.lamp_count(url))
    with servers(url) as s:
        attempt(result, "items", lambda: measure_items(s, result, big))
        attempt(result, "tiles", lambda: measure_tiles(s, result, big))
        attempt(result, "ogr2ogr", lambda: measure_ogr(s, result, folder))
        attempt(result, "status map", lambda: measure_map(s, result, big))
    if big and EXPORT:
        port = cluster.port
        attempt(result, "export", lambda: measure_export(url, database, port, result, folder))
    return result


def main() -> None:
    """Build the databases, measure each scale, print the section."""
    started = time.perf_counter()
    scales: list[tuple[str, Results]] = []
    with bench_cluster("ogc") as cluster, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = ogc_data.scale1(cluster)
        scales.append(("scale 1", measure(cluster, url, cluster.db_name, False, folder)))
        if SCALE100:
            big_url, how = ogc_data.scale100(cluster)
            result = measure(cluster, big_url, ogc_data.SCALE100_DB, True, folder)
            result.notes.insert(0, f"scale-100 data: {how}")
            scales.append(("scale 100", result))
    print_section(scales, time.perf_counter() - started)


def print_section(scales: list[tuple[str, Results]], took: float) -> None:
    """The Markdown section."""
    print("## OGC API Features and Tiles: ours vs tipg (bench_ogc)\n")
    print(
        f"{machine_line()}; each server: uvicorn, 1 worker, same PostGIS (VACUUM ANALYZEd). "
        f"Items: 4 bboxes of 100 lamps cycled; wrk turns ours-tipg-tipg-ours of {SECONDS:g} s "
        "after a warm-up. Tiles: one client, servers taking turns per tile, p50/p95 of "
        f"{TILE_ROUNDS} rounds after a first-fetch round. ogr2ogr: `ogr2ogr -f GPKG out.gpkg "
        f"OAPIF:<base> <collection> -oo PAGE_SIZE={PAGE_SIZE} -gt 10000` (GDAL's own default "
        f"is 10 per page), stopped after {OGR_CAP_S:.0f} s. Whole run: {took:.0f} s.\n"
    )
    for label, result in scales:
        print(f"### {label}: {result.lamps:,} lamps\n")
        print(table(result.rows, ("measure", "ours", "tipg / ogr2ogr", "ours / theirs")))
        print("\nTargets: " + "; ".join(result.verdicts) + ".\n")
        for note in result.notes:
            print(f"- {note}")
        print()
    print(
        f"tipg stops at {TIPG_MAX_PER_TILE:,} features per tile (its default "
        "max_features_per_tile, `LIMIT` after `ORDER BY id`): at scale 100 a low-zoom tile over "
        "the centre holds more lamps than that, so tipg answers part of the lamps there while "
        "ours answers all of them (or aggregates); its low-zoom times are for less work."
    )


if __name__ == "__main__":
    main()
