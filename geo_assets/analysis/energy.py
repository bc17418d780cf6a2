"""Energy use of the street lights and the savings of converting them to LED (SPEC §5).

kWh = Σ wattage × burning hours per night × nights / 1000, burning hours from
`settings.burning_hours_per_night` (12 by default). LED equivalents per lamp type are in
`data/led_equivalents.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, text

from geo_assets.analysis.areas import resolve_kecamatan
from geo_assets.analysis.history import STATUS_BEFORE_FIRST_EVENT
from geo_assets.analysis.reference import led_wattage, load_led_equivalents

DAYS_PER_MONTH = 30
DAYS_PER_YEAR = 365
# Lamps that exist and would burn if working; planned and decommissioned ones draw nothing.
IN_SERVICE = "l.status NOT IN ('planned', 'decommissioned')"

# Bulk path: every lamp's working time inside [:start, :end) from its event history, in hours.
# Before its first event a lamp had the status `history.STATUS_BEFORE_FIRST_EVENT` says; a lamp
# with no events kept its current status throughout; nothing counts before it was installed.
_WORKING_HOURS = text(
    """
    WITH ev AS (
        SELECT e.lamp_id, e.to_status AS status, e.occurred_at AS t0,
               lead(e.occurred_at) OVER (PARTITION BY e.lamp_id ORDER BY e.occurred_at, e.id)
                   AS t1
        FROM lamp_event e WHERE e.occurred_at < :end
    ), first_event AS (
        SELECT DISTINCT ON (e.lamp_id) e.lamp_id, e.occurred_at,
               {before} AS before_status
        FROM lamp_event e ORDER BY e.lamp_id, e.occurred_at, e.id
    ), spans AS (
        SELECT lamp_id, status, t0, coalesce(t1, 'infinity') AS t1 FROM ev
        UNION ALL
        SELECT lamp_id, before_status, '-infinity', occurred_at
        FROM first_event
        UNION ALL
        SELECT l.id, l.status, '-infinity', 'infinity' FROM lamp l
        WHERE NOT EXISTS (SELECT 1 FROM lamp_event e WHERE e.lamp_id = l.id)
    )
    SELECT l.id AS lamp_id, k.kecamatan_id, l.wattage,
           sum(extract(epoch FROM least(s.t1, CAST(:end AS timestamptz))
               - greatest(s.t0, CAST(:start AS timestamptz),
                          coalesce(CAST(l.installed_on AS timestamptz), '-infinity'))) / 3600.0)
               AS hours
    FROM spans s
    JOIN lamp l ON l.id = s.lamp_id
    LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
    WHERE s.status = 'working'
      AND least(s.t1, CAST(:end AS timestamptz)) > greatest(
          s.t0, CAST(:start AS timestamptz),
          coalesce(CAST(l.installed_on AS timestamptz), '-infinity'))
    GROUP BY l.id, k.kecamatan_id, l.wattage
""".replace("{before}", STATUS_BEFORE_FIRST_EVENT)
)

_LAMPS_IN_SERVICE = f"""
    SELECT l.id, l.code, l.lamp_type, l.wattage, l.status, l.kelurahan_id, k.kecamatan_id
    FROM lamp l LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
    WHERE {IN_SERVICE}
      AND (CAST(:kecamatan_id AS integer) IS NULL OR k.kecamatan_id = :kecamatan_id)
"""


@dataclass(frozen=True)
class EnergyResult:
    """Monthly energy of the working lamps now, and what LED conversion would save."""

    kwh_per_month: float
    working_lamps: int
    non_led_lamps: int
    led_saving_kwh_per_year: float
    led_saving_pct: float | None
    burning_hours_per_night: float

    def as_dict(self) -> dict[str, Any]:
        """Plain figures for JSON."""
        return dict(self.__dict__)


def kwh(watts: float, hours_per_night: float, nights: float) -> float:
    """Energy in kWh of `watts` burning `hours_per_night` for `nights`."""
    return watts * hours_per_night * nights / 1000.0


def lamps_in_service(conn: Connection, *, kecamatan_id: int | None = None) -> pd.DataFrame:
    """Every lamp that is not planned or decommissioned, with its LED equivalent wattage."""
    rows = conn.execute(text(_LAMPS_IN_SERVICE), {"kecamatan_id": kecamatan_id}).all()
    frame = pd.DataFrame(
        list(map(tuple, rows)),
        columns=["id", "code", "lamp_type", "wattage", "status", "kelurahan_id", "kecamatan_id"],
    )
    equivalents = load_led_equivalents()
    frame["led_wattage"] = [
        led_wattage(equivalents, t, int(w))
        for t, w in zip(frame["lamp_type"], frame["wattage"], strict=True)
    ]
    return frame


def led_saving_kwh_per_year(wattage: float, led_watts: float, hours_per_night: float) -> float:
    """kWh a year saved by replacing a `wattage` W lamp by a `led_watts` W LED."""
    return kwh(max(wattage - led_watts, 0.0), hours_per_night, DAYS_PER_YEAR)


def monthly_energy(
    engine: Engine, *, burning_hours_per_night: float = 12.0, kecamatan: str | None = None
) -> EnergyResult:
    """kWh per month of the working lamps (30 nights) and the yearly LED-conversion saving."""
    with engine.connect() as conn:
        area = resolve_kecamatan(conn, kecamatan)
        lamps = lamps_in_service(conn, kecamatan_id=area.id if area else None)
    working = lamps[lamps["status"] == "working"]
    conventional = lamps[lamps["lamp_type"] != "led"]
    saving = float(
        sum(
            led_saving_kwh_per_year(w, led, burning_hours_per_night)
            for w, led in zip(conventional["wattage"], conventional["led_wattage"], strict=True)
        )
    )
    yearly_now = kwh(float(lamps["wattage"].sum()), burning_hours_per_night, DAYS_PER_YEAR)
    return EnergyResult(
        kwh_per_month=round(
            kwh(float(working["wattage"].sum()), burning_hours_per_night, DAYS_PER_MONTH), 1
        ),
        working_lamps=len(working),
        non_led_lamps=len(conventional),
        led_saving_kwh_per_year=round(saving, 1),
        led_saving_pct=round(100 * saving / yearly_now, 1) if yearly_now else None,
        burning_hours_per_night=burning_hours_per_night,
    )


def energy_between(
    conn: Connection, *, start: datetime, end: datetime, burning_hours_per_night: float
) -> pd.DataFrame:
    """kWh per lamp used in [start, end): its working hours × W × burning share of the day."""
    rows = conn.execute(_WORKING_HOURS, {"start": start, "end": end}).all()
    frame = pd.DataFrame(
        list(map(tuple, rows)), columns=["lamp_id", "kecamatan_id", "wattage", "hours"]
    )
    frame["kwh"] = (
        frame["wattage"].astype(float)
        * frame["hours"].astype(float)
        * burning_hours_per_night
        / 24.0
        / 1000.0
    )
    return frame
