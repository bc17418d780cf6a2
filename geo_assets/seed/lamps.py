"""Street lights on the roads: exactly N × scale of them, spaced after SNI 7391.

Each lit road gets a pole height and a spacing factor within the norm of its class; some roads
are over-spaced and some miss lamps over a stretch, so that dark gaps exist. The lamp count per
road is then apportioned (largest remainder) so that the city has exactly the asked-for number.
Lamps stand a metre or two beside the road line (staggered on the arterial).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import shapely

from geo_assets.errors import InvalidInput
from geo_assets.models.lighting import LAST_LAMP_NUMBER
from geo_assets.seed.roads import PlannedRoad, pick

LAMPS_PER_SCALE = 14_000
POSITION_CHUNK = 100_000

TYPE_MIX = {
    "arteri": {"led": 0.6, "sodium": 0.4},
    "kolektor": {"led": 0.5, "sodium": 0.4, "mercury": 0.1},
    "lokal": {"led": 0.45, "sodium": 0.3, "mercury": 0.12, "cfl": 0.08, "other": 0.05},
    "lingkungan": {"led": 0.45, "sodium": 0.15, "mercury": 0.1, "cfl": 0.2, "other": 0.1},
}
WATTAGE = {  # W, by lamp type and road class
    "led": {
        "arteri": [120, 150],
        "kolektor": [90, 120],
        "lokal": [60, 90],
        "lingkungan": [30, 40, 50],
    },
    "sodium": {"arteri": [250], "kolektor": [150], "lokal": [100, 150], "lingkungan": [70]},
    "mercury": {"arteri": [250], "kolektor": [125], "lokal": [125], "lingkungan": [80]},
    "cfl": {"arteri": [65], "kolektor": [65], "lokal": [45, 65], "lingkungan": [23, 45]},
    "other": {"arteri": [150], "kolektor": [100], "lokal": [70], "lingkungan": [50]},
}
INSTALL_YEARS = {
    "arteri": (2012, 2018),
    "kolektor": (2008, 2020),
    "lokal": (2005, 2022),
    "lingkungan": (2008, 2022),
}
HISTORY_START = date(2023, 1, 1)


@dataclass(frozen=True)
class RoadLighting:
    """How one road is lit: pole height, spacing factor, a dark stretch, the lamps' owner."""

    pole_height_m: float
    spacing_h: float
    gap: tuple[float, float] | None  # (from, length) along the road without lamps
    lamp_type: str
    ownership: str
    power_billing: str
    installed_year: int
    new_in_history: bool  # lit during 2023-2024


@dataclass
class PlannedLamps:
    """All lamps as parallel arrays, in road order; positions in metres."""

    xy: np.ndarray
    road_index: np.ndarray
    lamp_type: np.ndarray
    wattage: np.ndarray
    pole_height_m: np.ndarray
    mounting: np.ndarray
    ownership: np.ndarray
    power_billing: np.ndarray
    installed_on: np.ndarray  # datetime64[D]

    def __len__(self) -> int:
        return len(self.road_index)


def _lighting(
    road: PlannedRoad, params: dict[str, Any], dark: dict[str, Any], rng: np.random.Generator
) -> RoadLighting:
    low, high = params["pole_height_m"]
    height = round(float(rng.uniform(low, high)) * 2) / 2
    s_low, s_high = params["spacing_h"]
    spacing = float(rng.uniform(s_low - 0.3, s_high - 0.05))
    if rng.random() < dark["over_spaced_share"]:
        spacing = s_high * float(rng.uniform(*dark["over_spaced_factor"]))
    gap = None
    gap_length = float(rng.uniform(*dark["missing_stretch_m"]))
    if rng.random() < dark["missing_stretch_share"] and road.line.length > 3 * gap_length:
        gap = (float(rng.uniform(gap_length, road.line.length - 2 * gap_length)), gap_length)
    ownership = "pemkot"
    if road.road_class == "arteri" and rng.random() < 0.4:
        ownership = "provinsi"
    elif road.name.startswith("Komp.") or (road.road_class == "lokal" and rng.random() < 0.04):
        ownership = "private"
    metered = {"arteri": 0.95, "kolektor": 0.9, "lokal": 0.65, "lingkungan": 0.45}
    first, last = INSTALL_YEARS[road.road_class]
    return RoadLighting(
        pole_height_m=height,
        spacing_h=spacing,
        gap=gap,
        lamp_type=pick(rng, TYPE_MIX[road.road_class]),
        ownership=ownership,
        power_billing="metered" if rng.random() < metered[road.road_class] else "flat_rate",
        installed_year=int(rng.integers(first, last + 1)),
        new_in_history=road.road_class in ("lokal", "lingkungan") and rng.random() < 0.04,
    )


