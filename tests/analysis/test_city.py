"""The analyses on the whole seeded Banjarbaru sample: figures that hang together."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bench.bench_coverage import buffer_union_coverage
from geo_assets.analysis.cemeteries import cemetery_report
from geo_assets.analysis.coverage import compute_coverage
from geo_assets.analysis.proposal import build_proposal
from geo_assets.analysis.spm import spm_report
from tests.analysis.geojson_check import assert_rfc7946

pytestmark = pytest.mark.slow


def test_city_coverage_is_consistent(seeded_engine: Engine) -> None:
    """Areas add up to the city, gaps add up to the dark length, and the figure agrees with a
    plain buffer-union of the lamps' reach within half a percentage point."""
    result = compute_coverage(seeded_engine)
    city = result.city
    assert 50 < city["coverage_pct"] < 100 and len(result.kecamatan) == 5
    assert sum(k["total_km"] for k in result.kecamatan) == pytest.approx(city["total_km"], 0.01)
    assert result.gaps["length_m"].sum() / 1000 == pytest.approx(city["dark_km"], abs=0.01)
    assert result.segments["length_m"].sum() / 1000 == pytest.approx(city["total_km"], abs=0.01)
    assert (
        result.gaps["proposed_lamps"].sum() == len(result.proposed_lamps) == city["proposed_lamps"]
    )
    assert result.gaps.geometry.notna().all() and result.proposed_lamps.geometry.notna().all()
    assert city["coverage_pct"] == pytest.approx(buffer_union_coverage(seeded_engine), abs=0.5)


def test_city_spm_q4_2024(seeded_engine: Engine) -> None:
    """The Q4 2024 report has five kecamatan rows, sane percentages and a four-quarter trend."""
    report = spm_report(seeded_engine, year=2024, quarter=4)
    city = report["city"]
    assert len(report["kecamatan"]) == 5 and len(report["trend"]) == 4
    assert 80 < city["pct_working"] <= 100 and 0 <= city["pct_within_sla"] <= 100
    assert city["faults_reported"] > 0 and city["median_repair_hours"] > 0
    assert sum(k["lamps_total"] for k in report["kecamatan"]) <= city["lamps_total"]
    assert sum(k["faults_repaired"] for k in report["kecamatan"]) <= city["faults_repaired"]


def test_city_proposal_totals(seeded_engine: Engine) -> None:
    """The city proposal is valid RFC 7946 and its totals are the sums of its features."""
    collection = build_proposal(seeded_engine)
    assert_rfc7946(collection)
    costs = [f["properties"]["cost_idr"] for f in collection["features"]]
    totals = collection["totals"]
    assert (
        totals["total_idr"]
        == sum(costs)
        == sum(totals["by_category"].values())
        == sum(totals["by_kecamatan"].values())
    )
    assert all(
        totals["count_by_category"][c] > 0 for c in ("new_lamp", "lamp_repair", "led_conversion")
    )


def test_city_cemeteries(seeded_engine: Engine) -> None:
    """Every TPU gets capacity figures; candidates are the Muslim and general TPUs beyond 500 m."""
    report = cemetery_report(seeded_engine)
    assert len(report["cemeteries"]) >= 10
    for tpu in report["cemeteries"]:
        if tpu["years_until_full"] is not None:
            assert tpu["years_until_full"] == pytest.approx(
                tpu["plots"]["available"] / tpu["burials_per_year"], abs=0.1
            )
    far = {
        t["code"]
        for t in report["cemeteries"]
        if (t["walk_to_musala_m"] is None or t["walk_to_musala_m"] > 500)
        and t["kind"] in ("muslim", "general")
    }
    assert {c["code"] for c in report["musala_candidates"]} == far
