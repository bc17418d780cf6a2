"""Build a map from the database: read its frames (geo_assets) and hand them to its builder.

The one place where an engine meets the map builders; the API and the CLI both call `build_map`.
A map with lamps first gets a `MapPlan` (`plan_map`): up to the map tile threshold it embeds every
lamp as it always did; above it the served page draws them from vector tiles (`maps.tiles`) and
the file written to disk carries counts per kelurahan (`maps.summary`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine

from geo_assets import mapdata
from geo_assets.models import SRID
from maps.base import MapContext
from maps.cemeteries import build_cemeteries_map
from maps.coverage import build_coverage_map
from maps.status import build_status_map, build_status_tile_map
from maps.summary import build_status_summary_map
from maps.tiles import TileUrls

MAP_NAMES = ("status", "coverage", "cemeteries")
# The maps whose lamps come from tiles (served) or counts (files) above the threshold.
GROWING_MAPS = ("status", "coverage")
# Besides the lamp counts, what the page of a large city's status map is drawn from.
LARGE_STATUS_TABLES = ("kecamatan", "cemetery")


@dataclass(frozen=True)
class MapPlan:
    """How a map is drawn: `large` above the threshold, with the lamp counts by status then."""

    name: str
    large: bool = False
    counts: dict[str, int] | None = None
    threshold: int | None = None


def plan_map(
    name: str,
    engine: Engine,
    *,
    threshold: int | None,
    count_lamps: Callable[[Engine], dict[str, int]] = mapdata.lamp_status_counts,
) -> MapPlan:
    """Count the lamps (`count_lamps`: one GROUP BY) for a growing map when a threshold is set."""
    if name not in GROWING_MAPS or threshold is None:
        return MapPlan(name)
    counts = count_lamps(engine)
    return MapPlan(name, sum(counts.values()) > threshold, counts, threshold)


def plan_version(plan: MapPlan, engine: Engine) -> str:
    """A fingerprint of what the planned page shows: it changes when the page must be rebuilt.

    A large city's status page holds no lamp, only their counts, so a lamp's change rebuilds it
    only when the counts move; the tiles show the change on their next fetch.
    """
    if plan.large and plan.name == "status":
        return f"large|{plan.counts}|" + mapdata.data_version(engine, tables=LARGE_STATUS_TABLES)
    tables = mapdata.MAP_TABLES[plan.name]
    return f"{'large' if plan.large else 'all'}|{plan.counts}|" + mapdata.data_version(
        engine, tables=tables
    )


def read_context(engine: Engine) -> MapContext:
    """Boundaries, roads and cemetery outlines."""
    return MapContext(
        kecamatan=mapdata.read_kecamatan(engine),
        kelurahan=mapdata.read_kelurahan(engine),
        roads=mapdata.read_roads(engine),
        cemeteries=mapdata.read_cemeteries(engine),
    )


def _outlines(engine: Engine) -> MapContext:
    """Kecamatan and cemetery outlines only: the rest comes from the basemap tiles."""
    nothing = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=SRID)
    return MapContext(
        kecamatan=mapdata.read_kecamatan(engine),
        kelurahan=nothing,
        roads=nothing,
        cemeteries=mapdata.read_cemeteries(engine),
    )


def status_map(
    engine: Engine, *, lang: str = "id", plan: MapPlan, urls: TileUrls | None
) -> folium.Map:
    """The lamp status map: every lamp, or (large city) tiles when served, counts in a file."""
    if plan.large and plan.counts is not None and plan.threshold is not None:
        if urls is not None:
            return build_status_tile_map(
                counts=plan.counts, context=_outlines(engine), urls=urls, lang=lang
            )
        return build_status_summary_map(
            kelurahan_counts=mapdata.read_kelurahan_status_counts(engine),
            counts=plan.counts,
            context=read_context(engine),
            threshold=plan.threshold,
            lang=lang,
        )
    return build_status_map(
        lamps=mapdata.read_lamps(engine), context=read_context(engine), lang=lang
    )


def coverage_map(
    engine: Engine, *, lang: str = "id", plan: MapPlan, urls: TileUrls | None
) -> folium.Map:
    """The lighting coverage map, from `geo_assets.analysis.coverage.compute_coverage`.

    A served map of a large city also draws the lamps from tiles over the own-data basemap.
    """
    from geo_assets.analysis.coverage import compute_coverage

    result = compute_coverage(engine)
    context = read_context(engine)
    figures = pd.DataFrame(result.kelurahan, columns=["code", "coverage_pct", "total_km", "lit_km"])
    kelurahan = context.kelurahan.merge(figures, on="code", how="left")
    return build_coverage_map(
        segments=result.segments,
        gaps=result.gaps,
        proposed=result.proposed_lamps,
        kelurahan=kelurahan,
        context=context,
        city_coverage_pct=result.city.get("coverage_pct"),
        lang=lang,
        tiles=(urls, plan.counts) if plan.large and urls and plan.counts is not None else None,
    )


def cemeteries_map(
    engine: Engine, *, lang: str = "id", plan: MapPlan, urls: TileUrls | None
) -> folium.Map:
    """Cemeteries with plots, access roads, musala and the lamps near them."""
    context = read_context(engine)
    return build_cemeteries_map(
        cemeteries=context.cemeteries,
        blocks=mapdata.read_blocks(engine),
        plots=mapdata.read_plots(engine),
        access_roads=mapdata.read_access_roads(engine),
        prayer_rooms=mapdata.read_prayer_rooms(engine),
        lamps_near=mapdata.read_lamps_near_cemeteries(engine),
        context=context,
        lang=lang,
    )


BUILDERS = {"status": status_map, "coverage": coverage_map, "cemeteries": cemeteries_map}


def build_map(
    name: str,
    engine: Engine,
    *,
    lang: str = "id",
    plan: MapPlan | None = None,
    urls: TileUrls | None = None,
) -> folium.Map:
    """The map called `name` (one of MAP_NAMES) from the current data.

    Without a `plan` every lamp is embedded. `urls` (a served page) lets a large city's map
    draw lamps from tiles; without them (a file) it embeds counts per kelurahan.
    """
    if name not in BUILDERS:
        raise ValueError(f"unknown map {name!r}; choose one of {', '.join(MAP_NAMES)}")
    return BUILDERS[name](engine, lang=lang, plan=plan or MapPlan(name), urls=urls)
