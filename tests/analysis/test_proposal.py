"""The budget proposal: valid RFC 7946, costs known by hand, totals equal to the features' sums."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import Engine

from geo_assets.analysis.proposal import build_proposal
from geo_assets.analysis.proposal_io import write_proposal
from geo_assets.errors import InvalidInput
from tests.analysis.builders import add_access_road, add_cemetery, add_lamp, add_musala
from tests.analysis.geojson_check import assert_rfc7946
from tests.analysis.test_coverage import build_one_km_road

# 11 new lokal poles (11.5 M) + 1 out lamp (0.85 M) + 1 sodium → LED (2.75 M)
# + 100 m poor access road (100 × 450,000) + 1 planned musala with its own estimate (300 M).
EXPECTED = {
    "new_lamp": 126_500_000,
    "lamp_repair": 850_000,
    "led_conversion": 2_750_000,
    "access_road": 45_000_000,
    "musala": 300_000_000,
}


def build_proposal_case(engine: Engine) -> None:
    """The 1 km road of the coverage test plus a sodium lamp, a TPU, its access road and musala."""
    road = build_one_km_road(engine)
    with engine.begin() as conn:
        add_lamp(conn, 60, 200, 0, road_id=road, lamp_type="sodium", wattage=150)
        tpu = add_cemetery(
            conn, "TPU-01", (200, -200, 300, -100), (250, -100), plots={"available": 10}, burials=[]
        )
        add_access_road(conn, "AKS-01", tpu, "poor", [(250, -100), (250, 0)])
        add_musala(
            conn,
            "MUS-01",
            260,
            -110,
            status="planned",
            cemetery_id=tpu,
            cost=300_000_000,
            planned_year=2025,
        )


def test_proposal_costs_and_totals(engine: Engine) -> None:
    """Each category costs what is worked out by hand, and totals are the sums of features."""
    build_proposal_case(engine)
    collection = build_proposal(engine)
    assert_rfc7946(collection)
    totals = collection["totals"]
    assert totals["by_category"] == EXPECTED
    assert (
        totals["total_idr"]
        == sum(EXPECTED.values())
        == sum(f["properties"]["cost_idr"] for f in collection["features"])
    )
    assert totals["by_kecamatan"] == {
        "Banjarbaru Selatan": 92_850_000,
        "Banjarbaru Utara": 382_250_000,
    }
    for feature in collection["features"]:
        p = feature["properties"]
        assert p["cost_idr"] == p["quantity"] * p["unit_cost_idr"]
        assert p["reason"] and "\n" not in p["reason"] and p["priority"] in (1, 2, 3)


def test_items_carry_what_a_planner_needs(engine: Engine) -> None:
    """LED item states the kWh saved; the musala is top priority with no musala in reach."""
    build_proposal_case(engine)
    by_category = {}
    for feature in build_proposal(engine)["features"]:
        by_category.setdefault(feature["properties"]["category"], []).append(feature)
    led = by_category["led_conversion"][0]["properties"]
    # 150 W sodium → 80 W LED: 70 W × 12 h × 365 nights = 306.6 kWh a year.
    assert (led["led_wattage"], led["kwh_saved_per_year"]) == (80, 306.6)
    assert "hemat 307 kWh/tahun" in led["reason"]
    road = by_category["access_road"][0]
    assert (road["properties"]["quantity"], road["properties"]["unit"]) == (100, "m")
    assert road["geometry"]["type"] == "LineString"
    musala = by_category["musala"][0]["properties"]
    assert musala["priority"] == 1 and "belum ada musala" in musala["reason"]


def test_year_kecamatan_and_unit_cost_override(engine: Engine, tmp_path: Path) -> None:
    """A later budget year drops the 2025 musala; a kecamatan filter and a cost file apply."""
    build_proposal_case(engine)
    assert build_proposal(engine, year=2026)["totals"]["by_category"]["musala"] == 0
    south = build_proposal(engine, kecamatan="63.72.05")["totals"]
    assert south["by_kecamatan"] == {"Banjarbaru Selatan": 92_850_000}
    override = tmp_path / "costs.toml"
    override.write_text("[new_lamp]\nlokal = 10_000_000\n")
    assert (
        build_proposal(engine, unit_costs=override)["totals"]["by_category"]["new_lamp"]
        == 110_000_000
    )
    override.write_text("[new_lamp]\nlokal = -5\n")
    with pytest.raises(InvalidInput, match="new_lamp.lokal"):
        build_proposal(engine, unit_costs=override)


def test_files_geojson_gpkg_csv(engine: Engine, tmp_path: Path) -> None:
    """GeoJSON round-trips, the GeoPackage has a layer per category, the CSV opens in Excel."""
    build_proposal_case(engine)
    write_proposal(engine, out=tmp_path / "p.geojson", fmt="geojson")
    collection = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))
    assert_rfc7946(collection)
    write_proposal(engine, out=tmp_path / "p.gpkg", fmt="gpkg")
    layers = dict(pyogrio.list_layers(tmp_path / "p.gpkg").tolist())
    assert layers == {
        "new_lamp": "Point",
        "lamp_repair": "Point",
        "led_conversion": "Point",
        "access_road": "LineString",
        "musala": "Point",
    }
    assert len(pyogrio.read_dataframe(tmp_path / "p.gpkg", layer="new_lamp")) == 11
    write_proposal(engine, out=tmp_path / "p.csv", fmt="csv")
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["Kecamatan", "Kategori"]
    assert rows[-1][0] == "JUMLAH" and int(rows[-1][-1]) == sum(EXPECTED.values())
    with pytest.raises(InvalidInput, match="Allowed: geojson, gpkg, csv"):
        write_proposal(engine, out=tmp_path / "p.xls", fmt="xls")
