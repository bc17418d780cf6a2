"""Prayer rooms (musala): at some TPU (existing, being built or planned) and along streets.

TPU marked `far` in cemeteries.toml keep every existing musala more than 800 m from their gate
(so more than 500 m along roads), which gives the musala-access analysis work to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point

from geo_assets.seed.cemeteries import PlannedCemetery
from geo_assets.seed.roads import PlannedRoad

FAR_FROM_GATE_M = 800.0
APART_M = 300.0


@dataclass(frozen=True)
class PlannedMusala:
    """A prayer room before it is stored; position in metres."""

    name: str
    status: str
    cemetery_index: int | None
    xy: np.ndarray
    capacity: int
    estimated_cost_idr: int | None
    planned_year: int | None


def _cost_and_year(status: str, rng: np.random.Generator) -> tuple[int | None, int | None]:
    if status == "existing":
        return None, None
    cost = int(rng.integers(50, 130)) * 5_000_000  # Rp 250-650 million
    return cost, 2024 if status == "under_construction" else int(rng.integers(2025, 2028))


def _at_cemetery(
    index: int, cemetery: PlannedCemetery, name: str, rng: np.random.Generator
) -> PlannedMusala:
    """Beside the access road, between the gate and the road."""
    along = cemetery.gate + 0.4 * (cemetery.road_point - cemetery.gate)
    xy = along + 10.0 * cemetery.u
    status = cemetery.config["musala"]
    cost, year = _cost_and_year(status, rng)
    return PlannedMusala(
        f"Musala {name} {cemetery.config['name']}",
        status,
        index,
        xy,
        int(rng.integers(4, 13)) * 10,
        cost,
        year,
    )


def plan_musala(
    cemeteries: list[PlannedCemetery],
    roads: list[PlannedRoad],
    urban_roads: list[int],
    names: list[str],
    *,
    neighbourhood: int,
    standalone_planned: int,
    rng: np.random.Generator,
) -> list[PlannedMusala]:
    """TPU musala, then existing and planned ones along urban streets."""
    pool = list(rng.permutation(names))
    rooms = [
        _at_cemetery(i, c, pool.pop(), rng)
        for i, c in enumerate(cemeteries)
        if c.config["musala"] != "none"
    ]
    far_gates = [c.gate for c in cemeteries if c.config.get("far")]
    wanted = [("existing", neighbourhood), ("planned", standalone_planned)]
    for status, count in wanted:
        placed = 0
        for road_index in rng.permutation(urban_roads):
            if placed == count or not pool:
                break
            line = roads[road_index].line
            point = np.array(line.interpolate(float(rng.uniform(0.2, 0.8)) * line.length).coords[0])
            xy = point + np.array([rng.uniform(-10, 10), rng.uniform(-10, 10)])
            if any(np.hypot(*(xy - g)) < FAR_FROM_GATE_M for g in far_gates):
                continue
            if any(np.hypot(*(xy - r.xy)) < APART_M for r in rooms):
                continue
            cost, year = _cost_and_year(status, rng)
            rooms.append(
                PlannedMusala(
                    f"Musala {pool.pop()}",
                    status,
                    None,
                    xy,
                    int(rng.integers(3, 11)) * 10,
                    cost,
                    year,
                )
            )
            placed += 1
    return rooms


def distance_to_existing(point: np.ndarray, rooms: list[PlannedMusala]) -> float:
    """Straight-line metres from `point` to the nearest existing musala."""
    existing = [r.xy for r in rooms if r.status == "existing"]
    return min((Point(point).distance(Point(xy)) for xy in existing), default=float("inf"))
