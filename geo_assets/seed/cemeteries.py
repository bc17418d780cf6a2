"""Cemeteries (TPU): placement beside a main road, gate, access road, blocks and plots.

A TPU is a rectangle beside the skeleton road nearest its configured place, set back from the
road; its gate is the middle of the side facing the road and its access road runs from the
gate straight to the road. Inside, a central path from the gate and a grid of blocks (blok),
each filled with rows of plots (petak) of 1.5 × 2.5 m. All in UTM 50S metres.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo_assets.seed.geometry import lonlat_to_metric
from geo_assets.seed.inputs import CityInputs
from geo_assets.seed.roads import PlannedRoad

MARGIN_M = 0.25
SHIFTS_M = (0, 60, -60, 120, -120, 180, -180, 240, -240, 300, -300)


@dataclass
class PlannedCemetery:
    """A TPU before it is stored, with its layout in metres."""

    code: str
    config: dict[str, Any]
    road_index: int  # the skeleton road it is served from
    road_point: np.ndarray
    gate: np.ndarray
    origin: np.ndarray  # corner at the road side; u along the road, v away from it
    u: np.ndarray
    v: np.ndarray
    polygon: Polygon
    blocks: list[tuple[str, str, Polygon]] = field(default_factory=list)  # code, name, polygon
    plots: list[tuple[str, int, int, int]] = field(default_factory=list)  # code, block, row, no
    plot_polygons: np.ndarray = field(default_factory=lambda: np.zeros(0, object))

    @property
    def access_line(self) -> LineString:
        """The access road, from the gate to the road."""
        return LineString([self.gate, self.road_point])


def _frame(
    road: PlannedRoad, along: float, towards: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point on the road, unit vector along it, and unit normal towards `towards`."""
    line = road.line
    point = np.array(line.interpolate(along).coords[0])
    ahead = np.array(line.interpolate(min(along + 5.0, line.length)).coords[0])
    behind = np.array(line.interpolate(max(along - 5.0, 0.0)).coords[0])
    tangent = (ahead - behind) / np.linalg.norm(ahead - behind)
    normal = np.array([-tangent[1], tangent[0]])
    if np.dot(towards - point, normal) < 0:
        normal = -normal
    return point, tangent, normal


def _rectangle(
    origin: np.ndarray, u: np.ndarray, v: np.ndarray, width: float, depth: float
) -> Polygon:
    corners = [origin, origin + width * u, origin + width * u + depth * v, origin + depth * v]
    return shapely.orient_polygons(Polygon(corners))


def _fits(
    candidate: Polygon,
    access: LineString,
    inner: Polygon,
    areas: list[BaseGeometry],
    roads: list[PlannedRoad],
    placed: list[PlannedCemetery],
    own_road: int,
) -> bool:
    if not inner.contains(candidate) or not any(a.contains(candidate) for a in areas):
        return False
    road_lines = [r.line for r in roads]
    if shapely.intersects(road_lines, candidate.buffer(8.0)).any():
        return False
    others = [line for i, line in enumerate(road_lines) if i != own_road]
    if others and shapely.intersects(others, access).any():
        return False
    return not any(c.polygon.buffer(40.0).intersects(candidate) for c in placed)


def place_cemetery(
    code: str,
    config: dict[str, Any],
    skeleton: list[PlannedRoad],
    inner: Polygon,
    placed: list[PlannedCemetery],
    areas: list[BaseGeometry],
) -> PlannedCemetery:
    """Put one TPU beside the skeleton road nearest its `near` point, where it fits.

    It must lie inside the city and wholly inside one of `areas` (the kelurahan), so that the
    kelurahan its address names is the one it stands in.
    """
    anchor = lonlat_to_metric(np.array([config["near"]], dtype=float))[0]
    width, depth = (float(x) for x in config["size_m"])
    setback = float(config["setback_m"])
    order = np.argsort(shapely.distance([r.line for r in skeleton], Point(anchor)))
    for road_index in order[:3]:
        road = skeleton[road_index]
        base = road.line.project(Point(anchor))
        for side in (1.0, -1.0):
            for shift in SHIFTS_M:
                along = float(np.clip(base + shift, width, road.line.length - width))
                point, u, v = _frame(road, along, anchor)
                v = v * side
                gate = point + setback * v
                origin = gate - width / 2 * u
                if u[0] * v[1] - u[1] * v[0] < 0:  # keep (u, v) right-handed: CCW polygons
                    u = -u
                    origin = gate - width / 2 * u
                polygon = _rectangle(origin, u, v, width, depth)
                access = LineString([gate, point + 0.5 * v])
                if _fits(polygon, access, inner, areas, skeleton, placed, int(road_index)):
                    road.junctions.append(along)
                    return PlannedCemetery(
                        code, config, int(road_index), point, gate, origin, u, v, polygon
                    )
    raise ValueError(f"no room for {config['name']} near {config['near']}")


