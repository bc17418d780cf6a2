"""The map builders on small in-memory GeoDataFrames (no database, no browser)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, box

from maps import MapContext, build_status_map, render_html
from maps.assets import UnvendoredAsset, assert_offline, localise
from maps.coverage import build_coverage_map, coverage_color
from maps.elements import LegendRow, LegendSection, legend_html
from maps.labels import number
from maps.lamp_data import encode_lamps
from maps.plot_data import encode_plots


def _context() -> MapContext:
    area = MultiPolygon([box(114.80, -3.46, 114.86, -3.42)])
    return MapContext(
        kecamatan=gpd.GeoDataFrame(
            {"code": ["63.72.04"], "name": ["Banjarbaru Utara"]}, geometry=[area], crs=4326
        ),
        kelurahan=gpd.GeoDataFrame(
            {"code": ["k"], "name": ["Komet"], "kecamatan_name": ["Banjarbaru Utara"]},
            geometry=[area],
            crs=4326,
        ),
        roads=gpd.GeoDataFrame(
            {"name": ["Jl. <A> & B"], "road_class": ["arteri"]},
            geometry=[LineString([(114.80, -3.44), (114.86, -3.44)])],
            crs=4326,
        ),
    )


def _lamps(statuses: list[str]) -> gpd.GeoDataFrame:
    n = len(statuses)
    return gpd.GeoDataFrame(
        {
            "id": range(10, 10 + n),
            "code": [f"PJU-63.72.04-{i:05d}" for i in range(1, n + 1)],
            "lamp_type": ["led"] * n,
            "wattage": [60] * n,
            "status": statuses,
            "road_name": ["Jl. <A> & B"] * n,
            "kelurahan_name": [None] + ["Komet"] * (n - 1),
            "last_event_at": [pd.Timestamp("2024-05-03 06:20", tz="UTC")] + [pd.NaT] * (n - 1),
        },
        geometry=[Point(114.80 + 0.001 * i, -3.44) for i in range(n)],
        crs=4326,
    )


def test_lamps_are_one_compact_payload_not_one_marker_each() -> None:
    """1,000 lamps add a few tens of kB to the page and no folium Marker at all."""
    html = render_html(build_status_map(lamps=_lamps(["working"] * 1000), context=_context()))
    assert "L.marker(" not in html and "circleMarker(" not in html
    assert len(html) < 120_000


def test_payload_encodes_codes_positions_and_tables() -> None:
    """Codes become prefix + running number, positions 1e-5 degree deltas, names table indexes."""
    payload = encode_lamps(_lamps(["working", "out", "damaged"]), "id")
    assert payload["prefixes"] == ["PJU-63.72.04-"] and payload["widths"] == [5]
    assert payload["cn"] == [1, 1, 1] and payload["x"] == [11480000, 100, 100]
    assert payload["s"] == [0, 1, 2] and payload["k"] == [-1, 0, 0]
    assert payload["tables"]["roads"] == ["Jl. <A> & B"] and payload["e"] == [0, -1, -1]


def test_unknown_status_is_refused() -> None:
    """A status outside the vocabulary is an error, not a silently wrong colour."""
    with pytest.raises(ValueError, match="unknown lamp status"):
        encode_lamps(_lamps(["burning"]), "id")


def test_every_link_is_local_and_script_json_is_escaped() -> None:
    """Scripts/styles come from static/ only, and names cannot close the <script> element."""
    html = render_html(build_status_map(lamps=_lamps(["working", "out"]), context=_context()))
    links = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert links and all(link.startswith("static/") for link in links)
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert "Jl. <A> & B" not in html.split("decodeLamps(")[1].split(");")[0]


def test_served_pages_use_the_app_static_url() -> None:
    """Rendered for the app, links point at /maps/static/."""
    html = render_html(
        build_status_map(lamps=_lamps(["working"]), context=_context()), static_url="/maps/static/"
    )
    assert '<script src="/maps/static/vendor/leaflet/leaflet.js"' in html


def test_an_unvendored_resource_is_refused() -> None:
    """A folium element whose script has no vendored copy cannot be rendered."""
    import folium
    from folium import plugins

    m = folium.Map(tiles=None)
    plugins.Draw().add_to(m)
    with pytest.raises(UnvendoredAsset, match="no vendored copy"):
        localise(m.get_root(), static_url="static/")
    with pytest.raises(UnvendoredAsset):
        assert_offline('<script src="https://cdn.example/x.js"></script>')


def _legend(html: str) -> str:
    """The legend HTML a page passes to GeoAssetsMaps.legend (a JSON string argument)."""
    start = html.index('"', html.index("GeoAssetsMaps.legend("))
    return json.JSONDecoder().raw_decode(html[start:])[0]


def test_legend_counts_in_each_language() -> None:
    """The legend counts every status; numbers are written the Indonesian or English way."""
    lamps = _lamps(["working"] * 1200 + ["out"] * 3)
    legend_id = _legend(render_html(build_status_map(lamps=lamps, context=_context())))
    legend_en = _legend(render_html(build_status_map(lamps=lamps, context=_context(), lang="en")))
    assert 'Menyala</td><td class="ga-count">1.200' in legend_id
    assert 'Mati</td><td class="ga-count">3' in legend_id and "Jumlah" in legend_id
    assert 'Working</td><td class="ga-count">1,200' in legend_en and "Total" in legend_en
    with pytest.raises(ValueError, match="unsupported language"):
        build_status_map(lamps=lamps, context=_context(), lang="fr")


def test_legend_html_is_escaped() -> None:
    """Labels are text, never markup."""
    html = legend_html("<b>", [LegendSection("s", [LegendRow("#fff", "<i>x</i>", "1")])])
    assert "<b>" not in html and "&lt;i&gt;" in html


def test_coverage_map_colours_kelurahan_by_coverage() -> None:
    """Choropleth classes follow the coverage percentage; no roads means grey."""
    assert coverage_color(95) == "#2e7d32" and coverage_color(10) == "#b71c1c"
    assert coverage_color(None) == coverage_color(float("nan")) == "#bdbdbd"
    context = _context()
    line = LineString([(114.80, -3.44), (114.86, -3.44)])
    segments = gpd.GeoDataFrame(
        {
            "road_name": ["a", "a"],
            "road_class": ["arteri"] * 2,
            "lit": [True, False],
            "length_m": [100.0, 50.0],
        },
        geometry=[line, line],
        crs=4326,
    )
    gaps = gpd.GeoDataFrame(
        {"road_name": ["a"], "length_m": [50.0], "proposed_lamps": [2]}, geometry=[line], crs=4326
    )
    proposed = gpd.GeoDataFrame(
        {"road_name": ["a"], "pole_height_m": [9.0]}, geometry=[Point(114.81, -3.44)], crs=4326
    )
    kelurahan = context.kelurahan.assign(coverage_pct=[66.7], total_km=[0.15], lit_km=[0.1])
    html = render_html(
        build_coverage_map(
            segments=segments,
            gaps=gaps,
            proposed=proposed,
            kelurahan=kelurahan,
            context=context,
            city_coverage_pct=66.7,
            lang="en",
        )
    )
    assert "#fdd835" in html and "66.7 %" in html and "Coverage: 66.7 %" in html


def test_numbers_are_written_per_language() -> None:
    """14.000 and 70,8 in Indonesian; 14,000 and 70.8 in English."""
    assert (number(14000, "id"), number(70.8, "id", 1)) == ("14.000", "70,8")
    assert (number(14000, "en"), number(70.8, "en", 1)) == ("14,000", "70.8")


def test_plots_are_compact_rings_with_codes() -> None:
    """Plot rings become 1e-6 degree integer steps; codes block index + row + number."""
    plots = gpd.GeoDataFrame(
        {
            "code": ["TPU-01-A-1-1", "TPU-01-A-1-2", "odd"],
            "status": ["available", "occupied", "reserved"],
        },
        geometry=[
            box(114.81, -3.44, 114.81002, -3.43999),
            box(114.81003, -3.44, 114.81005, -3.43999),
            box(0, 0, 1, 1),
        ],
        crs=4326,
    )
    payload = encode_plots(plots)
    assert payload["nv"] == [4, 4, 4] and payload["s"] == [0, 2, 1]
    assert payload["prefixes"] == ["TPU-01-A", "odd"] and payload["r"] == [1, 1, -1]
    assert payload["p"] == [1, 2, -1] and len(payload["xy"]) == 24
    assert payload["xy"][:2] == [114810020, -3440000]  # first vertex, absolute
    with pytest.raises(ValueError, match="unknown plot status"):
        encode_plots(plots.assign(status="dug"))
