"""Who lies where: plot statuses and interments, with burials spread over the years.

Plots fill in order (block A first, row by row), so the oldest graves are near the gate; a few
plots are unusable (waterlogged, roots) and some are reserved by families. Burials per year
grow over time, which gives each TPU a realistic "years until full".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

LAST_DAY = date(2024, 12, 31)


@dataclass(frozen=True)
class PlannedInterment:
    """One burial, before it is stored."""

    plot_index: int  # within the TPU's plots
    deceased_name: str
    born_on: date | None
    died_on: date
    buried_on: date
    heir_name: str | None
    heir_phone: str | None
    heir_address: str | None
    notes: str | None


def plot_statuses(count: int, config: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Status of each plot in layout order."""
    status = np.full(count, "available", dtype=object)
    unusable = rng.random(count) < config["unusable"]
    status[unusable] = "unusable"
    usable = np.flatnonzero(~unusable)
    occupied = usable[: round(count * config["occupied"])]
    status[occupied] = "occupied"
    free = np.flatnonzero(status == "available")
    reserved = rng.choice(
        free, size=min(len(free), round(count * config["reserved"])), replace=False
    )
    status[reserved] = "reserved"
    return status


def burial_dates(count: int, opened: int, rng: np.random.Generator) -> list[date]:
    """`count` burial dates from `opened` to the end of 2024, more each year, oldest first."""
    years = np.arange(opened, LAST_DAY.year + 1)
    weights = (years - opened + 1.0) ** 1.5
    per_year = rng.multinomial(count, weights / weights.sum())
    days: list[date] = []
    for year, n in zip(years, per_year, strict=True):
        offsets = np.sort(rng.integers(0, 365, n))
        days.extend(date(int(year), 1, 1) + timedelta(days=int(d)) for d in offsets)
    return days


def _deceased(rnd: random.Random, kind: str, people: dict[str, Any]) -> str:
    if kind == "general":
        kind = rnd.choice(["muslim", "muslim", "christian", "chinese"])
    if kind == "chinese":
        return rnd.choice(people["chinese"])
    male = rnd.random() < 0.55
    if kind in ("christian", "catholic"):
        return rnd.choice(people["christian_male" if male else "christian_female"])
    prefix = rnd.choice(people["muslim_prefix_male" if male else "muslim_prefix_female"])
    own = rnd.choice(people["muslim_male" if male else "muslim_female"])
    father = rnd.choice(people["muslim_male"])
    return f"{prefix}{own} {'bin' if male else 'binti'} {father}"


def _phone(rnd: random.Random, prefixes: list[str]) -> str:
    return f"{rnd.choice(prefixes)}-{rnd.randint(1000, 9999)}-{rnd.randint(1000, 9999)}"


def interments(
    statuses: np.ndarray,
    config: dict[str, Any],
    people: dict[str, Any],
    street_names: list[str],
    kelurahan_name: str,
    rng: np.random.Generator,
    rnd: random.Random,
) -> list[PlannedInterment]:
    """One interment per occupied plot, buried in fill order."""
    occupied = np.flatnonzero(statuses == "occupied")
    dates = burial_dates(len(occupied), int(config["opened"]), rng)
    rows = []
    for plot_index, buried in zip(occupied, dates, strict=True):
        died = buried - timedelta(days=0 if rnd.random() < 0.8 else 1)
        age = (
            rnd.randint(0, 15) if rnd.random() < 0.08 else min(100, max(18, int(rnd.gauss(68, 12))))
        )
        born = (
            None if rnd.random() < 0.1 else died - timedelta(days=age * 365 + rnd.randint(0, 364))
        )
        known = buried.year >= 2000 or rnd.random() < 0.5
        heir = _deceased(rnd, config["kind"], people).split(" bin")[0] if known else None
        address = (
            (f"{rnd.choice(street_names)} No. {rnd.randint(1, 120)}, {kelurahan_name}, Banjarbaru")
            if known
            else None
        )
        rows.append(
            PlannedInterment(
                plot_index=int(plot_index),
                deceased_name=_deceased(rnd, config["kind"], people),
                born_on=born,
                died_on=died,
                buried_on=buried,
                heir_name=heir,
                heir_phone=_phone(rnd, people["phone_prefixes"]) if known else None,
                heir_address=address,
                notes="Makam tumpang (satu liang dengan keluarga)" if rnd.random() < 0.02 else None,
            )
        )
    return rows
