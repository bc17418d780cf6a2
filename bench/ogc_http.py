"""HTTP measurements for bench_ogc: wrk with percentiles, the city's tile list, tile latencies,
and GDAL copies over OAPIF."""

from __future__ import annotations

import json
import math
import os
import random
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import percentile

# The whole city lies within this box (SPEC §4); tiles are listed over it.
CITY_BOX = (114.675, -3.569, 114.908, -3.377)
ACCEPT = "application/geo+json"
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept"] = "%s"})
end
done = function(summary, latency, requests)
  io.write(string.format("P50_US %%d\\nP95_US %%d\\n", latency:percentile(50),
                         latency:percentile(95)))
end
"""


@dataclass
class WrkRun:
    """One wrk turn: requests per second and latency percentiles in ms."""

    rps: float
    p50_ms: float
    p95_ms: float


def wrk(base: str, paths: list[str], seconds: float, connections: int) -> WrkRun:
    """Load `base` with wrk cycling through `paths`; fails on any non-2xx answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (", ".join(json.dumps(p) for p in paths), ACCEPT))
    threads = min(2, connections)
    try:
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "60s"]
            + ["-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        )
    finally:
        Path(script.name).unlink()
    out = result.stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")

    def number(pattern: str) -> float:
        found = re.search(pattern, out)
        if not found:
            raise RuntimeError(f"wrk output without {pattern}:\n{out}")
        return float(found.group(1))

    return WrkRun(
        number(r"Requests/sec:\s+([\d.]+)"),
        number(r"P50_US (\d+)") / 1000,
        number(r"P95_US (\d+)") / 1000,
    )


def alternate(
    ours: tuple[str, list[str]], tipg: tuple[str, list[str]], seconds: float, connections: int
) -> tuple[WrkRun, WrkRun]:
    """Each server's mean of two turns in the order ours, tipg, tipg, ours (so that a change of
    load on a shared machine favours neither), after a short warm-up of both."""
    wrk(*ours, min(seconds, 2), connections)
    wrk(*tipg, min(seconds, 2), connections)
    runs = [wrk(*side, seconds, connections) for side in (ours, tipg, tipg, ours)]

    def mean(a: WrkRun, b: WrkRun) -> WrkRun:
        return WrkRun((a.rps + b.rps) / 2, (a.p50_ms + b.p50_ms) / 2, (a.p95_ms + b.p95_ms) / 2)

    return mean(runs[0], runs[3]), mean(runs[1], runs[2])


def feature_codes(url: str) -> list[str]:
    """The lamp codes of one GeoJSON page, in order."""
    answer = httpx.get(url, headers={"Accept": ACCEPT}, timeout=120)
    answer.raise_for_status()
    return [f["properties"]["code"] for f in answer.json()["features"]]


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """(x, y) of the WebMercatorQuad tile holding a point."""
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def city_tiles(zooms: range, per_zoom: int, seed: int = 11) -> list[tuple[int, int, int]]:
    """(z, x, y) of the tiles over the city at each zoom; a fixed random sample of `per_zoom`
    where there are more."""
    west, south, east, north = CITY_BOX
    picked: list[tuple[int, int, int]] = []
    sampler = random.Random(seed)
    for z in zooms:
        x0, y0 = tile_of(west, north, z)
        x1, y1 = tile_of(east, south, z)
        every = [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
        picked += every if len(every) <= per_zoom else sorted(sampler.sample(every, per_zoom))
    return picked


@dataclass
class TileTimes:
    """Latencies (ms) per zoom of one server: the first fetch of each tile and the later ones."""

    first: dict[int, list[float]] = field(default_factory=dict)
    later: dict[int, list[float]] = field(default_factory=dict)
    empty: int = 0
    bytes: int = 0


def tile_rounds(
    servers: dict[str, str], tiles: list[tuple[int, int, int]], rounds: int
) -> dict[str, TileTimes]:
    """Fetch every tile from every server `rounds + 1` times (the first round is the warm-up),
    one request at a time; servers take turns per tile, in a shuffled tile order per round.
    `servers` maps a name to a URL template with {z}, {x} and {y}."""
    times = {name: TileTimes() for name in servers}
    clients = {name: httpx.Client(timeout=120) for name in servers}
    order = list(tiles)
    shuffler = random.Random(7)
    try:
        for index in range(rounds + 1):
            shuffler.shuffle(order)
            for turn, (z, x, y) in enumerate(order):
                names = list(servers) if turn % 2 == 0 else list(reversed(servers))
                for name in names:
                    start = time.perf_counter()
                    answer = clients[name].get(servers[name].format(z=z, x=x, y=y))
                    took = (time.perf_counter() - start) * 1000
                    if answer.status_code not in (200, 204):
                        raise RuntimeError(f"{name} tile {z}/{x}/{y}: {answer.status_code}")
                    bucket = times[name].first if index == 0 else times[name].later
                    bucket.setdefault(z, []).append(took)
                    if index == 0:
                        times[name].empty += not answer.content
                        times[name].bytes += len(answer.content)
    finally:
        for client in clients.values():
            client.close()
    return times


def zoom_stats(latencies: dict[int, list[float]], zooms: list[int]) -> tuple[float, float]:
    """(p50, p95) in ms over the given zooms."""
    values = [v for z in zooms for v in latencies.get(z, [])]
    return percentile(values, 0.5), percentile(values, 0.95)


def ogr_copy(source: str, layer: str, out: Path, page_size: int, cap_s: float) -> float | None:
    """Seconds `ogr2ogr -f GPKG` takes to copy one OAPIF collection, or None when stopped at
    `cap_s` (the whole process group is killed then)."""
    out.unlink(missing_ok=True)
    command = ["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{source}", layer]
    start = time.perf_counter()
    process = subprocess.Popen(
        # Commits every 10,000 features, so that a copy stopped at the cap shows its progress.
        [*command, "-oo", f"PAGE_SIZE={page_size}", "-gt", "10000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, errors = process.communicate(timeout=cap_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None
    if process.returncode != 0:
        raise RuntimeError(f"ogr2ogr from {source} failed: {errors.decode()[-2000:]}")
    return time.perf_counter() - start


def copied_count(gpkg: Path) -> int:
    """Features in the one layer of a GeoPackage written by ogr2ogr (0 when unreadable: a copy
    stopped before its first commit)."""
    result = subprocess.run(["ogrinfo", "-so", "-al", str(gpkg)], capture_output=True, text=True)
    found = re.search(r"Feature Count: (\d+)", result.stdout)
    return int(found.group(1)) if found else 0
