"""The cemeteries map: TPU, blocks and plots, access roads by condition, musala, nearby lamps."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo_assets.models import METRIC_SRID
from geo_assets.vocab import (
    CEMETERY_KIND,
    PLOT_STATUS,
    PRAYER_ROOM_STATUS,
    ROAD_CONDITION,
    ROAD_SURFACE,
    label,
)
from maps.base import MapContext, add_context, add_controls, map_bounds, new_map
from maps.elements import LampData, LampLayer, Legend, LegendRow, LegendSection, PlotLayer
from maps.geojson import PLOT_PRECISION, feature_collection
from maps.labels import (
    CONDITION_COLORS,
    PLOT_COLORS,
    PRAYER_ROOM_COLORS,
    Lang,
    check_lang,
    number,
    text,
)
from maps.lamp_data import encode_lamps, lamp_config
from maps.plot_data import encode_plots, plot_config

PLOT_ZOOM = 17  # plots (about 1 x 2 m) are drawn from this zoom on


def _dash(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _idr(value: float | None, lang: Lang) -> str:
    return text("none", lang) if value is None or _dash(value) else f"Rp {number(value, lang)}"


def _cemetery_layer(m: folium.Map, cemeteries: gpd.GeoDataFrame, lang: Lang) -> None:
    occupied, total = cemeteries["plots_occupied"], cemeteries["plots_total"]
    frame = cemeteries.assign(
        kind_label=[label(CEMETERY_KIND, k, lang) for k in cemeteries["kind"]],
        manager_text=[text("none", lang) if _dash(v) else v for v in cemeteries["manager"]],
        capacity_text=[
            f"{number(c, lang)} {text('plots_unit', lang)}" for c in cemeteries["capacity"]
        ],
        occupancy_text=[
            f"{number(o, lang)} / {number(t, lang)} ({number(100 * o / t, lang, 1)} %)"
            if t
            else text("none", lang)
            for o, t in zip(occupied, total, strict=True)
        ],
        **{f"{s}_text": [number(v, lang) for v in cemeteries[f"plots_{s}"]] for s in PLOT_STATUS},
    )
    fields = [
        "name",
        "kind_label",
        "manager_text",
        "capacity_text",
        "occupancy_text",
        *(f"{s}_text" for s in PLOT_STATUS),
    ]
    aliases = [
        text("name", lang),
        text("kind", lang),
        text("manager", lang),
        text("capacity", lang),
        text("occupancy", lang),
        *(label(PLOT_STATUS, s, lang) for s in PLOT_STATUS),
    ]
    folium.GeoJson(
        feature_collection(frame, fields),
        name=f"{text('cemeteries', lang)} ({number(len(frame), lang)})",
        style_function=lambda _: {
            "color": "#4e342e",
            "weight": 2,
            "fillColor": "#a1887f",
            "fillOpacity": 0.15,
        },
        popup=folium.GeoJsonPopup(fields, aliases, class_name="ga-detail"),
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
    ).add_to(m)


def _blocks_and_plots(
    m: folium.Map, blocks: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, lang: Lang
) -> None:
    folium.GeoJson(
        feature_collection(blocks, ["code", "name"], precision=PLOT_PRECISION),
        name=text("blocks", lang),
        style_function=lambda _: {
            "color": "#6d4c41",
            "weight": 1,
            "dashArray": "3 2",
            "fill": False,
        },
        tooltip=folium.GeoJsonTooltip(["code"], labels=False),
    ).add_to(m)
    name = f"{text('plots', lang)} ({number(len(plots), lang)})"
    PlotLayer(encode_plots(plots), plot_config(lang), name=name, min_zoom=PLOT_ZOOM).add_to(m)


def _access_roads(m: folium.Map, roads: gpd.GeoDataFrame, lang: Lang) -> None:
    frame = roads.assign(
        condition_label=[label(ROAD_CONDITION, c, lang) for c in roads["condition"]],
        surface_label=[label(ROAD_SURFACE, s, lang) for s in roads["surface"]],
        work_text=[text("none", lang) if _dash(v) else v for v in roads["planned_improvement"]],
        cost_text=[_idr(v, lang) for v in roads["improvement_cost_idr"]],
    )
    fields = ["name", "cemetery_name", "condition_label", "surface_label", "work_text", "cost_text"]
    aliases = [
        text("name", lang),
        text("cemetery", lang),
        text("condition", lang),
        text("surface", lang),
        text("planned_work", lang),
        text("cost", lang),
    ]
    folium.GeoJson(
        feature_collection(frame, [*fields, "condition"]),
        name=f"{text('access_roads', lang)} ({number(len(frame), lang)})",
        style_function=lambda f: {
            "color": CONDITION_COLORS.get(f["properties"]["condition"]),
            "weight": 6,
            "opacity": 0.9,
        },
        popup=folium.GeoJsonPopup(fields, aliases, class_name="ga-detail"),
    ).add_to(m)


def _prayer_rooms(m: folium.Map, rooms: gpd.GeoDataFrame, walk_m: float, lang: Lang) -> None:
    rings = rooms[rooms["status"] == "existing"].copy()
    # Buffer in metres (UTM 50S), then back to lon/lat.
    rings["geometry"] = rings.geometry.to_crs(METRIC_SRID).buffer(walk_m, 32).to_crs(4326)
    folium.GeoJson(
        feature_collection(rings, ["name"]),
        name=text("walk_ring", lang, m=number(walk_m, lang)),
        style_function=lambda _: {
            "color": PRAYER_ROOM_COLORS["existing"],
            "weight": 1.5,
            "dashArray": "6 4",
            "fillOpacity": 0.06,
        },
        interactive=False,
    ).add_to(m)
    frame = rooms.assign(
        status_label=[label(PRAYER_ROOM_STATUS, s, lang) for s in rooms["status"]],
        capacity_text=[
            text("none", lang) if _dash(c) else f"{number(c, lang)} {text('people', lang)}"
            for c in rooms["capacity"]
        ],
        cost_text=[_idr(v, lang) for v in rooms["estimated_cost_idr"]],
        year_text=[text("none", lang) if _dash(y) else str(int(y)) for y in rooms["planned_year"]],
    )
    fields = ["name", "cemetery_name", "status_label", "capacity_text", "cost_text", "year_text"]
    aliases = [
        text("name", lang),
        text("cemetery", lang),
        text("status", lang),
        text("capacity", lang),
        text("cost", lang),
        text("planned_year", lang),
    ]
    folium.GeoJson(
        feature_collection(frame, [*fields, "status"]),
        name=f"{text('prayer_rooms', lang)} ({number(len(frame), lang)})",
        marker=folium.CircleMarker(radius=8, weight=3, color="#fff", fill=True, fill_opacity=1),
        style_function=lambda f: {"fillColor": PRAYER_ROOM_COLORS.get(f["properties"]["status"])},
        popup=folium.GeoJsonPopup(fields, aliases, class_name="ga-detail"),
    ).add_to(m)


def _legend(walk_m: float, lang: Lang) -> Legend:
    plots = [
        LegendRow(PLOT_COLORS[s], label(PLOT_STATUS, s, lang), shape="area") for s in PLOT_STATUS
    ]
    roads = [
        LegendRow(CONDITION_COLORS[c], label(ROAD_CONDITION, c, lang), shape="line")
        for c in ROAD_CONDITION
    ]
    rooms = [
        LegendRow(PRAYER_ROOM_COLORS[s], label(PRAYER_ROOM_STATUS, s, lang))
        for s in PRAYER_ROOM_STATUS
    ]
    rooms.append(
        LegendRow(
            PRAYER_ROOM_COLORS["existing"],
            text("walk_ring", lang, m=number(walk_m, lang)),
            shape="line",
        )
    )
    return Legend(
        text("cemeteries", lang),
        [
            LegendSection(text("plot_status", lang), plots),
            LegendSection(text("access_roads", lang), roads),
            LegendSection(text("prayer_rooms", lang), rooms),
        ],
    )


def build_cemeteries_map(
    *,
    cemeteries: gpd.GeoDataFrame,
    blocks: gpd.GeoDataFrame,
    plots: gpd.GeoDataFrame,
    access_roads: gpd.GeoDataFrame,
    prayer_rooms: gpd.GeoDataFrame,
    lamps_near: gpd.GeoDataFrame,
    context: MapContext,
    walk_radius_m: float = 500.0,
    lang: str = "id",
) -> folium.Map:
    """Every TPU (popup: capacity, occupancy), plots by state, access roads, musala, lamps."""
    lang = check_lang(lang)
    m = new_map(text("cemeteries_title", lang), map_bounds(cemeteries, access_roads), lang)
    outline = add_context(m, context, lang, outlines=False)
    _cemetery_layer(m, cemeteries, lang)
    _blocks_and_plots(m, blocks, plots, lang)
    _access_roads(m, access_roads, lang)
    _prayer_rooms(m, prayer_rooms, walk_radius_m, lang)
    data = LampData(encode_lamps(lamps_near, lang), lamp_config(lang))
    data.add_to(m)
    name = f"{text('lamps_near', lang)} ({number(len(lamps_near), lang)})"
    LampLayer(data, status_index=-1, name=name, cluster=False).add_to(m)
    _legend(walk_radius_m, lang).add_to(m)
    add_controls(m, outline)
    return m
