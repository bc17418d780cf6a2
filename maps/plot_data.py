"""Grave plots as one compact payload (a city has tens of thousands of them).

As GeoJSON, 24,000 plots are ~8 MB of page; here each plot is its ring as 1e-6 degree integer
steps (10 cm), its status as an index, and its code `<block>-<row>-<no>` as a block index plus
two numbers: about 50 bytes a plot. `GeoAssetsMaps.plotLayer` draws them.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo_assets.vocab import PLOT_STATUS, codes, label
from maps.labels import PLOT_COLORS, Lang

_PLOT_CODE = re.compile(r"^(.*)-(\d+)-(\d+)$")
SCALE = 1e6


def _split_codes(values: list[str]) -> tuple[list[int], list[int], list[int], list[str]]:
    prefixes: dict[str, int] = {}
    index, rows, numbers = [], [], []
    for code in values:
        match = _PLOT_CODE.match(code)
        prefix, row, number = (
            (match.group(1), int(match.group(2)), int(match.group(3))) if match else (code, -1, -1)
        )
        index.append(prefixes.setdefault(prefix, len(prefixes)))
        rows.append(row)
        numbers.append(number)
    return index, rows, numbers, list(prefixes)


def encode_plots(plots: gpd.GeoDataFrame) -> dict[str, Any]:
    """The payload of `GeoAssetsMaps.plotLayer`: rings (without the closing point) and codes."""
    unknown = set(plots["status"]) - set(PLOT_STATUS)
    if unknown:
        raise ValueError(f"unknown plot status {sorted(unknown)}")
    rings = shapely.get_exterior_ring(shapely.get_geometry(plots.geometry.values, 0))
    counts = shapely.get_num_coordinates(rings) - 1  # drop the closing vertex
    coords = shapely.get_coordinates(rings)
    keep = np.ones(len(coords), dtype=bool)
    keep[np.cumsum(counts + 1) - 1] = False
    steps = np.diff(np.round(coords[keep] * SCALE).astype(np.int64), axis=0, prepend=0)
    block, rows, numbers, prefixes = _split_codes(plots["code"].astype(str).tolist())
    position = {status: i for i, status in enumerate(codes(PLOT_STATUS))}
    return {
        "n": len(plots),
        "nv": counts.tolist(),
        "xy": steps.ravel().tolist(),
        "s": [position[s] for s in plots["status"]],
        "b": block,
        "r": rows,
        "p": numbers,
        "prefixes": prefixes,
    }


def plot_config(lang: Lang) -> dict[str, Any]:
    """Status labels and colours for `plotLayer`."""
    return {
        "statuses": [
            {"label": label(PLOT_STATUS, s, lang), "color": PLOT_COLORS[s]}
            for s in codes(PLOT_STATUS)
        ]
    }
