"""The quarterly SPM figures on a hand-built quarter whose answers are worked out by hand."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from geo_assets.analysis.spm import spm_report
from geo_assets.errors import InvalidInput
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.settings import Settings
from tests.analysis.builders import add_kecamatan, add_kelurahan, add_lamp, add_road
from tests.factories import add_service_request

WITA = ZoneInfo("Asia/Makassar")


def at(month: int, day: int, hour: int = 0, year: int = 2024) -> datetime:
    """A moment in city time (WITA)."""
    return datetime(year, month, day, hour, tzinfo=WITA)


def build_quarter(engine: Engine) -> None:
    """Five 100 W lamps on a 1 km lokal road (H = 8 m, reach 24 m) and their Q1 2024 history.

    A (0 m): out 10 Jan 08:00, working 11 Jan 08:00 → 24 h.
    B (48 m): resident request 1 Feb 00:00, out 1 Feb 12:00, working 5 Feb 00:00 → 96 h.
    C (96 m): damaged 20 Mar, in repair 22 Mar, working 2 Apr → reported Q1, repaired Q2, 312 h.
    D (144 m): out 20 Dec 2023, working 2 Jan 12:00 → repaired in Q1 after 324 h.
    E (192 m): decommissioned in 2023, counted nowhere.
    """
    with engine.begin() as conn:
        kec = add_kecamatan(conn, "63.72.04", "Banjarbaru Utara", (-100, -500, 1100, 500))
        add_kelurahan(conn, "63.72.04.1002", "Mentaos", kec, (-100, -500, 1100, 500))
        road = add_road(conn, "R-1", "lokal", [(0, 0), (1000, 0)])
        a, b, c, d, e = (
            add_lamp(conn, n, 48 * (n - 1), 0, road_id=road, wattage=100) for n in range(1, 6)
        )
        lon, lat = conn.execute(
            text("SELECT ST_X(geom), ST_Y(geom) FROM lamp WHERE id = :lamp"), {"lamp": b}
        ).one()
        request = add_service_request(
            conn, service_code="lamp_out", lon=lon, lat=lat, requested_at=at(2, 1), lamp_id=b
        )
        events = [
            (a, "working", at(12, 1, year=2023)),
            (a, "out", at(1, 10, 8)),
            (a, "working", at(1, 11, 8)),
            (b, "working", at(12, 1, year=2023)),
            (b, "out", at(2, 1, 12)),
            (b, "working", at(2, 5)),
            (c, "working", at(12, 1, year=2023)),
            (c, "damaged", at(3, 20)),
            (c, "in_repair", at(3, 22)),
            (c, "working", at(4, 2)),
            (d, "working", at(12, 1, year=2023)),
            (d, "out", at(12, 20, year=2023)),
            (d, "working", at(1, 2, 12)),
            (e, "decommissioned", at(6, 1, year=2023)),
        ]
        record_lamp_events(
            conn,
            [
                NewLampEvent(
                    lamp,
                    status,
                    "field",
                    moment,
                    service_request_id=request if (lamp, status) == (b, "out") else None,
                )
                for lamp, status, moment in events
            ],
        )


def test_quarter_figures_known_by_hand(engine: Engine) -> None:
    """Q1 2024: 4 lamps, 75 % working, 3 reported, 3 repaired, median 96 h, 33.3 % in SLA."""
    build_quarter(engine)
    report = spm_report(engine, year=2024, quarter=1, settings=Settings())
    expected = {
        "lamps_total": 4,
        "lamps_working": 3,
        "pct_working": 75.0,
        "faults_reported": 3,
        "faults_repaired": 3,
        "median_repair_hours": 96.0,
        "pct_within_sla": 33.3,
        # A, B, D lit: [0, 72] + [120, 168] = 120 m of 1000 m.
        "coverage_pct": 12.0,
        # Working hours 2160 + 2100 + 1896 + 2148 = 8304 h × 100 W × 12/24 ÷ 1000.
        "energy_kwh": 415.2,
    }
    assert report["city"] == expected
    assert report["kecamatan"] == [{"code": "63.72.04", "name": "Banjarbaru Utara", **expected}]
    assert report["period"]["start"] == "2024-01-01T00:00:00+08:00"


def test_trend_covers_each_quarter_so_far(engine: Engine) -> None:
    """The Q2 report carries Q1 and Q2: C's 312 h repair lands in Q2, outside the 72 h SLA."""
    build_quarter(engine)
    report = spm_report(engine, year=2024, quarter=2, settings=Settings())
    assert [row["label"] for row in report["trend"]] == ["Triwulan I", "Triwulan II"]
    assert [row["pct_working"] for row in report["trend"]] == [75.0, 100.0]
    assert (
        report["city"]["faults_repaired"],
        report["city"]["median_repair_hours"],
        report["city"]["pct_within_sla"],
    ) == (1, 312.0, 0.0)


def test_sla_follows_settings(engine: Engine) -> None:
    """With a 100 h SLA, two of the three Q1 repairs (24 h, 96 h) are within it."""
    build_quarter(engine)
    report = spm_report(engine, year=2024, quarter=1, settings=Settings(sla_hours=100))
    assert report["city"]["pct_within_sla"] == 66.7


@pytest.mark.parametrize(
    ("year", "quarter", "message"),
    [
        (2024, 5, "Quarter must be 1, 2, 3 or 4"),
        (1990, 1, "out of range"),
        (2099, 1, "has not started yet"),
    ],
)
def test_bad_quarter_is_refused(engine: Engine, year: int, quarter: int, message: str) -> None:
    """An impossible or future quarter is a clear error, not an empty report."""
    with pytest.raises(InvalidInput, match=message):
        spm_report(engine, year=year, quarter=quarter)