def _block_spans(
    start: float, length: float, target: float, path: float
) -> list[tuple[float, float]]:
    count = max(1, round((length + path) / (target + path)))
    size = (length - (count - 1) * path) / count
    return [(start + i * (size + path), start + i * (size + path) + size) for i in range(count)]


def _block_letters(index: int) -> str:
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def lay_out(cemetery: PlannedCemetery, config: dict[str, Any]) -> None:
    """Blocks left and right of the central path, and rows of plots in each block."""
    width, depth = (float(x) for x in cemetery.config["size_m"])
    path, target = float(config["path_m"]), float(config["block_m"])
    plot_w, plot_l = config["plot_m"]
    gap_x, gap_y = config["plot_gap_m"]
    half = (width - 3 * path) / 2
    columns = _block_spans(path, half, target, path) + _block_spans(
        width / 2 + path / 2, half, target, path
    )
    rows = _block_spans(path, depth - 2 * path, target, path)
    corners = []
    for y0, y1 in rows:
        for x0, x1 in columns:
            block_number = len(cemetery.blocks)
            letter = _block_letters(block_number)
            block_code = f"{cemetery.code}-{letter}"
            block_polygon = _local_rectangle(cemetery, x0, y0, x1 - x0, y1 - y0)
            cemetery.blocks.append((block_code, f"Blok {letter}", block_polygon))
            # Plots keep clear of the block's edge (at least MARGIN_M), centred in the block.
            per_row = int((x1 - x0 - 2 * MARGIN_M + gap_x) // (plot_w + gap_x))
            row_count = int((y1 - y0 - 2 * MARGIN_M + gap_y) // (plot_l + gap_y))
            left = x0 + (x1 - x0 - per_row * (plot_w + gap_x) + gap_x) / 2
            bottom = y0 + (y1 - y0 - row_count * (plot_l + gap_y) + gap_y) / 2
            for row in range(row_count):
                for number in range(per_row):
                    px = left + number * (plot_w + gap_x)
                    py = bottom + row * (plot_l + gap_y)
                    cemetery.plots.append(
                        (
                            f"{block_code}-{row + 1:02d}-{number + 1:02d}",
                            block_number,
                            row + 1,
                            number + 1,
                        )
                    )
                    corners.append((px, py))
    local = np.array(corners)
    offsets = np.array([[0, 0], [plot_w, 0], [plot_w, plot_l], [0, plot_l], [0, 0]])
    rings = local[:, None, :] + offsets[None, :, :]
    world = cemetery.origin + rings[..., :1] * cemetery.u + rings[..., 1:] * cemetery.v
    cemetery.plot_polygons = shapely.polygons(world)


def _local_rectangle(
    cemetery: PlannedCemetery, x: float, y: float, width: float, depth: float
) -> Polygon:
    origin = cemetery.origin + x * cemetery.u + y * cemetery.v
    return _rectangle(origin, cemetery.u, cemetery.v, width, depth)


def place_cemeteries(
    inputs: CityInputs, skeleton: list[PlannedRoad], inner: Polygon, areas: list[BaseGeometry]
) -> list[PlannedCemetery]:
    """Every TPU of `cemeteries.toml`, placed and laid out, coded TPU-01, TPU-02, ...

    Each lies wholly inside one of `areas` (the kelurahan, in metres).
    """
    config = inputs.cemeteries
    for area in areas:
        shapely.prepare(area)
    placed: list[PlannedCemetery] = []
    for number, entry in enumerate(config["tpu"], start=1):
        cemetery = place_cemetery(f"TPU-{number:02d}", entry, skeleton, inner, placed, areas)
        lay_out(cemetery, config)
        placed.append(cemetery)
    return placed


def obstacles(cemeteries: list[PlannedCemetery]) -> Polygon:
    """Where generated streets may not run: the TPU and their access roads, with a margin."""
    return shapely.union_all(
        [c.polygon.buffer(12.0) for c in cemeteries]
        + [c.access_line.buffer(8.0) for c in cemeteries]
    )