def _apportion(ideal: np.ndarray, total: int) -> np.ndarray:
    """Integer counts proportional to `ideal` that add up to exactly `total`."""
    quota = ideal * total / ideal.sum()
    counts = np.floor(quota).astype(int)
    short = total - counts.sum()
    counts[np.argsort(-(quota - counts), kind="stable")[:short]] += 1
    return counts


def plan_lighting(
    roads: list[PlannedRoad], config: dict[str, Any], total: int, rng: np.random.Generator
) -> tuple[list[RoadLighting | None], np.ndarray]:
    """Which roads are lit and how, and the lamp count per road (summing to `total`)."""
    lighting: list[RoadLighting | None] = []
    for road in roads:
        params = config["class"][road.road_class]
        lit = rng.random() < params["lit"]
        lighting.append(_lighting(road, params, config["dark"], rng) if lit else None)
    ideal = np.array(
        [
            0.0
            if light is None
            else (road.line.length - (light.gap[1] if light.gap else 0.0))
            / (light.spacing_h * light.pole_height_m)
            for road, light in zip(roads, lighting, strict=True)
        ]
    )
    # Leave lanes dark (many gang have no PJU) until the norm-spaced count fits the total;
    # the apportionment then only tightens spacing, never widens it past the norm.
    lanes = [
        i
        for i in rng.permutation(len(roads))
        if lighting[i] is not None and roads[i].road_class == "lingkungan"
    ]
    while ideal.sum() > total and lanes:
        index = lanes.pop()
        lighting[index], ideal[index] = None, 0.0
    return lighting, _apportion(ideal, total)


def _positions(road: PlannedRoad, light: RoadLighting, count: int) -> np.ndarray:
    """Distances along the road of `count` evenly spaced lamps, skipping the dark stretch."""
    gap_from, gap_length = light.gap or (road.line.length, 0.0)
    usable = road.line.length - gap_length
    along = (np.arange(count) + 0.5) * usable / count
    return np.where(along >= gap_from, along + gap_length, along)


def place_lamps(
    roads: list[PlannedRoad],
    lighting: list[RoadLighting | None],
    counts: np.ndarray,
    rng: np.random.Generator,
) -> PlannedLamps:
    """The lamps of every lit road, with type, wattage, mounting, owner and install date."""
    lights = {i: light for i, light in enumerate(lighting) if light is not None and counts[i] > 0}
    lit = list(lights)
    road_index = np.repeat(np.array(lit, dtype=int), counts[lit])
    along = np.concatenate([_positions(roads[i], lights[i], int(counts[i])) for i in lit])
    lines = np.array([r.line for r in roads], dtype=object)
    centre, normal = np.empty((len(along), 2)), np.empty((len(along), 2))
    for start in range(0, len(along), POSITION_CHUNK):  # a shapely point per lamp costs memory
        part = slice(start, start + POSITION_CHUNK)
        centre[part], normal[part] = _centre_and_normal(lines[road_index[part]], along[part])
    arterial = np.array([roads[i].road_class == "arteri" for i in road_index])
    rank = np.arange(len(road_index)) - np.repeat(np.cumsum(counts[lit]) - counts[lit], counts[lit])
    side = np.where(arterial & (rank % 2 == 1), -1.0, 1.0)
    offset = np.where(arterial, 2.0, 1.0) * side
    xy = centre + normal * offset[:, None]
    return _attributes(roads, lighting, road_index, xy, rng)


