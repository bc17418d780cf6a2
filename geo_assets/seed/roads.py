"""The road network: the hand-drawn skeleton, then generated local streets and lanes (gang).

Locals branch off the skeleton and lanes off the locals, each starting exactly on its parent
road, where a shared vertex is added, so that the network is connected. Streets stay inside
the city and out of the cemeteries. Everything in UTM 50S metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo_assets.seed.boundaries import Boundaries
from geo_assets.seed.geometry import lonlat_to_metric
from geo_assets.seed.inputs import CityInputs

SAMPLE_STEP_M = 10.0
MIN_ROAD_M = 60.0


@dataclass
class PlannedRoad:
    """A road before it is stored: geometry in metres plus attributes."""

    name: str
    road_class: str
    surface: str
    width_m: float
    line: LineString
    junctions: list[float] = field(default_factory=list)  # where others join, along the line
    code: str = ""


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    """One key of `weights`, drawn with those relative weights."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _attributes(
    params: dict[str, Any], rng: np.random.Generator, *, rural: bool
) -> tuple[str, float]:
    surfaces = dict(params["surface"])
    if rural:  # unpaved streets are commoner outside the centre
        for unpaved in ("kerikil", "tanah"):
            if unpaved in surfaces:
                surfaces[unpaved] *= 2.0
    low, high = params["width_m"]
    return pick(rng, surfaces), round(float(rng.uniform(low, high)) * 2) / 2


def _snap_end(point: np.ndarray, roads: list[PlannedRoad], limit: float) -> np.ndarray:
    """`point`, or the nearest point of an earlier road within `limit` (recorded as junction)."""
    if not roads:
        return point
    lines = [r.line for r in roads]
    distances = shapely.distance(lines, Point(point))
    nearest = int(np.argmin(distances))
    if distances[nearest] > limit:
        return point
    along = roads[nearest].line.project(Point(point))
    roads[nearest].junctions.append(along)
    return np.array(roads[nearest].line.interpolate(along).coords[0])


def skeleton_roads(
    inputs: CityInputs, inner: Polygon, rng: np.random.Generator
) -> list[PlannedRoad]:
    """The hand-drawn main roads, ends joined to earlier roads, clipped to the city."""
    config = inputs.roads
    roads: list[PlannedRoad] = []
    for entry in config["skeleton"]:
        points = lonlat_to_metric(np.array(entry["points"], dtype=float))
        points[0] = _snap_end(points[0], roads, config["snap_m"])
        points[-1] = _snap_end(points[-1], roads, config["snap_m"])
        line = _longest_part(LineString(points).intersection(inner))
        if line is None:
            continue
        surface, width = _attributes(config["class"][entry["class"]], rng, rural=False)
        roads.append(PlannedRoad(entry["name"], entry["class"], surface, width, line))
    return roads


def _longest_part(geometry: BaseGeometry) -> LineString | None:
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, LineString) and g.length > 0]
    return max(parts, key=lambda g: g.length) if parts else None


def _part_from(geometry: BaseGeometry, start: Point) -> LineString | None:
    """The piece of a clipped branch that still starts at its parent road."""
    for part in shapely.get_parts(geometry):
        if not isinstance(part, LineString) or part.length < MIN_ROAD_M:
            continue
        if Point(part.coords[0]).distance(start) < 0.01:
            return part
        if Point(part.coords[-1]).distance(start) < 0.01:
            return part.reverse()
    return None


def _branch(
    start: np.ndarray, heading: float, length: float, bends: int, rng: np.random.Generator
) -> LineString:
    points = [start]
    step = length / (bends + 1)
    for index in range(bends + 1):
        if index:
            heading += rng.normal(0.0, math.radians(12))
        points.append(points[-1] + step * np.array([math.cos(heading), math.sin(heading)]))
    return LineString(points)


def _samples(roads: list[PlannedRoad]) -> Samples:
    """Points every SAMPLE_STEP_M along `roads`: (road index, distance along, xy)."""
    index, along = [], []
    for i, road in enumerate(roads):
        steps = np.arange(SAMPLE_STEP_M / 2, road.line.length, SAMPLE_STEP_M)
        index.append(np.full(len(steps), i))
        along.append(steps)
    road_index = np.concatenate(index).astype(int) if index else np.zeros(0, int)
    distances = np.concatenate(along) if along else np.zeros(0)
    lines = np.array([r.line for r in roads], dtype=object)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[road_index], distances))
    xy = xy.reshape(-1, 2)
    return road_index, distances, xy


Samples = tuple[np.ndarray, np.ndarray, np.ndarray]


def _join(first: Samples, second: Samples, offset: int) -> Samples:
    return (
        np.concatenate([first[0], second[0] + offset]),
        np.concatenate([first[1], second[1]]),
        np.vstack([first[2], second[2]]),
    )


