"""Quarterly SPM figures (Standar Pelayanan Minimal, Triwulan I–IV) per kecamatan and city.

Per area: lamps in service and the share working at quarter end, faults reported and repaired
in the quarter, the median repair time and the share repaired within the SLA, coverage at
quarter end, and the energy used in the quarter. Quarters run in the city's time (WITA).

A fault episode starts at a lamp's first `out`/`damaged` event after it was working, or at an
earlier service request for that lamp made since it was last seen working; it ends at the
next `working` event (SPEC §5). Repair time = end − start; within SLA when ≤ `sla_hours`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Engine, Select, func, select, text

from geo_assets import tables
from geo_assets.analysis.areas import kecamatan_list
from geo_assets.analysis.coverage import CoverageResult, coverage_over_time
from geo_assets.analysis.energy import energy_between
from geo_assets.analysis.history import lamp_states
from geo_assets.analysis.sql import without_jit
from geo_assets.errors import InvalidInput
from geo_assets.settings import Settings

CITY_TIMEZONE = ZoneInfo("Asia/Makassar")  # WITA, UTC+8
QUARTER_LABELS = {1: "Triwulan I", 2: "Triwulan II", 3: "Triwulan III", 4: "Triwulan IV"}

# Every fault episode that may touch the year: when it started and when it was fixed.
_EPISODES = text("""
    WITH ev AS (
        SELECT e.lamp_id, e.to_status, e.occurred_at,
               lag(e.to_status) OVER (PARTITION BY e.lamp_id ORDER BY e.occurred_at, e.id)
                   AS previous
        FROM lamp_event e
    ), fault AS (
        SELECT lamp_id, occurred_at AS fault_at FROM ev
        WHERE to_status IN ('out', 'damaged')
          AND (previous IS NULL OR previous NOT IN ('out', 'damaged', 'in_repair'))
    ), episode AS (
        SELECT f.lamp_id, f.fault_at,
               (SELECT min(e.occurred_at) FROM lamp_event e WHERE e.lamp_id = f.lamp_id
                  AND e.to_status = 'working' AND e.occurred_at > f.fault_at) AS fixed_at,
               (SELECT max(e.occurred_at) FROM lamp_event e WHERE e.lamp_id = f.lamp_id
                  AND e.to_status = 'working' AND e.occurred_at <= f.fault_at) AS seen_working
        FROM fault f
    )
    SELECT ep.lamp_id, k.kecamatan_id,
           least(ep.fault_at, (
               SELECT min(r.requested_at) FROM service_request r
               WHERE r.lamp_id = ep.lamp_id AND r.requested_at <= ep.fault_at
                 AND (ep.seen_working IS NULL OR r.requested_at > ep.seen_working)
           )) AS started_at,
           ep.fixed_at
    FROM episode ep
    JOIN lamp l ON l.id = ep.lamp_id
    LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
    WHERE ep.fault_at < :end AND (ep.fixed_at IS NULL OR ep.fixed_at >= :start)
""")


def _lamps_at(at: datetime) -> Select[tuple]:
    """Lamps in service at `at` per kecamatan and status: (kecamatan_id, status, n)."""
    state = lamp_states(at).subquery("s")
    kelurahan = tables.KELURAHAN
    return (
        select(kelurahan.c.kecamatan_id, state.c.status, func.count().label("n"))
        .join_from(state, kelurahan, kelurahan.c.id == state.c.kelurahan_id, isouter=True)
        .where(state.c.status.not_in(("planned", "decommissioned")))
        .group_by(kelurahan.c.kecamatan_id, state.c.status)
    )


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """[start, end) of a quarter in city time."""
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"Year {year} is out of range (2000–2100).")
    if quarter not in QUARTER_LABELS:
        raise InvalidInput(f"Quarter must be 1, 2, 3 or 4, got {quarter}.")
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=CITY_TIMEZONE)
    end = (
        datetime(year + 1, 1, 1, tzinfo=CITY_TIMEZONE)
        if quarter == 4
        else datetime(year, 3 * quarter + 1, 1, tzinfo=CITY_TIMEZONE)
    )
    return start, end


def spm_report(
    engine: Engine, *, year: int, quarter: int, settings: Settings | None = None
) -> dict[str, Any]:
    """The SPM figures of one quarter, per kecamatan and city, with the year's trend so far."""
    settings = settings or Settings()
    start, end = quarter_bounds(year, quarter)
    if start > datetime.now(CITY_TIMEZONE):
        raise InvalidInput(f"{QUARTER_LABELS[quarter]} {year} has not started yet.")
    with engine.connect() as conn:
        without_jit(conn)
        kecamatan = kecamatan_list(conn)
        episodes = _episodes(conn, *quarter_bounds(year, 1)[:1], end)
        quarters = [quarter_bounds(year, q) for q in range(1, quarter + 1)]
        coverage = coverage_over_time(
            engine,
            moments=[q_end - timedelta(microseconds=1) for _, q_end in quarters],
            settings=settings,
        )
        trend = [
            (q, _quarter_figures(conn, q_start, q_end, episodes, cov, settings))
            for q, ((q_start, q_end), cov) in enumerate(zip(quarters, coverage, strict=True), 1)
        ]
    figures = trend[-1][1]
    return {
        "year": year,
        "quarter": quarter,
        "label": f"{QUARTER_LABELS[quarter]} {year}",
        "period": {"start": start.isoformat(), "end": end.isoformat(), "timezone": "Asia/Makassar"},
        "sla_hours": settings.sla_hours,
        "burning_hours_per_night": settings.burning_hours_per_night,
        "city": figures["city"],
        "kecamatan": [
            {"code": k.code, "name": k.name, **figures["by_kecamatan"].get(k.id, _empty())}
            for k in kecamatan
        ],
        "trend": [{"quarter": q, "label": QUARTER_LABELS[q], **f["city"]} for q, f in trend],
    }