def _centre_and_normal(lines: np.ndarray, along: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The point `along` each line and the unit normal of the line there."""
    lengths = shapely.length(lines)
    # Clipped: a negative distance would count from the far end of the line.
    ahead = shapely.get_coordinates(
        shapely.line_interpolate_point(lines, np.minimum(along + 1.0, lengths))
    )
    behind = shapely.get_coordinates(
        shapely.line_interpolate_point(lines, np.maximum(along - 1.0, 0.0))
    )
    centre = shapely.get_coordinates(shapely.line_interpolate_point(lines, along))
    tangent = ahead - behind
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    return centre, np.column_stack([-tangent[:, 1], tangent[:, 0]])


def _attributes(
    roads: list[PlannedRoad],
    lighting: list[RoadLighting | None],
    road_index: np.ndarray,
    xy: np.ndarray,
    rng: np.random.Generator,
) -> PlannedLamps:
    # Vectorised, with the very draws (and order) of drawing lamp after lamp: a bounded
    # integer or a choice costs the generator the same whether drawn one by one or as an array.
    n = len(road_index)
    class_names = sorted(INSTALL_YEARS)
    class_code = np.array([class_names.index(r.road_class) for r in roads], dtype=np.int8)
    classes = class_code[road_index]
    of_road = {
        name: np.array([getattr(light, name, None) for light in lighting], dtype=object)[road_index]
        for name in ("lamp_type", "ownership", "power_billing", "pole_height_m")
    }
    types = of_road["lamp_type"]
    swap = np.flatnonzero(rng.random(n) < 0.12)
    types[swap] = _picks(rng, [TYPE_MIX[class_names[c]] for c in classes[swap].tolist()])
    wattage = _wattages(types, classes, class_names, rng)
    lane = classes == class_names.index("lingkungan")
    main = (classes == class_names.index("arteri")) | (classes == class_names.index("kolektor"))
    mounting = np.empty(n, dtype=object)
    mounting[:] = "pole"  # one str for all (np.full would make a copy per lamp)
    roll = rng.random(n)
    mounting[lane & (roll < 0.08)] = "wall"
    mounting[lane & (roll >= 0.08) & (roll < 0.12)] = "bracket"
    mounting[main & (roll < 0.06)] = "bracket"
    mounting[~lane & ~main & (roll < 0.02)] = "wall"
    ownership = of_road["ownership"]
    ownership[lane & (ownership == "pemkot") & (rng.random(n) < 0.08)] = "pln"
    return PlannedLamps(
        xy=xy,
        road_index=road_index,
        lamp_type=types,
        wattage=wattage,
        pole_height_m=of_road["pole_height_m"].astype(float),
        mounting=mounting,
        ownership=ownership,
        power_billing=of_road["power_billing"],
        installed_on=_install_dates(lighting, road_index, types == "led", rng),
    )


def _wattages(
    types: np.ndarray, classes: np.ndarray, class_names: list[str], rng: np.random.Generator
) -> np.ndarray:
    """A wattage per lamp, drawn among those of its type on its road class."""
    type_names = sorted(WATTAGE)
    table = [[WATTAGE[t][c] for c in class_names] for t in type_names]
    widest = max(len(options) for row in table for options in row)
    watts = np.array([[o + [0] * (widest - len(o)) for o in row] for row in table])
    counts = np.array([[len(o) for o in row] for row in table])
    type_code = np.zeros(len(types), dtype=np.int8)
    for code, name in enumerate(type_names):
        type_code[types == name] = code
    chosen = rng.integers(0, counts[type_code, classes])
    return watts[type_code, classes, chosen]


def _picks(rng: np.random.Generator, mixes: list[dict[str, float]]) -> list[str]:
    """`pick(rng, mix)` for each mix in turn, from one array of uniform draws."""
    draws = rng.random(len(mixes))
    picked = []
    for mix, u in zip(mixes, draws.tolist(), strict=True):
        keys = list(mix)
        p = np.array([mix[k] for k in keys], dtype=float)
        cdf = (p / p.sum()).cumsum()
        cdf /= cdf[-1]
        picked.append(keys[int(cdf.searchsorted(u, side="right"))])
    return picked


def _install_dates(
    lighting: list[RoadLighting | None],
    road_index: np.ndarray,
    led: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Install day (datetime64[D]) per lamp: in the history years for roads lit then, else
    in the road's year (LED luminaires replaced older ones from 2017 on)."""
    new = np.array([bool(light and light.new_in_history) for light in lighting])[road_index]
    year = np.array([light.installed_year if light else 0 for light in lighting])[road_index]
    relamped = ~new & led
    # Per lamp, in order: a day in the history (new), or a relamping year (LED), then a day.
    draws = np.where(relamped, 2, 1)
    first = np.cumsum(draws) - draws
    low, high = np.zeros(draws.sum(), dtype=np.int64), np.zeros(draws.sum(), dtype=np.int64)
    low[first], high[first] = (
        np.where(new, 30, np.where(relamped, 2017, 0)),
        np.where(new, 700, np.where(relamped, 2023, 365)),
    )
    low[first[relamped] + 1], high[first[relamped] + 1] = 0, 365
    drawn = rng.integers(low, high)
    day = drawn[first + draws - 1]
    year = np.where(relamped, np.maximum(year, drawn[first]), year)
    new_years = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return np.where(new, np.datetime64(HISTORY_START, "D") + day, new_years + day)


class LampCoder:
    """`PJU-<kecamatan>-<nnnnn>`, numbered per kecamatan in lamp order, chunk after chunk (more
    digits past 99,999 lamps in one kecamatan, as at --scale 100)."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}

    def codes(self, kecamatan_codes: list[str]) -> list[str]:
        """The next lamps' codes, one per kecamatan code given."""
        counters, codes = self._counters, []
        for code in kecamatan_codes:
            number = counters.get(code, 0) + 1
            if number > LAST_LAMP_NUMBER:
                raise InvalidInput(
                    f"More than {LAST_LAMP_NUMBER:,} lamps in kecamatan {code}. "
                    "Choose a smaller --scale."
                )
            counters[code] = number
            codes.append(f"PJU-{code}-{number:05d}")
        return codes
