"""Walking distance along roads: a graph of road centrelines and a multi-source Dijkstra.

Method: the road lines (in UTM 50S metres) are noded where they cross (`shapely.node`), every
vertex becomes a graph node and every line segment an edge weighted by its length. A place
(a cemetery gate, a musala) joins the graph at the nearest point of the nearest segment; the
straight walk from the place to that point is added to its distance. One Dijkstra run from
all destinations at once gives every node its distance to the nearest destination.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

NODE_PRECISION_M = 0.01  # vertices closer than a centimetre are the same node


@dataclass(frozen=True)
class Snap:
    """Where places join the graph: segment index, metres along it, metres off the road."""

    segment: NDArray[np.int64]
    along: NDArray[np.float64]
    off_road: NDArray[np.float64]


class RoadGraph:
    """An undirected graph of road segments, built once, queried many times."""

    def __init__(self, lines: list[shapely.LineString]) -> None:
        noded = shapely.get_parts(shapely.node(shapely.GeometryCollection(lines)))
        coords, part = shapely.get_coordinates(noded, return_index=True)
        same_part = part[:-1] == part[1:]
        start, end = coords[:-1][same_part], coords[1:][same_part]
        keys = np.round(np.vstack((start, end)) / NODE_PRECISION_M).astype(np.int64)
        _, node = np.unique(keys, axis=0, return_inverse=True)
        node = node.reshape(-1)
        n_seg = len(start)
        self.u, self.v = node[:n_seg], node[n_seg:]
        self.length = np.hypot(*(end - start).T)
        self.segments = shapely.linestrings(np.stack((start, end), axis=1))
        self.tree = shapely.STRtree(self.segments)
        self.n_nodes = int(node.max()) + 1 if len(node) else 0
        self._adjacency = self._build_adjacency()

    def _build_adjacency(self) -> list[list[tuple[int, float]]]:
        adjacency: list[list[tuple[int, float]]] = [[] for _ in range(self.n_nodes)]
        for a, b, w in zip(self.u.tolist(), self.v.tolist(), self.length.tolist(), strict=True):
            adjacency[a].append((b, w))
            adjacency[b].append((a, w))
        return adjacency

    def snap(self, points: NDArray[np.object_]) -> Snap:
        """Join each point to the nearest road segment."""
        if len(points) == 0 or len(self.segments) == 0:
            empty = np.zeros(0)
            return Snap(np.zeros(0, dtype=np.int64), empty, empty)
        nearest = self.tree.query_nearest(points, all_matches=False)[1]
        segments = self.segments[nearest]
        return Snap(
            segment=nearest.astype(np.int64),
            along=shapely.line_locate_point(segments, points),
            off_road=shapely.distance(segments, points),
        )

    def distance_to_nearest(self, origins: Snap, destinations: Snap) -> NDArray[np.float64]:
        """Walking metres from each origin to its nearest destination (inf if unreachable)."""
        if len(destinations.segment) == 0:
            return np.full(len(origins.segment), np.inf)
        dist = self._dijkstra(destinations)
        seg = origins.segment
        via_nodes = np.minimum(
            dist[self.u[seg]] + origins.along, dist[self.v[seg]] + self.length[seg] - origins.along
        )
        best = via_nodes + origins.off_road
        for i, s in enumerate(seg.tolist()):  # origin and destination on the same segment
            same = destinations.segment == s
            if same.any():
                direct = (
                    np.abs(destinations.along[same] - origins.along[i])
                    + destinations.off_road[same]
                ).min() + origins.off_road[i]
                best[i] = min(best[i], direct)
        return best

    def _dijkstra(self, sources: Snap) -> NDArray[np.float64]:
        dist = np.full(self.n_nodes, np.inf)
        heap: list[tuple[float, int]] = []
        for s, t, off in zip(
            sources.segment.tolist(), sources.along.tolist(), sources.off_road.tolist(), strict=True
        ):
            for node, d in ((int(self.u[s]), off + t), (int(self.v[s]), off + self.length[s] - t)):
                if d < dist[node]:
                    dist[node] = d
                    heapq.heappush(heap, (d, node))
        settled = dist.tolist()
        while heap:
            d, node = heapq.heappop(heap)
            if d > settled[node]:
                continue
            for neighbour, w in self._adjacency[node]:
                nd = d + w
                if nd < settled[neighbour]:
                    settled[neighbour] = nd
                    heapq.heappush(heap, (nd, neighbour))
        return np.asarray(settled)


METHOD_NOTE = (
    "Jarak jalan kaki di sepanjang sumbu jalan (jalan dan jalan akses yang dapat dilalui, "
    "dipotong di setiap persimpangan), Dijkstra dari semua musala yang sudah ada; gerbang TPU "
    "dan musala dihubungkan ke titik jalan terdekat dengan garis lurus. Proyeksi UTM 50S (meter)."
)