def _episodes(conn: Connection, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(_EPISODES, {"start": start, "end": end}).all()
    frame = pd.DataFrame(
        list(map(tuple, rows)), columns=["lamp_id", "kecamatan_id", "started_at", "fixed_at"]
    )
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    frame["fixed_at"] = pd.to_datetime(frame["fixed_at"], utc=True)
    frame["hours"] = (frame["fixed_at"] - frame["started_at"]).dt.total_seconds() / 3600.0
    return frame


def _quarter_figures(
    conn: Connection,
    start: datetime,
    end: datetime,
    episodes: pd.DataFrame,
    coverage: CoverageResult,
    settings: Settings,
) -> dict[str, Any]:
    at_end = end - timedelta(microseconds=1)
    lamps = pd.DataFrame(
        list(map(tuple, conn.execute(_lamps_at(at_end)))),
        columns=["kecamatan_id", "status", "n"],
    )
    energy = energy_between(
        conn, start=start, end=end, burning_hours_per_night=settings.burning_hours_per_night
    )
    coverage_by_code = {row["code"]: row["coverage_pct"] for row in coverage.kecamatan}
    ts_start, ts_end = pd.Timestamp(start), pd.Timestamp(end)
    reported = episodes[(episodes["started_at"] >= ts_start) & (episodes["started_at"] < ts_end)]
    repaired = episodes[(episodes["fixed_at"] >= ts_start) & (episodes["fixed_at"] < ts_end)]

    def figures(mask_of: Any, coverage_pct: float | None) -> dict[str, Any]:
        return _figures(
            lamps[mask_of(lamps)],
            reported[mask_of(reported)],
            repaired[mask_of(repaired)],
            energy[mask_of(energy)],
            coverage_pct,
            settings.sla_hours,
        )

    by_kecamatan = {
        k.id: figures(lambda f, k=k: f["kecamatan_id"] == k.id, coverage_by_code.get(k.code))
        for k in kecamatan_list(conn)
    }
    city = figures(lambda f: pd.Series(True, index=f.index), coverage.city["coverage_pct"])
    return {"city": city, "by_kecamatan": by_kecamatan}


def _figures(
    lamps: pd.DataFrame,
    reported: pd.DataFrame,
    repaired: pd.DataFrame,
    energy: pd.DataFrame,
    coverage_pct: float | None,
    sla_hours: float,
) -> dict[str, Any]:
    total = int(lamps["n"].sum())
    working = int(lamps.loc[lamps["status"] == "working", "n"].sum())
    hours = repaired["hours"]
    return {
        "lamps_total": total,
        "lamps_working": working,
        "pct_working": round(100 * working / total, 1) if total else None,
        "faults_reported": len(reported),
        "faults_repaired": len(repaired),
        "median_repair_hours": round(float(hours.median()), 1) if len(hours) else None,
        "pct_within_sla": round(100 * float((hours <= sla_hours).mean()), 1)
        if len(hours)
        else None,
        "coverage_pct": coverage_pct,
        "energy_kwh": round(float(energy["kwh"].sum()), 1),
    }


def _empty() -> dict[str, Any]:
    return _figures(
        pd.DataFrame({"n": [], "status": []}),
        pd.DataFrame(),
        pd.DataFrame({"hours": []}),
        pd.DataFrame({"kwh": []}),
        None,
        0.0,
    )


FIGURE_LABELS = {
    "lamps_total": "Jumlah lampu",
    "lamps_working": "Lampu menyala",
    "pct_working": "% menyala (akhir triwulan)",
    "faults_reported": "Gangguan dilaporkan",
    "faults_repaired": "Gangguan diperbaiki",
    "median_repair_hours": "Median waktu perbaikan (jam)",
    "pct_within_sla": "% diperbaiki dalam SLA",
    "coverage_pct": "Cakupan penerangan (%)",
    "energy_kwh": "Energi (kWh)",
}