def _grow(
    parents: list[PlannedRoad],
    samples: Samples,
    area: Polygon,
    allowed: Polygon,
    *,
    count: int,
    mean_length: float,
    bends: int,
    rng: np.random.Generator,
) -> list[tuple[int, LineString]]:
    """Up to `count` branches off `parents` starting inside `area`: (parent index, line)."""
    road_index, distances, xy = samples
    inside = shapely.contains_xy(area, xy[:, 0], xy[:, 1]) if len(xy) else np.zeros(0, bool)
    candidates = np.flatnonzero(inside)
    if count <= 0 or len(candidates) == 0:
        return []
    chosen = candidates[np.unique(np.linspace(0, len(candidates) - 1, count).round().astype(int))]
    branches = []
    for number, sample in enumerate(chosen):
        parent = parents[road_index[sample]]
        along = distances[sample]
        ahead = np.array(parent.line.interpolate(min(along + 1.0, parent.line.length)).coords[0])
        behind = np.array(parent.line.interpolate(max(along - 1.0, 0.0)).coords[0])
        direction = math.atan2(*(ahead - behind)[::-1])
        side = 1.0 if number % 2 == 0 else -1.0
        heading = direction + side * math.pi / 2 + rng.normal(0.0, math.radians(10))
        length = mean_length * rng.uniform(0.5, 1.5)
        start = xy[sample]
        branch = _branch(start, heading, length, bends, rng)
        # Most branches lie wholly inside; the prepared test spares the costly intersection.
        line = (
            branch
            if allowed.contains(branch)
            else _part_from(branch.intersection(allowed), Point(start))
        )
        if line is not None:
            parent.junctions.append(along)
            branches.append((int(road_index[sample]), line))
    return branches


def _lane_name(
    rng: np.random.Generator, names: dict[str, Any], parent: PlannedRoad, number: int
) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"Gg. {names['lanes'][int(rng.integers(len(names['lanes'])))]}"
    if roll < 0.8:
        return f"{parent.name} Gg. {number}"
    estate = names["estates"][int(rng.integers(len(names["estates"])))]
    return f"Komp. {estate} Blok {'ABCDEF'[int(rng.integers(6))]}"


def generate_streets(
    inputs: CityInputs,
    boundaries: Boundaries,
    skeleton: list[PlannedRoad],
    allowed: Polygon,
    rng: np.random.Generator,
) -> list[PlannedRoad]:
    """Local roads and lanes for every kelurahan, denser where it is more urban."""
    config, names = inputs.roads, inputs.names
    streets: list[PlannedRoad] = []
    collectors = [r for r in skeleton if r.road_class == "kolektor"]
    skeleton_samples, collector_samples = _samples(skeleton), _samples(collectors)
    for kelurahan in inputs.kelurahan:
        area = boundaries.kelurahan[kelurahan.code]
        weight = kelurahan.urban_weight
        rural = weight < 1.5
        total = config["km_per_km2"] * weight * area.area / 1e6 * 1000.0
        local_length = float(np.clip(1500.0 / math.sqrt(weight), 400.0, 1500.0))
        local_count = round(total * config["lokal_share"] / local_length)
        locals_ = []
        local_names = list(rng.permutation(names["local_roads"]))
        for number, (_, line) in enumerate(
            _grow(
                skeleton,
                skeleton_samples,
                area,
                allowed,
                count=local_count,
                mean_length=local_length,
                bends=2,
                rng=rng,
            )
        ):
            surface, width = _attributes(config["class"]["lokal"], rng, rural=rural)
            name = f"Jl. {local_names[number % len(local_names)]}"
            locals_.append(PlannedRoad(name, "lokal", surface, width, line))
        lane_length = 240.0
        lane_count = round(total * (1 - config["lokal_share"]) / lane_length)
        parents, samples = locals_, _samples(locals_)
        if weight >= 3:  # in the centre, lanes open straight off the collectors too
            parents, samples = locals_ + collectors, _join(samples, collector_samples, len(locals_))
        for number, (parent, line) in enumerate(
            _grow(
                parents,
                samples,
                area,
                allowed,
                count=lane_count,
                mean_length=lane_length,
                bends=1,
                rng=rng,
            )
        ):
            surface, width = _attributes(config["class"]["lingkungan"], rng, rural=rural)
            name = _lane_name(rng, names, parents[parent], number % 9 + 1)
            streets.append(PlannedRoad(name, "lingkungan", surface, width, line))
        streets.extend(locals_)
    return streets


def with_junction_vertices(road: PlannedRoad) -> LineString:
    """The road's line with a vertex wherever another road joins it."""
    if not road.junctions:
        return road.line
    coords = np.asarray(road.line.coords)
    vertex_along = shapely.line_locate_point(road.line, shapely.points(coords))
    extra = np.asarray(sorted(set(road.junctions)))
    extra_xy = shapely.get_coordinates(shapely.line_interpolate_point(road.line, extra))
    along = np.concatenate([vertex_along, extra])
    merged = np.vstack([coords, extra_xy])[np.argsort(along, kind="stable")]
    keep = np.ones(len(merged), bool)
    keep[1:] = np.hypot(*np.diff(merged, axis=0).T) > 1e-6
    return LineString(merged[keep])


def build_roads(
    inputs: CityInputs,
    boundaries: Boundaries,
    obstacles: BaseGeometry,
    skeleton: list[PlannedRoad],
    rng: np.random.Generator,
) -> list[PlannedRoad]:
    """All roads with codes JLN-0001..., skeleton first; junctions made exact vertices."""
    allowed = city_inner(inputs, boundaries).difference(obstacles)
    shapely.prepare(allowed)
    roads = skeleton + generate_streets(inputs, boundaries, skeleton, allowed, rng)
    for number, road in enumerate(roads, start=1):
        road.line = with_junction_vertices(road)
        road.code = f"JLN-{number:04d}"
    return roads


def city_inner(inputs: CityInputs, boundaries: Boundaries) -> Polygon:
    """The part of the city where roads may run (a margin inside the outline)."""
    return boundaries.outline.buffer(-inputs.roads["inner_margin_m"])
