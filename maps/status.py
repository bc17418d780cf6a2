"""The status map: every lamp coloured by status, clustered per status, searchable by code.

Above the map tile threshold the served map draws the lamps from vector tiles instead
(`build_status_tile_map`, see maps.tiles).
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo_assets.vocab import LAMP_STATUS, label
from maps.base import MapContext, add_context, add_controls, map_bounds, new_map
from maps.elements import LampData, LampLayer, LampSearch, Legend, LegendRow, LegendSection
from maps.labels import STATUS_COLORS, check_lang, number, text
from maps.lamp_data import STATUSES, encode_lamps, lamp_config
from maps.tiles import TileUrls, add_tiled_lamps, status_rows


def build_status_map(
    *, lamps: gpd.GeoDataFrame, context: MapContext, lang: str = "id"
) -> folium.Map:
    """Lamps (columns of `maps.lamp_data.REQUIRED_COLUMNS`) over the city's context layers."""
    lang = check_lang(lang)
    m = new_map(
        text("status_title", lang), map_bounds(lamps) or map_bounds(context.kelurahan), lang
    )
    outline = add_context(m, context, lang)
    data = LampData(encode_lamps(lamps, lang), lamp_config(lang))
    data.add_to(m)
    counts = lamps["status"].value_counts()
    rows = []
    for index, status in enumerate(STATUSES):
        name, count = label(LAMP_STATUS, status, lang), int(counts.get(status, 0))
        LampLayer(data, status_index=index, name=f"{name} ({number(count, lang)})").add_to(m)
        rows.append(LegendRow(STATUS_COLORS[status], name, number(count, lang)))
    total = (text("total", lang), number(len(lamps), lang))
    Legend(text("lamp_status", lang), [LegendSection("", rows, total)]).add_to(m)
    LampSearch(data).add_to(m)
    add_controls(m, outline)
    return m


def build_status_tile_map(
    *, counts: dict[str, int], context: MapContext, urls: TileUrls, lang: str = "id"
) -> folium.Map:
    """Lamps drawn from vector tiles (nothing per lamp in the page), with the counts of `counts`.

    `context` needs only kecamatan (outlines, minimap) and cemeteries; kelurahan and roads come
    from the own-data basemap tiles.
    """
    lang = check_lang(lang)
    m = new_map(text("status_title", lang), map_bounds(context.kecamatan), lang)
    outline = add_context(m, context, lang, kelurahan=False, roads=False)
    add_tiled_lamps(m, urls, counts, lang)
    total = (text("total", lang), number(sum(counts.values()), lang))
    Legend(text("lamp_status", lang), [LegendSection("", status_rows(counts, lang), total)]).add_to(
        m
    )
    add_controls(m, outline)
    return m
