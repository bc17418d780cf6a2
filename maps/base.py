"""What every map shares: OSM tiles, our own context layers, and the standard controls."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import Figure
from folium import plugins

from maps.elements import ContextMiniMap, MetricScale
from maps.geojson import bounds_latlon, feature_collection
from maps.labels import CONTEXT_COLOR, Lang, text

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
# The whole city, for an empty database: 114.675–114.908 E, 3.377–3.569 S (SPEC §4).
CITY_BOUNDS = [[-3.569, 114.675], [-3.377, 114.908]]
# A city map: no need to zoom out to the world, and fewer zoom levels for the clusterer to index.
MIN_ZOOM = 11  # the whole city fits at zoom 12 on a laptop screen
MAX_ZOOM = 19  # OSM's deepest tiles; a lamp every ~30 m is ~100 px apart there
ROAD_WEIGHTS = {"arteri": 4, "kolektor": 3, "lokal": 2, "lingkungan": 1}


@dataclass(frozen=True)
class MapContext:
    """The frames every map draws underneath its subject, so it reads without tiles."""

    kecamatan: gpd.GeoDataFrame
    kelurahan: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    cemeteries: gpd.GeoDataFrame | None = None


def new_map(title: str, bounds: list[list[float]] | None, lang: Lang) -> folium.Map:
    """An empty map in its own page titled `title`, fitted to `bounds`, with OSM tiles."""
    figure = Figure(title=title)
    m = folium.Map(
        tiles=None,
        control_scale=False,  # our MetricScale instead: metres only
        prefer_canvas=True,
        zoom_start=12,
        location=[-3.46, 114.80],
        max_zoom=MAX_ZOOM,
        min_zoom=MIN_ZOOM,
    )
    figure.add_child(m)
    folium.TileLayer(
        OSM_TILES,
        attr=OSM_ATTRIBUTION,
        name=text("base_osm", lang),
        max_zoom=MAX_ZOOM,
        max_native_zoom=19,
    ).add_to(m)
    m.fit_bounds(bounds or CITY_BOUNDS)
    return m


def _kelurahan_layer(m: folium.Map, kelurahan: gpd.GeoDataFrame, lang: Lang) -> None:
    fields = ["name", "kecamatan_name"]
    folium.GeoJson(
        feature_collection(kelurahan, fields),
        name=text("kelurahan", lang),
        style_function=lambda _: {
            "color": CONTEXT_COLOR,
            "weight": 1,
            "dashArray": "4 3",
            "fillColor": "#eceff1",
            "fillOpacity": 0.25,
        },
        tooltip=folium.GeoJsonTooltip(
            fields, [text("kelurahan_one", lang), text("kecamatan_one", lang)]
        ),
    ).add_to(m)


def _road_layer(m: folium.Map, roads: gpd.GeoDataFrame, lang: Lang) -> None:
    folium.GeoJson(
        feature_collection(roads, ["name", "road_class"]),
        name=text("roads", lang),
        style_function=lambda f: {
            "color": "#90a4ae",
            "opacity": 0.9,
            "weight": ROAD_WEIGHTS.get(f["properties"]["road_class"], 1),
        },
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
    ).add_to(m)


def add_context(
    m: folium.Map,
    context: MapContext,
    lang: Lang,
    *,
    kelurahan: bool = True,
    roads: bool = True,
    outlines: bool = True,
) -> folium.GeoJson:
    """Kelurahan, kecamatan, roads and cemetery outlines layers; returns the kecamatan layer."""
    if kelurahan:
        _kelurahan_layer(m, context.kelurahan, lang)
    kecamatan = folium.GeoJson(
        feature_collection(context.kecamatan, ["name"]),
        name=text("kecamatan", lang),
        style_function=lambda _: {"color": "#263238", "weight": 2.5, "fill": False},
    )
    kecamatan.add_to(m)
    if roads:
        _road_layer(m, context.roads, lang)
    if outlines and context.cemeteries is not None and len(context.cemeteries):
        folium.GeoJson(
            feature_collection(context.cemeteries, ["name"]),
            name=text("cemetery_outlines", lang),
            style_function=lambda _: {"color": "#4e342e", "weight": 1.5, "fillOpacity": 0.1},
            tooltip=folium.GeoJsonTooltip(["name"], labels=False),
        ).add_to(m)
    return kecamatan


def add_controls(m: folium.Map, outline: folium.GeoJson) -> None:
    """Scale, fullscreen, measure, minimap and (last, so it sees every layer) the layer control."""
    MetricScale().add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="sqmeters",
        secondary_area_unit="hectares",
    ).add_to(m)
    ContextMiniMap(outline, OSM_TILES).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)


def map_bounds(*frames: gpd.GeoDataFrame) -> list[list[float]] | None:
    """Leaflet bounds around the frames, or None when they are all empty."""
    return bounds_latlon(*frames)
