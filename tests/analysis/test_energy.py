"""Energy use and LED savings on lamps whose answers are worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from geo_assets.analysis.energy import energy_between, monthly_energy
from geo_assets.analysis.spm import quarter_bounds
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from tests.analysis.builders import add_kecamatan, add_kelurahan, add_lamp

WITA = ZoneInfo("Asia/Makassar")


def build_lamps(engine: Engine) -> int:
    """A 60 W LED, a 150 W sodium lamp, a 250 W mercury lamp that is out, a planned lamp."""
    with engine.begin() as conn:
        kec = add_kecamatan(conn, "63.72.04", "Banjarbaru Utara", (-100, -100, 100, 100))
        add_kelurahan(conn, "63.72.04.1002", "Mentaos", kec, (-100, -100, 100, 100))
        add_lamp(conn, 1, 0, 0, road_id=None, lamp_type="led", wattage=60)
        add_lamp(conn, 2, 10, 0, road_id=None, lamp_type="sodium", wattage=150)
        add_lamp(conn, 3, 20, 0, road_id=None, lamp_type="mercury", wattage=250, status="out")
        return add_lamp(conn, 4, 30, 0, road_id=None, wattage=100, status="planned")


def test_monthly_energy_and_led_saving(engine: Engine) -> None:
    """(60 + 150) W × 12 h × 30 nights = 75.6 kWh a month; LED saves 306.6 + 919.8 kWh a year."""
    build_lamps(engine)
    result = monthly_energy(engine)
    assert (result.kwh_per_month, result.working_lamps, result.non_led_lamps) == (75.6, 2, 2)
    # sodium 150 → 80 W saves 70 W; mercury 250 → 80 W saves 170 W; × 12 h × 365 nights.
    assert result.led_saving_kwh_per_year == 306.6 + 744.6
    assert result.led_saving_pct == round(100 * 1051.2 / (460 * 12 * 365 / 1000), 1)


def test_lamp_counts_only_from_its_installation(engine: Engine) -> None:
    """A lamp put to work on 15 Feb 2024 burns 46 of Q1's 91 days: 100 W → 55.2 kWh."""
    lamp = build_lamps(engine)
    with engine.begin() as conn:
        record_lamp_events(
            conn, [NewLampEvent(lamp, "working", "staff", datetime(2024, 2, 15, tzinfo=WITA))]
        )
        conn.exec_driver_sql("UPDATE lamp SET status = 'decommissioned' WHERE id <> %s", (lamp,))
        start, end = quarter_bounds(2024, 1)
        used = energy_between(conn, start=start, end=end, burning_hours_per_night=12)
    assert used["kwh"].round(1).tolist() == [55.2]
    assert used["hours"].tolist() == [46 * 24]
    assert end - start == timedelta(days=91)
