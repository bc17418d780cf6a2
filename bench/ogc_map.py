"""The served status map in headless Chromium for bench_ogc: time until the lamps are drawn.

"Drawn" is the first animation frame at which every lamp is represented on the page:
- a page that embeds its lamps (below the map tile threshold): the numbers on the cluster icons
  plus the single lamp dots add up to the lamp count (as bench_maps measures it);
- a page that draws lamps from vector tiles (above the threshold): the lamp tile layer (the
  VectorGrid layer in the `ga-lamps` pane) has tiles, and every one of them is loaded and painted
  (Leaflet marks a tile loaded after VectorGrid has drawn its features on the tile's canvas), or
  the page's own mark `<html data-lamps-drawn>` (set on the layer's `load`, the same moment).
Times are from navigation start. OpenStreetMap tiles are answered with a blank PNG (the machine
is offline); every other request goes to our server unchanged.
"""

from __future__ import annotations

import statistics
import time

from maps.browser import BLANK_PNG, is_tile, launch_chromium

DRAWN_PROBE = """
window.__drawn = null;
window.__drawnHow = null;
(function probe() {
  const expected = %d;
  let count = 0;
  document.querySelectorAll('.ga-cluster').forEach(e => count += parseInt(e.textContent, 10));
  count += document.querySelectorAll('.ga-lamp').length;
  if (count >= expected) {
    window.__drawn = performance.now();
    window.__drawnHow = count + ' lamps embedded';
    return;
  }
  const root = document.documentElement;
  if (root && root.hasAttribute('data-lamps-drawn')) {
    window.__drawn = performance.now();
    window.__drawnHow = 'lamp tiles in view (data-lamps-drawn)';
    return;
  }
  if (window.L && L.VectorGrid) {
    for (const key of Object.keys(window)) {
      const map = window[key];
      if (!(map instanceof L.Map)) continue;
      map.eachLayer(layer => {
        if (window.__drawn !== null) return;
        if (!(layer instanceof L.VectorGrid) || layer.options.pane !== 'ga-lamps') return;
        const tiles = Object.values(layer._tiles || {});
        if (tiles.length && tiles.every(t => t.loaded)) {
          window.__drawn = performance.now();
          window.__drawnHow = tiles.length + ' lamp tiles';
        }
      });
    }
    if (window.__drawn !== null) return;
  }
  requestAnimationFrame(probe);
})();
"""


def drawn_once(browser, url: str, lamp_count: int) -> tuple[float, str, list[str]]:  # noqa: ANN001
    """(seconds until drawn, what was counted, problems seen) for one fresh page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.route(
        is_tile,
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.add_init_script(DRAWN_PROBE % lamp_count)
    page.goto(url, wait_until="load", timeout=120_000)
    # Polled from here: the served pages' Content-Security-Policy forbids the eval that
    # wait_for_function needs; the time itself is taken in the page by the probe.
    deadline = time.monotonic() + 120
    while (drawn := page.evaluate("window.__drawn")) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: lamps not drawn after 120 s; {problems[:3]}")
        time.sleep(0.05)
    drawn /= 1000
    how = page.evaluate("window.__drawnHow")
    context.close()
    return drawn, how, problems


def drawn_seconds(url: str, lamp_count: int, runs: int) -> tuple[float, str]:
    """Median seconds until drawn over `runs` fresh pages after one warm-up, and what was
    counted; fails on page errors or failed requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        results = [drawn_once(browser, url, lamp_count) for _ in range(runs + 1)][1:]
        browser.close()
    problems = [p for _, _, found in results for p in found]
    if problems:
        raise RuntimeError(f"{url}: {problems[:5]}")
    return statistics.median(r[0] for r in results), results[-1][1]
