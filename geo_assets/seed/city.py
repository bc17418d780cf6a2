"""`seed_city`: build the sample city in memory, then write it in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from sqlalchemy import Engine

from geo_assets.bulk import log_bulk_write, row_audit_off
from geo_assets.errors import InvalidInput
from geo_assets.seed.plan import build_plan
from geo_assets.seed.writer import DATA_TABLES, empty_tables, refuse_if_full, write_plan
from geo_assets.settings import Settings

Progress = Callable[[str, int, int], None]
STEPS = (
    "checking the database",
    "kecamatan and kelurahan",
    "roads and cemeteries",
    "lamps",
    "emptying the database",
    "writing boundaries and roads",
    "lamps and two years of their history",
    "writing service requests",
    "recording lamp events",
    "indexing lamps and their history",
    "writing cemeteries, plots and musala",
    "done",
)


@dataclass(frozen=True)
class SeedSummary:
    """How many rows of each kind the seed wrote, and how long it took."""

    kecamatan: int
    kelurahan: int
    roads: int
    lamps: int
    lamp_events: int
    service_requests: int
    cemeteries: int
    cemetery_blocks: int
    plots: int
    interments: int
    access_roads: int
    prayer_rooms: int
    seconds: float

    def counts(self) -> list[tuple[str, int]]:
        """(name, count) of every table, for a summary table."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.name != "seconds"]


class _Steps:
    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.done = progress, 0

    def __call__(self, label: str) -> None:
        if self.progress:
            self.progress(label, self.done, len(STEPS))
        self.done = min(STEPS.index(label) + 1 if label in STEPS else self.done + 1, len(STEPS))


def seed_city(
    engine: Engine,
    *,
    scale: int = 1,
    seed: int = 42,
    replace: bool = False,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> SeedSummary:
    """Build the Banjarbaru sample (14,000 × `scale` lamps) into an empty database.

    Refuses a database that holds sample data unless `replace`, which empties it first.
    `progress(step, done, total)` is called as the work goes on. Service requests are due by
    the SLA of `settings` (default: read from the environment now).
    """
    if scale < 1:
        raise InvalidInput(f"--scale must be 1 or more, not {scale}.")
    started = time.perf_counter()
    step = _Steps(progress)
    step("checking the database")
    if not replace:
        with engine.connect() as connection:
            refuse_if_full(connection)
    plan = build_plan(seed=seed, scale=scale, settings=settings or Settings(), step=step)
    with engine.begin() as connection:
        step("emptying the database")
        if replace:
            empty_tables(connection)
        else:
            refuse_if_full(connection)
        row_audit_off(connection)
        step("writing boundaries and roads")
        t = write_plan(connection, plan, step)
        log_bulk_write(
            connection,
            actor="seed",
            table="lamp",
            count=sum(t.values()),
            summary=f"Banjarbaru sample city, seed {seed}, scale {scale}",
        )
    step("done")
    return SeedSummary(
        kecamatan=t["kecamatan"],
        kelurahan=t["kelurahan"],
        roads=t["road"],
        lamps=t["lamp"],
        lamp_events=t["lamp_event"],
        service_requests=t["service_request"],
        cemeteries=t["cemetery"],
        cemetery_blocks=t["cemetery_block"],
        plots=t["plot"],
        interments=t["interment"],
        access_roads=t["access_road"],
        prayer_rooms=t["prayer_room"],
        seconds=round(time.perf_counter() - started, 1),
    )


__all__ = ["DATA_TABLES", "STEPS", "SeedSummary", "seed_city"]
