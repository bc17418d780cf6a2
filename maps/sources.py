"""Build a map from the database: read its frames (geo_assets) and hand them to its builder.

The one place where an engine meets the map builders; the API and the CLI both call `build_map`.
"""

from __future__ import annotations

import folium
import pandas as pd
from sqlalchemy import Engine

from geo_assets import mapdata
from maps.base import MapContext
from maps.cemeteries import build_cemeteries_map
from maps.coverage import build_coverage_map
from maps.status import build_status_map

MAP_NAMES = ("status", "coverage", "cemeteries")


def read_context(engine: Engine) -> MapContext:
    """Boundaries, roads and cemetery outlines."""
    return MapContext(
        kecamatan=mapdata.read_kecamatan(engine),
        kelurahan=mapdata.read_kelurahan(engine),
        roads=mapdata.read_roads(engine),
        cemeteries=mapdata.read_cemeteries(engine),
    )


def status_map(engine: Engine, *, lang: str = "id") -> folium.Map:
    """The lamp status map of the current data."""
    return build_status_map(
        lamps=mapdata.read_lamps(engine), context=read_context(engine), lang=lang
    )


def coverage_map(engine: Engine, *, lang: str = "id") -> folium.Map:
    """The lighting coverage map, from `geo_assets.analysis.coverage.compute_coverage`."""
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
    )


def cemeteries_map(engine: Engine, *, lang: str = "id") -> folium.Map:
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


def build_map(name: str, engine: Engine, *, lang: str = "id") -> folium.Map:
    """The map called `name` (one of MAP_NAMES) from the current data."""
    if name not in BUILDERS:
        raise ValueError(f"unknown map {name!r}; choose one of {', '.join(MAP_NAMES)}")
    return BUILDERS[name](engine, lang=lang)
