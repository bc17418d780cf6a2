"""Status map of the 14,000-lamp city: ours vs a naive Folium map (one CircleMarker per lamp).

Both start from the same GeoDataFrame of lamps and are written the same way (HTML + static/
with the vendored scripts, opened from file:// in headless Chromium, tiles answered locally with
a blank image). "Drawn" = the first animation frame at which every lamp is represented on the
page: for ours, the numbers on the cluster icons plus the single lamp dots add up to 14,000;
for the naive map, 14,000 circle paths exist in the SVG overlay. Times are from navigation start.
Run: `.venv/bin/python -m bench.bench_maps` (prints one Markdown section).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import folium
import geopandas as gpd

from bench.common import RUNS, bench_cluster, machine_line, median_seconds, table
from geo_assets import mapdata
from geo_assets.database import make_engine
from geo_assets.seed import seed_city
from maps.assets import copy_static
from maps.browser import launch_chromium, watch_page
from maps.labels import STATUS_COLORS
from maps.render import render_html
from maps.sources import read_context
from maps.status import build_status_map

DRAWN_PROBE = """
window.__drawn = null;
(function probe() {
  const expected = %d;
  let count = 0;
  document.querySelectorAll('.ga-cluster').forEach(e => count += parseInt(e.textContent, 10));
  count += document.querySelectorAll('.ga-lamp').length;
  count += document.querySelectorAll('path.naive-lamp').length;
  if (count >= expected) { window.__drawn = performance.now(); return; }
  requestAnimationFrame(probe);
})();
"""


def naive_map(lamps: gpd.GeoDataFrame) -> folium.Map:
    """What one writes with folium's defaults: a CircleMarker (with a tooltip) per lamp."""
    m = folium.Map(location=[-3.46, 114.80], zoom_start=12)
    for row in lamps.itertuples():
        tooltip = (
            f"{row.code}<br>{row.lamp_type}, {row.wattage} W<br>{row.road_name}<br>"
            f"{row.kelurahan_name}<br>{row.status}<br>{row.last_event_at}"
        )
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=4,
            color=STATUS_COLORS[row.status],
            fill=True,
            tooltip=tooltip,
            class_name="naive-lamp",
        ).add_to(m)
    return m


def drawn_seconds(browser, path: Path, lamp_count: int) -> tuple[float, float, list[str]]:
    """(drawn, load event) in seconds for one fresh page; and any problem seen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = watch_page(page)
    page.add_init_script(DRAWN_PROBE % lamp_count)
    page.goto(path.as_uri(), wait_until="load", timeout=120_000)
    page.wait_for_function("window.__drawn !== null", timeout=120_000, polling=200)
    drawn = page.evaluate("window.__drawn") / 1000
    load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    context.close()
    return drawn, load, watch.problems()


def browser_timings(path: Path, lamp_count: int, runs: int) -> tuple[float, float]:
    """Median (drawn, load) over `runs` fresh pages (after one warm-up)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        results = [drawn_seconds(browser, path, lamp_count) for _ in range(runs + 1)][1:]
        browser.close()
    problems = [p for _, _, found in results for p in found]
    if problems:
        raise RuntimeError(f"{path.name}: {problems[:5]}")
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results))


def main() -> None:
    """Seed the city, build and open both maps, print the Markdown section."""
    with bench_cluster("maps") as cluster:
        engine = make_engine(cluster.url())
        seed_city(engine)
        start = time.perf_counter()
        lamps, context = mapdata.read_lamps(engine), read_context(engine)
        read_s = time.perf_counter() - start
        engine.dispose()
    n = len(lamps)
    ours_html = render_html(build_status_map(lamps=lamps, context=context))
    naive_html = render_html(naive_map(lamps))
    ours_build = median_seconds(lambda: render_html(build_status_map(lamps=lamps, context=context)))
    naive_build = median_seconds(lambda: render_html(naive_map(lamps)), runs=min(RUNS, 3))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        copy_static(out / "static")
        (out / "ours.html").write_text(ours_html, encoding="utf-8")
        (out / "naive.html").write_text(naive_html, encoding="utf-8")
        load_average = os.getloadavg()[0]
        ours_drawn, ours_load = browser_timings(out / "ours.html", n, RUNS)
        naive_drawn, naive_load = browser_timings(out / "naive.html", n, min(RUNS, 3))
    size_ours, size_naive = len(ours_html.encode()) / 1e6, len(naive_html.encode()) / 1e6
    rows = [
        (
            "HTML size (MB)",
            f"{size_ours:.2f}",
            f"{size_naive:.2f}",
            f"{size_ours / size_naive:.3f}",
        ),
        (
            "build time, frame → HTML (s)",
            f"{ours_build:.2f}",
            f"{naive_build:.2f}",
            f"{ours_build / naive_build:.3f}",
        ),
        (
            "time until drawn in Chromium (s)",
            f"{ours_drawn:.2f}",
            f"{naive_drawn:.2f}",
            f"{ours_drawn / naive_drawn:.3f}",
        ),
        (
            "load event (s)",
            f"{ours_load:.2f}",
            f"{naive_load:.2f}",
            f"{ours_load / naive_load:.3f}",
        ),
    ]
    verdict = [
        f"HTML ≤ 1.5 MB: {'met' if size_ours <= 1.5 else 'NOT met'}",
        f"HTML ≤ 0.1 × naive: {'met' if size_ours <= 0.1 * size_naive else 'NOT met'}",
        f"drawn ≤ 1 s: {'met' if ours_drawn <= 1.0 else 'NOT met'}",
    ]
    print(f"## Status map of {n:,} lamps: ours vs naive Folium (one CircleMarker per lamp)\n")
    print(
        f"{machine_line()}; median of {RUNS} runs (naive builds and page loads: "
        f"{min(RUNS, 3)}); load average {load_average:.1f} as the page loads began (the "
        f"machine is shared). Reading the frames from PostGIS (shared by both): {read_s:.2f} s.\n"
    )
    print(table(rows, ("measure", "ours", "naive folium", "ours/naive")))
    print("\nTargets: " + "; ".join(verdict) + ".\n")
    print(
        "Drawn = first animation frame at which every lamp is on the page (cluster counts plus "
        "single dots = all lamps for ours; one SVG circle per lamp for the naive map), from "
        "navigation start; both pages opened from file:// with the same vendored Leaflet, "
        "tiles answered locally with a blank PNG."
    )


if __name__ == "__main__":
    main()
