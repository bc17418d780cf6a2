"""The status map as a file for a large city: lamps counted per kelurahan, not drawn one by one.

`geo-assets map` writes pages that open from disk or mail, so they must embed their data; above
`Settings.map_tile_threshold` lamps they embed, per kelurahan, the lamps of each status (a
choropleth of the share out or damaged, the counts in each kelurahan's tooltip) and say so on the
map. The city totals come from the same SQL aggregate as the served map's legend.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo_assets.vocab import LAMP_STATUS, codes, label
from maps.base import MapContext, add_context, add_controls, map_bounds, new_map
from maps.elements import Legend, LegendRow, LegendSection
from maps.geojson import feature_collection
from maps.labels import Lang, check_lang, number, text
from maps.tiles import MapNote, status_rows

NOT_BURNING = ("out", "damaged")
# Share of a kelurahan's lamps that are out or damaged: [low, high) in percent, and its colour.
SHARE_BINS = (
    (0, 2, "#e8f5e9"),
    (2, 5, "#ffe0b2"),
    (5, 10, "#ffb74d"),
    (10, 20, "#f4511e"),
    (20, 100.001, "#b71c1c"),
)
NO_LAMPS_COLOR = "#cfd8dc"


def share_color(not_burning: int, total: int) -> str:
    """The choropleth colour of a kelurahan with `not_burning` of its `total` lamps out."""
    if total <= 0:
        return NO_LAMPS_COLOR
    pct = 100.0 * not_burning / total
    return next((color for low, high, color in SHARE_BINS if low <= pct < high), NO_LAMPS_COLOR)


def _choropleth(m: folium.Map, kelurahan: gpd.GeoDataFrame, lang: Lang) -> None:
    statuses = codes(LAMP_STATUS)
    not_burning = kelurahan[list(NOT_BURNING)].sum(axis=1)
    frame = kelurahan.assign(
        fill=[share_color(n, t) for n, t in zip(not_burning, kelurahan["total"], strict=True)],
        total_text=[number(v, lang) for v in kelurahan["total"]],
        **{f"{s}_text": [number(v, lang) for v in kelurahan[s]] for s in statuses},
    )
    fields = ["name", "total_text", *(f"{s}_text" for s in statuses)]
    aliases = [
        text("kelurahan_one", lang),
        text("lamps", lang),
        *(label(LAMP_STATUS, s, lang) for s in statuses),
    ]
    folium.GeoJson(
        feature_collection(frame, [*fields, "fill"]),
        name=text("not_burning_pct", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.6,
            "color": "#455a64",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields, aliases),
    ).add_to(m)


def _legend(counts: dict[str, int], outside: int, lang: Lang) -> Legend:
    rows = status_rows(counts, lang)
    total = (text("total", lang), number(sum(counts.values()), lang))
    bins = [
        LegendRow(color, f"{low:g}–{min(high, 100):g} %", shape="area")
        for low, high, color in SHARE_BINS
    ]
    sections = [
        LegendSection("", rows, total),
        LegendSection(text("not_burning_pct", lang), bins),
    ]
    if outside:
        sections.append(
            LegendSection(
                "", [LegendRow("#ffffff", text("outside_kelurahan", lang), number(outside, lang))]
            )
        )
    return Legend(text("lamp_status", lang), sections)


def build_status_summary_map(
    *,
    kelurahan_counts: gpd.GeoDataFrame,
    counts: dict[str, int],
    context: MapContext,
    threshold: int,
    lang: str = "id",
) -> folium.Map:
    """Lamps per status per kelurahan (`read_kelurahan_status_counts`) and the city's `counts`."""
    lang = check_lang(lang)
    total = sum(counts.values())
    bounds = map_bounds(context.kelurahan) or map_bounds(context.kecamatan)
    m = new_map(text("status_title", lang), bounds, lang)
    _choropleth(m, kelurahan_counts, lang)
    outline = add_context(m, context, lang, kelurahan=False)
    outside = total - int(kelurahan_counts["total"].sum())
    _legend(counts, outside, lang).add_to(m)
    note = text("summary_note", lang, total=number(total, lang), threshold=number(threshold, lang))
    MapNote(note).add_to(m)
    add_controls(m, outline)
    return m
