"""Kelurahan and kecamatan polygons: Voronoi cells around the real centroids, sized by area.

The 20 real centroids alone give cells far from the official areas (the small central
kecamatan would swallow the east of the city). So the city is also strewn with pseudo-sites on
a jittered grid; each pseudo-site's Voronoi cell goes to the kelurahan whose centroid is nearest
in *power distance* (squared distance minus a per-kelurahan weight), and the weights are tuned
until every kecamatan's area is close to its official one (split among its kelurahan by the
approximate shares in `kelurahan.csv`). A kelurahan is the union of its
centroid's cell and its pseudo-sites' cells, clipped to the city outline; a kecamatan is the
union of its kelurahan. All of it in UTM 50S metres.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo_assets.seed.geometry import lonlat_to_metric
from geo_assets.seed.inputs import CityInputs

GRID_SPACING_M = 300.0
SMOOTHING_M = 250.0


@dataclass(frozen=True)
class Boundaries:
    """The city in metres: its outline and one polygon per kecamatan and kelurahan."""

    outline: Polygon
    kecamatan: dict[str, MultiPolygon]  # by code
    kelurahan: dict[str, MultiPolygon]  # by code
    kelurahan_centroids: dict[str, tuple[float, float]]

    def areas_km2(self) -> dict[str, float]:
        """Achieved area of each kecamatan, in km²."""
        return {code: geom.area / 1e6 for code, geom in self.kecamatan.items()}


def _pseudo_sites(outline: Polygon, rng: np.random.Generator) -> np.ndarray:
    x0, y0, x1, y1 = outline.bounds
    xs = np.arange(x0 - GRID_SPACING_M, x1 + GRID_SPACING_M, GRID_SPACING_M)
    ys = np.arange(y0 - GRID_SPACING_M, y1 + GRID_SPACING_M, GRID_SPACING_M)
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    grid += rng.uniform(-0.4, 0.4, grid.shape) * GRID_SPACING_M
    near = shapely.dwithin(shapely.points(grid), outline, GRID_SPACING_M)
    return grid[near]


def _cells(sites: np.ndarray, outline: Polygon) -> np.ndarray:
    envelope = outline.envelope.buffer(5 * GRID_SPACING_M)
    diagram = shapely.voronoi_polygons(shapely.multipoints(sites), extend_to=envelope, ordered=True)
    return shapely.intersection(np.asarray(diagram.geoms), outline)


def _neighbours(cells: np.ndarray) -> list[np.ndarray]:
    """For each cell, the cells that share a border with it."""
    left, right = shapely.STRtree(cells).query(cells, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    order = np.argsort(left, kind="stable")
    left, right = left[order], right[order]
    bounds = np.searchsorted(left, np.arange(len(cells) + 1))
    return [right[bounds[i] : bounds[i + 1]] for i in range(len(cells))]


def _grow_regions(
    cells: np.ndarray,
    sites: np.ndarray,
    neighbours: list[np.ndarray],
    seeds: list[list[int]],
    targets: np.ndarray,
    allowed: np.ndarray,
) -> np.ndarray:
    """Owner of each allowed cell, regions grown from their seed cells towards target areas.

    The region furthest below its target (small ones first) claims next, always the free
    neighbouring cell nearest one of its seeds, so regions stay compact, connected and around
    their seeds.
    """
    areas = shapely.area(cells)
    owners = np.full(len(cells), -1)
    achieved = np.zeros(len(targets))
    frontiers: list[list[tuple[float, int]]] = [[] for _ in targets]
    queue: list[tuple[float, int]] = []

    def claim(region: int, cell: int) -> None:
        owners[cell] = region
        achieved[region] += areas[cell]
        origins = sites[seeds[region]]
        for other in neighbours[cell]:
            if owners[other] < 0 and allowed[other]:
                distance = float(np.hypot(*(origins - sites[other]).T).min())
                heapq.heappush(frontiers[region], (distance, int(other)))

    # Small regions grow faster until they reach their target, or big ones would box them in.
    pace = np.sqrt(targets / targets.max())

    def priority(region: int) -> float:
        ratio = achieved[region] / targets[region]
        return ratio * pace[region] if ratio < 1.0 else ratio

    for region, cells_of_region in enumerate(seeds):
        for cell in cells_of_region:
            claim(region, cell)
        heapq.heappush(queue, (priority(region), region))
    while queue:
        _, region = heapq.heappop(queue)
        frontier = frontiers[region]
        while frontier and owners[frontier[0][1]] >= 0:
            heapq.heappop(frontier)
        if not frontier:
            continue  # boxed in by its neighbours
        claim(region, heapq.heappop(frontier)[1])
        heapq.heappush(queue, (priority(region), region))
    return owners


def _as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        geometry = shapely.union_all([g for g in geometry.geoms if g.area > 0])
    polygons = [geometry] if isinstance(geometry, Polygon) else list(geometry.geoms)
    return MultiPolygon([shapely.orient_polygons(p) for p in polygons if p.area > 1.0])


def build_boundaries(inputs: CityInputs, rng: np.random.Generator) -> Boundaries:
    """Kelurahan and kecamatan polygons whose areas roughly match the official ones."""
    outline = shapely.orient_polygons(Polygon(lonlat_to_metric(inputs.outline)))
    centroids = lonlat_to_metric(np.array([(k.lon, k.lat) for k in inputs.kelurahan]))
    kecamatan_codes = [k.code for k in inputs.kecamatan]
    official = np.array([k.official_area_km2 for k in inputs.kecamatan])
    scale = outline.area / official.sum()
    kelurahan_codes = [k.code for k in inputs.kelurahan]
    extra = lonlat_to_metric(np.array([(lon, lat) for _, lon, lat in inputs.extra_sites]))
    seeds = [[i] for i in range(len(centroids))]
    for offset, (code, _, _) in enumerate(inputs.extra_sites):
        seeds[kelurahan_codes.index(code)].append(len(centroids) + offset)
    members = [
        [i for i, k in enumerate(inputs.kelurahan) if k.kecamatan_code == code]
        for code in kecamatan_codes
    ]
    sites = np.vstack([centroids, extra, _pseudo_sites(outline, rng)])
    cells = _cells(sites, outline)
    neighbours = _neighbours(cells)
    inside = shapely.area(cells) > 0
    # First the kecamatan, grown from all their kelurahan centroids at once, then the kelurahan
    # inside each, so that a kecamatan is one piece wherever the centroids allow it.
    district_seeds = [[cell for i in indexes for cell in seeds[i]] for indexes in members]
    districts = _grow_regions(cells, sites, neighbours, district_seeds, official * scale, inside)
    owners = np.full(len(cells), -1)
    for district, indexes in enumerate(members):
        shares = np.array([inputs.kelurahan[i].area_share for i in indexes])
        targets = official[district] * scale * shares / shares.sum()
        local = _grow_regions(
            cells, sites, neighbours, [seeds[i] for i in indexes], targets, districts == district
        )
        owners[local >= 0] = np.asarray(indexes)[local[local >= 0]]
    pieces = [shapely.coverage_union_all(cells[owners == i]) for i in range(len(centroids))]
    # Smooth the staircase of grid cells; a coverage simplification keeps shared borders shared.
    smooth = shapely.coverage_simplify(pieces, SMOOTHING_M, simplify_boundary=False)
    kelurahan = {k.code: _as_multipolygon(g) for k, g in zip(inputs.kelurahan, smooth, strict=True)}
    kecamatan = {
        code: _as_multipolygon(
            shapely.coverage_union_all(
                [kelurahan[k.code] for k in inputs.kelurahan if k.kecamatan_code == code]
            )
        )
        for code in kecamatan_codes
    }
    return Boundaries(
        outline=outline,
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        kelurahan_centroids={
            k.code: tuple(c) for k, c in zip(inputs.kelurahan, centroids, strict=True)
        },
    )
