"""Coverage on a hand-built 1 km road: lit length, dark gaps and gap-fill positions by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from geo_assets.analysis.coverage import compute_coverage
from geo_assets.errors import InvalidInput
from geo_assets.settings import Settings
from tests.analysis.builders import add_kecamatan, add_kelurahan, add_lamp, add_road


def build_one_km_road(engine: Engine) -> int:
    """A 1000 m lokal road across two kecamatan split at 600 m, lamps with H = 8 m.

    Lokal: spacing ≤ 6 H = 48 m, so each working lamp lights 24 m either way along the road.
    Lamps at 0, 48, …, 480 → lit [0, 504]; one unattached lamp 5 m beside the road at 700 →
    lit [676, 724]; one at 1000 → lit [976, 1000]; an `out` lamp at 850 lights nothing.
    """
    with engine.begin() as conn:
        north = add_kecamatan(conn, "63.72.04", "Banjarbaru Utara", (-100, -500, 600, 500))
        south = add_kecamatan(conn, "63.72.05", "Banjarbaru Selatan", (600, -500, 1100, 500))
        add_kelurahan(conn, "63.72.04.1002", "Mentaos", north, (-100, -500, 600, 500))
        add_kelurahan(conn, "63.72.05.1003", "Kemuning", south, (600, -500, 1100, 500))
        road = add_road(conn, "R-1", "lokal", [(0, 0), (1000, 0)], name="Jl. Uji")
        for n, x in enumerate(range(0, 481, 48), start=1):
            add_lamp(conn, n, x, 0, road_id=road)
        add_lamp(conn, 50, 700, 5, road_id=None)
        add_lamp(conn, 51, 1000, 0, road_id=road)
        add_lamp(conn, 52, 850, 0, road_id=road, status="out")
    return road


def test_lit_length_and_percentages(engine: Engine) -> None:
    """576 of 1000 m are lit (57.6 %), split 504/600 m and 72/400 m between the two areas."""
    build_one_km_road(engine)
    result = compute_coverage(engine, with_geometry=False)
    assert result.city == {
        "total_km": 1.0,
        "lit_km": 0.576,
        "dark_km": 0.424,
        "coverage_pct": 57.6,
        "gap_count": 2,
        "proposed_lamps": 11,
    }
    by_kec = {row["name"]: row for row in result.kecamatan}
    assert (by_kec["Banjarbaru Utara"]["lit_km"], by_kec["Banjarbaru Utara"]["total_km"]) == (
        0.504,
        0.6,
    )
    assert by_kec["Banjarbaru Selatan"]["coverage_pct"] == 18.0
    lokal = next(row for row in result.road_class if row["road_class"] == "lokal")
    assert lokal["coverage_pct"] == 57.6
    arteri = next(row for row in result.road_class if row["road_class"] == "arteri")
    assert arteri["total_km"] == 0 and arteri["coverage_pct"] is None


def test_dark_gaps_are_the_unlit_stretches(engine: Engine) -> None:
    """The gaps are [504, 676] and [724, 976] m, as lines of those lengths in lon/lat."""
    build_one_km_road(engine)
    gaps = compute_coverage(engine).gaps
    assert gaps[["start_m", "end_m", "length_m"]].values.tolist() == [
        [504.0, 676.0, 172.0],
        [724.0, 976.0, 252.0],
    ]
    assert gaps["kelurahan"].tolist() == ["Mentaos", "Kemuning"]
    metric = gaps.to_crs(32750)
    assert metric.length.round(1).tolist() == [172.0, 252.0]
    assert gaps.total_bounds[0] == pytest.approx(114.83, abs=0.01)


def test_gap_fill_positions_at_norm_spacing(engine: Engine) -> None:
    """New 7 m poles (lokal: ≤ 42 m apart): 5 in the 172 m gap, 6 in the 252 m gap, centred."""
    road = build_one_km_road(engine)
    lamps = compute_coverage(engine).proposed_lamps
    assert lamps["position_m"].tolist() == [
        521.2,
        555.6,
        590.0,
        624.4,
        658.8,
        745.0,
        787.0,
        829.0,
        871.0,
        913.0,
        955.0,
    ]
    assert set(lamps["road_id"]) == {road} and set(lamps["pole_height_m"]) == {7.0}
    along = lamps.to_crs(32750).geometry.x - 259_000.0
    assert along.round(1).tolist() == lamps["position_m"].tolist()


def test_segments_alternate_lit_and_dark(engine: Engine) -> None:
    """The road is cut into lit/dark stretches that add up to its whole length."""
    build_one_km_road(engine)
    segments = compute_coverage(engine).segments
    assert segments["lit"].tolist() == [True, False, True, False, True]
    assert segments["length_m"].sum() == pytest.approx(1000.0)


def test_kecamatan_filter_and_unknown_name(engine: Engine) -> None:
    """Asking for one kecamatan gives its figures only; an unknown one is a clear error."""
    build_one_km_road(engine)
    result = compute_coverage(engine, kecamatan="banjarbaru selatan", with_geometry=False)
    assert result.city["total_km"] == 0.4 and result.city["lit_km"] == 0.072
    assert [row["name"] for row in result.kelurahan] == ["Kemuning"]
    assert result.gaps["start_m"].tolist() == [724.0]
    assert len(result.proposed_lamps) == 8
    with pytest.raises(InvalidInput, match="Unknown kecamatan 'Nowhere'"):
        compute_coverage(engine, kecamatan="Nowhere")


def test_another_metric_crs_gives_the_same_answer(engine: Engine) -> None:
    """Measured in EPSG:23837 (TM-3 zone 50.1) instead of UTM 50S, coverage agrees to 1 m.

    The two projections scale lengths near Banjarbaru differently (by ~0.03 %), so the gap
    lengths are not bit-identical: the setting really reaches the SQL.
    """
    build_one_km_road(engine)
    utm = compute_coverage(engine, with_geometry=False, settings=Settings(metric_srid=32750))
    tm3 = compute_coverage(engine, with_geometry=False, settings=Settings(metric_srid=23837))
    assert (tm3.city["gap_count"], tm3.city["proposed_lamps"]) == (2, 11)
    assert tm3.city["lit_km"] == pytest.approx(utm.city["lit_km"], abs=0.001)
    assert tm3.city["total_km"] == pytest.approx(utm.city["total_km"], abs=0.001)
    utm_gaps, tm3_gaps = utm.gaps["length_m"].to_numpy(), tm3.gaps["length_m"].to_numpy()
    assert tm3_gaps == pytest.approx(utm_gaps, abs=1.0)
    assert (tm3_gaps != utm_gaps).all()
