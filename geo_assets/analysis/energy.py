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
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Select,
    cast,
    exists,
    extract,
    func,
    literal,
    literal_column,
    select,
    union_all,
)

from geo_assets import tables
from geo_assets.analysis.areas import resolve_kecamatan
from geo_assets.analysis.history import first_events
from geo_assets.analysis.reference import led_wattage, load_led_equivalents

DAYS_PER_MONTH = 30
DAYS_PER_YEAR = 365
# Lamps that exist and would burn if working; planned and decommissioned ones draw nothing.
NOT_IN_SERVICE = ("planned", "decommissioned")
_TIMESTAMPTZ = DateTime(timezone=True)
_INFINITY = cast(literal_column("'infinity'"), _TIMESTAMPTZ)
_MINUS_INFINITY = cast(literal_column("'-infinity'"), _TIMESTAMPTZ)


def _working_hours(start: datetime, end: datetime) -> Select[tuple]:
    """(lamp_id, kecamatan_id, wattage, hours): every lamp's working time inside [start, end).

    Bulk path, one statement. Before its first event a lamp had the status
    `history.status_before_first_event` says; a lamp with no events kept its current status
    throughout; nothing counts before it was installed.
    """
    lamp, event = tables.LAMP, tables.LAMP_EVENT.alias("e")
    start_at = cast(literal(start, _TIMESTAMPTZ), _TIMESTAMPTZ)
    end_at = cast(literal(end, _TIMESTAMPTZ), _TIMESTAMPTZ)
    following = func.lead(event.c.occurred_at).over(
        partition_by=event.c.lamp_id, order_by=(event.c.occurred_at, event.c.id)
    )
    events = (
        select(event.c.lamp_id, event.c.to_status, event.c.occurred_at, following.label("t1"))
        .where(event.c.occurred_at < end_at)
        .cte("ev")
    )
    first = first_events()
    any_event = tables.LAMP_EVENT.alias("any_event")
    spans = union_all(
        select(
            events.c.lamp_id,
            events.c.to_status.label("status"),
            events.c.occurred_at.label("t0"),
            func.coalesce(events.c.t1, _INFINITY).label("t1"),
        ),
        select(first.c.lamp_id, first.c.before_status, _MINUS_INFINITY, first.c.occurred_at),
        select(lamp.c.id, lamp.c.status, _MINUS_INFINITY, _INFINITY).where(
            ~exists().where(any_event.c.lamp_id == lamp.c.id)
        ),
    ).cte("spans")
    installed = func.coalesce(cast(lamp.c.installed_on, _TIMESTAMPTZ), _MINUS_INFINITY)
    begins = func.greatest(spans.c.t0, start_at, installed)
    ends = func.least(spans.c.t1, end_at)
    kelurahan = tables.KELURAHAN
    return (
        select(
            lamp.c.id.label("lamp_id"),
            kelurahan.c.kecamatan_id,
            lamp.c.wattage,
            func.sum(extract("epoch", ends - begins) / 3600.0).label("hours"),
        )
        .select_from(
            spans.join(lamp, lamp.c.id == spans.c.lamp_id).outerjoin(
                kelurahan, kelurahan.c.id == lamp.c.kelurahan_id
            )
        )
        .where(spans.c.status == "working", ends > begins)
        .group_by(lamp.c.id, kelurahan.c.kecamatan_id, lamp.c.wattage)
    )


def _lamps_in_service(kecamatan_id: int | None) -> Select[tuple]:
    lamp, kelurahan = tables.LAMP, tables.KELURAHAN
    stmt = (
        select(
            lamp.c.id,
            lamp.c.code,
            lamp.c.lamp_type,
            lamp.c.wattage,
            lamp.c.status,
            lamp.c.kelurahan_id,
            kelurahan.c.kecamatan_id,
        )
        .join_from(lamp, kelurahan, kelurahan.c.id == lamp.c.kelurahan_id, isouter=True)
        .where(lamp.c.status.not_in(NOT_IN_SERVICE))
    )
    if kecamatan_id is not None:
        stmt = stmt.where(kelurahan.c.kecamatan_id == kecamatan_id)
    return stmt


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
    rows = conn.execute(_lamps_in_service(kecamatan_id)).all()
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
    rows = conn.execute(_working_hours(start, end)).all()
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
