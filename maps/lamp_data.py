"""Lamps as one compact payload: columns of small integers plus lookup tables.

14,000 folium Markers would be ~10 MB of JavaScript; this payload is about 30 bytes a lamp.
Positions are 1e-5 degree integers (about 1.1 m) stored as differences from the previous lamp,
codes as a prefix index plus a running number, names as indexes into tables. `maps.js`
(`GeoAssetsMaps.decodeLamps`) reverses it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_assets.mapdata.lamps import LAMP_COLUMNS
from geo_assets.vocab import LAMP_STATUS, LAMP_TYPE, codes, label
from maps.labels import STATUS_COLORS, Lang, text

# The columns `geo_assets.mapdata.read_lamps` gives (from the registry), geometry apart.
REQUIRED_COLUMNS = tuple(name for name in LAMP_COLUMNS if name != "geometry")
_CODE_TAIL = re.compile(r"^(.*?)(\d+)$")
STATUSES = codes(LAMP_STATUS)


def _deltas(values: np.ndarray) -> list[int]:
    return np.diff(values.astype(np.int64), prepend=0).tolist()


def _indexes(values: pd.Series) -> tuple[list[int], list[str]]:
    """Index of each value in a table of distinct values (-1 for missing)."""
    present = values.dropna()
    table = list(dict.fromkeys(present.astype(str)))
    position = {name: index for index, name in enumerate(table)}
    return [position[str(v)] if pd.notna(v) else -1 for v in values], table


def _codes(values: pd.Series) -> tuple[list[int], list[int], list[str], list[int]]:
    """Split codes into (prefix index, running number); codes without digits keep number 0."""
    prefixes: dict[tuple[str, int], int] = {}
    prefix_index, numbers = [], []
    for code in values.astype(str):
        match = _CODE_TAIL.match(code)
        key = (match.group(1), len(match.group(2))) if match else (code, 0)
        prefix_index.append(prefixes.setdefault(key, len(prefixes)))
        numbers.append(int(match.group(2)) if match else 0)
    return prefix_index, numbers, [p for p, _ in prefixes], [w for _, w in prefixes]


def _event_minutes(values: pd.Series) -> tuple[list[int], int]:
    """Minutes since the earliest event (-1 when a lamp has none), and that earliest minute."""
    times = pd.to_datetime(values, utc=True)
    minutes = (times - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(minutes=1)
    base = int(minutes.min()) if minutes.notna().any() else 0
    return [int(m - base) if pd.notna(m) else -1 for m in minutes], base


def _status_indexes(values: pd.Series) -> list[int]:
    unknown = set(values) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown lamp status {sorted(unknown)}")
    position = {status: index for index, status in enumerate(STATUSES)}
    return [position[s] for s in values]


def encode_lamps(lamps: gpd.GeoDataFrame, lang: Lang) -> dict[str, Any]:
    """The payload `GeoAssetsMaps.decodeLamps` reads (lamps in code order)."""
    missing = set(REQUIRED_COLUMNS) - set(lamps.columns)
    if missing:
        raise ValueError(f"lamps frame lacks columns {sorted(missing)}")
    lamps = lamps.sort_values("code", kind="stable")
    prefix_index, numbers, prefixes, widths = _codes(lamps["code"])
    roads, road_table = _indexes(lamps["road_name"])
    kelurahan, kelurahan_table = _indexes(lamps["kelurahan_name"])
    types, type_table = _indexes(lamps["lamp_type"])
    events, base = _event_minutes(lamps["last_event_at"])
    return {
        "n": len(lamps),
        "x": _deltas(np.round(lamps.geometry.x.to_numpy() * 1e5)),
        "y": _deltas(np.round(lamps.geometry.y.to_numpy() * 1e5)),
        "id": _deltas(lamps["id"].to_numpy()),
        "c": prefix_index,
        "cn": _deltas(np.asarray(numbers)),
        "prefixes": prefixes,
        "widths": widths,
        "s": _status_indexes(lamps["status"]),
        "t": types,
        "w": lamps["wattage"].astype(int).tolist(),
        "r": roads,
        "k": kelurahan,
        "e": events,
        "tbase": base,
        "tables": {
            "roads": road_table,
            "kelurahan": kelurahan_table,
            "types": [label(LAMP_TYPE, code, lang) for code in type_table],
        },
    }


def lamp_config(lang: Lang) -> dict[str, Any]:
    """Status labels and colours, and the popup's words, for `decodeLamps`."""
    words = ("lamp_type", "wattage", "road", "status", "last_event", "none", "search", "not_found")
    return {
        "statuses": [
            {"code": s, "label": label(LAMP_STATUS, s, lang), "color": STATUS_COLORS[s]}
            for s in STATUSES
        ],
        "text": {**{w: text(w, lang) for w in words}, "kelurahan": text("kelurahan_one", lang)},
    }


def script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> element."""
    dumped = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        dumped = dumped.replace(char, escape)
    return dumped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
