"""The coverage map: roads lit or dark (SPEC §5), dark gaps, gap-fill proposals, % per kelurahan."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo_assets.vocab import ROAD_CLASS, label
from maps.base import MapContext, add_context, add_controls, map_bounds, new_map
from maps.elements import Legend, LegendRow, LegendSection
from maps.geojson import feature_collection
from maps.labels import (
    DARK_COLOR,
    GAP_COLOR,
    LIT_COLOR,
    PROPOSED_COLOR,
    Lang,
    check_lang,
    number,
    text,
)
from maps.tiles import TileUrls, add_tiled_lamps, status_rows

# Coverage classes of the choropleth: [low, high) in percent, and their colour.
COVERAGE_BINS = (
    (0, 40, "#b71c1c"),
    (40, 60, "#ef6c00"),
    (60, 80, "#fdd835"),
    (80, 90, "#9ccc65"),
    (90, 100.001, "#2e7d32"),
)
NO_DATA_COLOR = "#bdbdbd"


def coverage_color(pct: float | None) -> str:
    """The choropleth colour of a coverage percentage (grey when there are no roads)."""
    if pct is None or pd.isna(pct):
        return NO_DATA_COLOR
    return next((color for low, high, color in COVERAGE_BINS if low <= pct < high), NO_DATA_COLOR)


def _choropleth(m: folium.Map, kelurahan: gpd.GeoDataFrame, lang: Lang) -> None:
    frame = kelurahan.assign(
        fill=[coverage_color(p) for p in kelurahan["coverage_pct"]],
        coverage_text=[
            text("none", lang) if pd.isna(p) else f"{number(p, lang, 1)} %"
            for p in kelurahan["coverage_pct"]
        ],
        length_text=[f"{number(v, lang, 1)} km" for v in kelurahan["total_km"].fillna(0)],
        lit_text=[f"{number(v, lang, 1)} km" for v in kelurahan["lit_km"].fillna(0)],
    )
    fields = ["name", "coverage_text", "length_text", "lit_text"]
    folium.GeoJson(
        feature_collection(frame, [*fields, "fill"]),
        name=text("coverage_pct", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.45,
            "color": "#455a64",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(
            fields,
            [
                text("kelurahan_one", lang),
                text("coverage", lang),
                text("length", lang),
                text("lit_length", lang),
            ],
        ),
    ).add_to(m)


def _road_layer(
    m: folium.Map, segments: gpd.GeoDataFrame, name: str, color: str, lang: Lang
) -> None:
    frame = segments.assign(
        class_label=[label(ROAD_CLASS, c, lang) for c in segments["road_class"]],
        length_text=[f"{number(v, lang)} m" for v in segments["length_m"]],
    )
    fields = ["road_name", "class_label", "length_text"]
    folium.GeoJson(
        feature_collection(frame, fields),
        name=name,
        style_function=lambda _: {"color": color, "weight": 4, "opacity": 0.95},
        tooltip=folium.GeoJsonTooltip(
            fields, [text("road", lang), text("road_class", lang), text("length", lang)]
        ),
    ).add_to(m)


def _gaps(m: folium.Map, gaps: gpd.GeoDataFrame, lang: Lang) -> None:
    frame = gaps.assign(
        length_text=[f"{number(v, lang)} m" for v in gaps["length_m"]],
        proposed_text=[number(v, lang) for v in gaps["proposed_lamps"]],
    )
    fields = ["road_name", "length_text", "proposed_text"]
    folium.GeoJson(
        feature_collection(frame, fields),
        name=f"{text('dark_gaps', lang)} ({number(len(gaps), lang)})",
        style_function=lambda _: {"color": GAP_COLOR, "weight": 9, "opacity": 0.45},
        tooltip=folium.GeoJsonTooltip(
            fields, [text("road", lang), text("length", lang), text("proposed", lang)]
        ),
    ).add_to(m)


def _proposals(m: folium.Map, proposed: gpd.GeoDataFrame, lang: Lang) -> None:
    frame = proposed.assign(
        height_text=[f"{number(h, lang, 1)} m" for h in proposed["pole_height_m"]]
    )
    folium.GeoJson(
        feature_collection(frame, ["road_name", "height_text"]),
        name=f"{text('proposed', lang)} ({number(len(proposed), lang)})",
        show=False,  # thousands of dots at city zoom would hide the roads; tick to see them
        marker=folium.CircleMarker(
            radius=4, color="#fff", weight=1, fill=True, fill_color=PROPOSED_COLOR, fill_opacity=1
        ),
        tooltip=folium.GeoJsonTooltip(["road_name", "height_text"], [text("road", lang), "H"]),
    ).add_to(m)


def _legend(
    city_pct: float | None, lang: Lang, lamp_counts: dict[str, int] | None = None
) -> Legend:
    roads = [
        LegendRow(LIT_COLOR, text("lit_roads", lang), shape="line"),
        LegendRow(DARK_COLOR, text("dark_roads", lang), shape="line"),
        LegendRow(GAP_COLOR, text("dark_gaps", lang), shape="line"),
        LegendRow(PROPOSED_COLOR, text("proposed", lang)),
    ]
    bins = [
        LegendRow(color, f"{low:g}–{min(high, 100):g} %", shape="area")
        for low, high, color in COVERAGE_BINS
    ]
    title = text("coverage", lang)
    if city_pct is not None:
        title = f"{title}: {number(city_pct, lang, 1)} %"
    sections = [LegendSection("", roads), LegendSection(text("coverage_pct", lang), bins)]
    if lamp_counts is not None:
        total = (text("total", lang), number(sum(lamp_counts.values()), lang))
        sections.append(
            LegendSection(text("lamp_status", lang), status_rows(lamp_counts, lang), total)
        )
    return Legend(title, sections)


def build_coverage_map(
    *,
    segments: gpd.GeoDataFrame,
    gaps: gpd.GeoDataFrame,
    proposed: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    context: MapContext,
    city_coverage_pct: float | None = None,
    lang: str = "id",
    tiles: tuple[TileUrls, dict[str, int]] | None = None,
) -> folium.Map:
    """Lit/dark road segments (`lit` column), gaps, proposals and a kelurahan choropleth.

    `kelurahan` carries `name`, `coverage_pct`, `total_km` and `lit_km` per polygon. With `tiles`
    (URLs and lamp counts by status) the lamps are drawn from vector tiles over the own-data
    basemap, with their counts in the legend.
    """
    lang = check_lang(lang)
    m = new_map(text("coverage_title", lang), map_bounds(segments, kelurahan), lang)
    _choropleth(m, kelurahan, lang)
    # The segments are the roads and the choropleth the kelurahan: no second copy of either.
    outline = add_context(m, context, lang, kelurahan=False, roads=False)
    _gaps(m, gaps, lang)
    _road_layer(m, segments[segments["lit"]], text("lit_roads", lang), LIT_COLOR, lang)
    _road_layer(m, segments[~segments["lit"]], text("dark_roads", lang), DARK_COLOR, lang)
    _proposals(m, proposed, lang)
    if tiles is not None:
        add_tiled_lamps(m, tiles[0], tiles[1], lang)
    _legend(city_coverage_pct, lang, tiles[1] if tiles else None).add_to(m)
    add_controls(m, outline)
    return m
