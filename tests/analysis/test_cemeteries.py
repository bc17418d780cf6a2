"""Cemetery capacity and musala access on hand-built TPUs with answers known by hand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from geo_assets.analysis.cemeteries import burials_per_year, cemetery_report
from tests.analysis.builders import add_cemetery, add_musala, add_road

AS_OF = date(2025, 1, 1)


def build_cemeteries(engine: Engine) -> None:
    """Two TPUs on a road network with a T-junction that shares no vertex with the main road.

    Main road (0,0)–(1200,0); side road (1000,0)–(1000,400); existing musala 5 m east of the
    side road at y = 300. TPU-01's gate is 10 m north of the main road at x = 100:
    10 + 900 + 300 + 5 = 1215 m on foot. TPU-02's gate is 20 m south at x = 900:
    20 + 100 + 300 + 5 = 425 m.
    TPU-01: 45 plots available, 30 burials in the last 3 years (first in 2018) → 10 a year →
    4.5 years → flagged. TPU-02: 200 available, 12 burials in 3 years (first in 2015) →
    4 a year → 50 years.
    """
    with engine.begin() as conn:
        add_road(conn, "R-1", "lokal", [(0, 0), (1200, 0)])
        add_road(conn, "R-2", "lingkungan", [(1000, 0), (1000, 400)])
        recent = [date(2022, 1 + i % 12, 1 + i) for i in range(30)]
        tpu1 = add_cemetery(
            conn,
            "TPU-01",
            (60, 10, 160, 110),
            (100, 10),
            plots={"available": 45, "occupied": 31, "reserved": 4},
            burials=[date(2018, 5, 1), *recent],
        )
        add_cemetery(
            conn,
            "TPU-02",
            (850, -120, 950, -20),
            (900, -20),
            plots={"available": 200, "occupied": 13},
            burials=[date(2015, 1, 1), *(date(2022, 2, 1 + i) for i in range(12))],
        )
        add_musala(conn, "MUS-01", 1005, 300, status="existing")
        add_musala(
            conn,
            "MUS-02",
            120,
            30,
            status="planned",
            cemetery_id=tpu1,
            cost=300_000_000,
            planned_year=2025,
        )


def test_years_until_full_known_by_hand(engine: Engine) -> None:
    """TPU-01 fills in 4.5 years and is flagged; TPU-02 has 50 years left."""
    build_cemeteries(engine)
    report = cemetery_report(engine, as_of=AS_OF)
    by_code = {t["code"]: t for t in report["cemeteries"]}
    one, two = by_code["TPU-01"], by_code["TPU-02"]
    assert one["plots"] == {"available": 45, "reserved": 4, "occupied": 31, "unusable": 0}
    assert (one["burials_per_year"], one["years_until_full"], one["nearly_full"]) == (
        10.0,
        4.5,
        True,
    )
    assert (two["burials_per_year"], two["years_until_full"], two["nearly_full"]) == (
        4.0,
        50.0,
        False,
    )
    assert report["nearly_full"] == ["TPU-01"]


def test_walking_distance_along_roads(engine: Engine) -> None:
    """Gate to musala along the roads: 1215 m and 425 m, longer than the straight line."""
    build_cemeteries(engine)
    by_code = {t["code"]: t for t in cemetery_report(engine, as_of=AS_OF)["cemeteries"]}
    assert by_code["TPU-01"]["walk_to_musala_m"] == 1215.0
    assert by_code["TPU-02"]["walk_to_musala_m"] == 425.0
    assert by_code["TPU-01"]["straight_to_musala_m"] < 1000


def test_candidates_beyond_500_m_with_planned_musala(engine: Engine) -> None:
    """Only TPU-01 (1215 m) is a musala candidate, shown with the musala planned for it."""
    build_cemeteries(engine)
    report = cemetery_report(engine, as_of=AS_OF)
    assert [c["code"] for c in report["musala_candidates"]] == ["TPU-01"]
    planned = report["musala_candidates"][0]["planned_musala"]
    assert [(p["code"], p["planned_year"]) for p in planned] == [("MUS-02", 2025)]


def test_no_existing_musala_makes_every_tpu_a_candidate(engine: Engine) -> None:
    """Without any existing musala no distance can be given and both TPUs are candidates."""
    build_cemeteries(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE prayer_room SET status = 'planned'")
    report = cemetery_report(engine, as_of=AS_OF)
    assert [c["walk_to_musala_m"] for c in report["musala_candidates"]] == [None, None]


def test_burial_rate_of_a_young_cemetery() -> None:
    """A TPU opened 18 months ago with 15 burials fills at 10 a year, not 5."""
    assert burials_per_year(15, date(2023, 7, 2), AS_OF) == 15 / (
        (AS_OF - date(2023, 7, 2)).days / 365.25
    )
    assert burials_per_year(0, None, AS_OF) == 0.0


def test_a_christian_cemetery_is_no_musala_candidate(engine: Engine) -> None:
    """A Christian TPU far from any musala gets its distance but is not proposed a musala."""
    build_cemeteries(engine)
    with engine.begin() as conn:
        add_cemetery(
            conn,
            "TPU-03",
            (0, 20, 40, 60),
            (20, 20),
            plots={"available": 5},
            burials=[],
            kind="christian",
        )
    report = cemetery_report(engine, as_of=AS_OF)
    christian = next(t for t in report["cemeteries"] if t["code"] == "TPU-03")
    assert christian["walk_to_musala_m"] > 500 and not christian["musala_candidate"]
    assert [c["code"] for c in report["musala_candidates"]] == ["TPU-01"]
