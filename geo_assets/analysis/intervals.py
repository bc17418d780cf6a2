"""Vectorised interval arithmetic along roads: merge lit reaches, find dark gaps, place new lamps.

Every road is a number line [0, length] in metres. To treat all roads in one numpy pass, each
road is laid end to end on a global line at `offset[road]`, with a spacer between roads that
is wider than any merge tolerance, so that sorting and running maxima never mix two roads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Intervals:
    """Disjoint intervals [start, end] in metres along roads, sorted by road then start."""

    road: IntArray
    start: FloatArray
    end: FloatArray

    @property
    def length(self) -> FloatArray:
        """Length of each interval in metres."""
        return self.end - self.start

    def __len__(self) -> int:
        return len(self.road)


def road_offsets(lengths: FloatArray, spacer: float) -> FloatArray:
    """Where each road starts on the global line (roads end to end, `spacer` apart)."""
    return np.concatenate(([0.0], np.cumsum(lengths + spacer)[:-1]))


def merge(
    road: IntArray, start: FloatArray, end: FloatArray, lengths: FloatArray, tolerance: float = 0.0
) -> Intervals:
    """Union of possibly overlapping intervals per road, clipped to [0, length].

    Intervals closer than `tolerance` are joined.
    """
    if len(road) == 0:
        return _empty()
    start = np.clip(start, 0.0, lengths[road])
    end = np.clip(end, 0.0, lengths[road])
    offsets = road_offsets(lengths, spacer=10.0 * tolerance + 1.0)
    g_start, g_end = offsets[road] + start, offsets[road] + end
    order = np.argsort(g_start, kind="stable")
    g_start, g_end, road = g_start[order], g_end[order], road[order]
    reach = np.maximum.accumulate(g_end)
    new_island = np.ones(len(g_start), dtype=bool)
    new_island[1:] = g_start[1:] > reach[:-1] + tolerance
    first = np.flatnonzero(new_island)
    last = np.append(first[1:] - 1, len(g_start) - 1)
    island_road = road[first]
    return Intervals(
        road=island_road,
        start=g_start[first] - offsets[island_road],
        end=reach[last] - offsets[island_road],
    )


def complement(intervals: Intervals, lengths: FloatArray, min_length: float = 0.0) -> Intervals:
    """What the intervals leave uncovered on every road, keeping pieces ≥ `min_length` (> 0)."""
    n_roads = len(lengths)
    roads = np.arange(n_roads, dtype=np.int64)
    # Sentinels: an empty interval before each road's start and after its end.
    road = np.concatenate((roads, intervals.road, roads))
    start = np.concatenate((np.full(n_roads, -1.0), intervals.start, lengths))
    end = np.concatenate((np.zeros(n_roads), intervals.end, lengths + 1.0))
    kind = np.concatenate((np.zeros(n_roads), np.ones(len(intervals)), np.full(n_roads, 2.0)))
    order = np.lexsort((kind, start, road))
    road, start, end = road[order], start[order], end[order]
    gap_start, gap_end = end[:-1], start[1:]
    same_road = road[:-1] == road[1:]
    length = gap_end - gap_start
    keep = same_road & (length > 0) & (length >= min_length)
    return Intervals(road=road[:-1][keep], start=gap_start[keep], end=gap_end[keep])


def covered_between(
    intervals: Intervals, lengths: FloatArray, road: IntArray, a: FloatArray, b: FloatArray
) -> FloatArray:
    """Metres of `intervals` inside [a, b] on `road`, for many queries at once."""
    if len(intervals) == 0:
        return np.zeros(len(road))
    offsets = road_offsets(lengths, spacer=1.0)
    g_start = offsets[intervals.road] + intervals.start
    seg_len = intervals.length
    cumulative = np.concatenate(([0.0], np.cumsum(seg_len)))

    def covered_up_to(x: FloatArray) -> FloatArray:
        k = np.searchsorted(g_start, x, side="right") - 1
        safe = np.maximum(k, 0)
        inside = np.clip(x - g_start[safe], 0.0, seg_len[safe])
        return np.where(k >= 0, cumulative[safe] + inside, 0.0)

    return covered_up_to(offsets[road] + b) - covered_up_to(offsets[road] + a)


def locate(
    pieces_road: IntArray,
    pieces_start: FloatArray,
    pieces_end: FloatArray,
    lengths: FloatArray,
    road: IntArray,
    position: FloatArray,
) -> IntArray:
    """Index of the piece (sorted by road, start) holding each (road, position); -1 if none."""
    if len(pieces_road) == 0:
        return np.full(len(road), -1, dtype=np.int64)
    offsets = road_offsets(lengths, spacer=1.0)
    g_start = offsets[pieces_road] + pieces_start
    g_pos = offsets[road] + position
    k = np.searchsorted(g_start, g_pos, side="right") - 1
    safe = np.maximum(k, 0)
    hit = (k >= 0) & (pieces_road[safe] == road) & (position <= pieces_end[safe] + 1e-6)
    return np.where(hit, k, -1)


def fill_positions(gaps: Intervals, spacing: FloatArray) -> tuple[IntArray, FloatArray]:
    """New lamp positions lighting each gap: n = ⌈length / spacing⌉ lamps, evenly spaced.

    Each lamp sits at the middle of one of n equal parts of the gap, so neighbours are
    length / n ≤ spacing apart and each lights its own part (reach = spacing / 2).
    Returns (gap index of each lamp, position in metres along the road).
    """
    if len(gaps) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    counts = np.maximum(np.ceil(gaps.length / spacing - 1e-9), 1).astype(np.int64)
    gap_index = np.repeat(np.arange(len(gaps), dtype=np.int64), counts)
    first_of_gap = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.arange(len(gap_index)) - first_of_gap
    step = gaps.length[gap_index] / counts[gap_index]
    return gap_index, gaps.start[gap_index] + (rank + 0.5) * step


def _empty() -> Intervals:
    return Intervals(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
