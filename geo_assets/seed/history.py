"""Two years of lamp history (2023-2024) and the service requests that reported the faults.

Every lamp starts with an event when it was installed (or planned). Then faults arrive as a
Poisson process whose rate depends on the lamp type; each is reported by a resident (Open311),
a patrolling crew or the office, often goes through `in_repair`, and is fixed, mostly within
three days. Some lamps are still out at the end of 2024, a few were decommissioned, some new
points are still planned. Each request takes its service and agency from `geo_assets.services`;
its due time comes from the settings' SLA when the rows are built (`seed.plan`). Times are in
WITA (UTC+8).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, NamedTuple

import numpy as np

from geo_assets.services import (
    CEMETERY_FACILITY,
    CEMETERY_ROAD_DAMAGED,
    STREETLIGHT_DAMAGED,
    STREETLIGHT_OUT,
    get_service,
)

WITA = timezone(timedelta(hours=8), "WITA")
START = datetime(2023, 1, 1, tzinfo=WITA)
END = datetime(2024, 12, 31, 23, 59, tzinfo=WITA)
FAULTS_PER_YEAR = {"led": 0.12, "sodium": 0.30, "mercury": 0.45, "cfl": 0.40, "other": 0.35}
OPEN_AT_END_SHARE = 0.04
DECOMMISSIONED_SHARE = 0.005
PLANNED_SHARE = 0.01
SOURCES = (("open311", 0.45), ("field", 0.30), ("staff", 0.25))


@dataclass
class LampFacts:
    """What the history needs to know about one lamp."""

    id: int
    code: str
    lon: float
    lat: float
    lamp_type: str
    ownership: str
    installed_on: date | None
    place: str  # "<road>, <kelurahan>"
    new_in_history: bool = False


@dataclass
class Request:
    """A service request (Open311) and its work order, before ids are given."""

    key: int
    service_code: str
    description: str
    lon: float
    lat: float
    requested_at: datetime
    lamp_id: int | None
    address: str
    agency: str
    first_name: str | None = None
    last_name: str | None = None
    status: str = "open"
    work_state: str = "open"
    status_notes: str | None = None
    resolution: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    duplicate_of: int | None = None  # key of the original request
    id: int = 0


class SeedEvent(NamedTuple):
    """A lamp event as the seed stores it: the status before it is known, the request by key."""

    lamp_id: int
    from_status: str | None
    to_status: str
    note: str
    source: str
    actor: str | None
    occurred_at: datetime
    idempotency_key: str
    request_key: int | None


@dataclass
class History:
    """Events in lamp order (each lamp's in time order) and the requests, by key."""

    events: list[SeedEvent] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


class _Writer:
    """Builds the history of one lamp at a time, with the shared random source and texts."""

    def __init__(
        self, rnd: random.Random, texts: dict[str, Any], names: dict[str, Any], seed: int
    ) -> None:
        self.rnd, self.texts, self.names, self.seed = rnd, texts, names, seed
        self.history = History()
        self.request_keys = 0
        self._lamp_events: list[tuple[datetime, str, str, str | None, str, Request | None]] = []

    # -- small helpers -------------------------------------------------------------------
    def note(self, kind: str) -> str:
        return self.rnd.choice(self.texts["event_notes"][kind])

    def crew(self) -> str:
        return f"regu-pju-{self.rnd.randint(1, 6)}"

    def event(
        self,
        at: datetime,
        to: str,
        source: str,
        actor: str | None,
        request: Request | None = None,
        kind: str | None = None,
    ) -> None:
        self._lamp_events.append((at, to, source, actor, self.note(kind or to), request))

    def flush(self, lamp: LampFacts) -> tuple[str, datetime]:
        """Store the lamp's events in time order; returns its status and since when."""
        self._lamp_events.sort(key=lambda e: e[0])
        previous = None
        for number, (at, to, source, actor, note, request) in enumerate(self._lamp_events):
            self.history.events.append(
                SeedEvent(
                    lamp.id,
                    previous,
                    to,
                    note,
                    source,
                    actor,
                    at,
                    f"seed-{self.seed}-{lamp.code}-{number:03d}",
                    request.key if request else None,
                )
            )
            previous = to
        newest = self._lamp_events[-1]
        self._lamp_events = []
        return newest[1], newest[0]

    def request(
        self, lamp: LampFacts | None, service_code: str, at: datetime, **fields: Any
    ) -> Request:
        self.request_keys += 1
        templates = self.texts["requests"][service_code]
        place = lamp.place if lamp else fields.pop("address")
        road = place.split(",")[0]
        lon, lat = (lamp.lon, lamp.lat) if lamp else fields.pop("lonlat")
        jitter = 0.00012  # about 13 m: a resident's phone GPS, not the pole itself
        request = Request(
            key=self.request_keys,
            service_code=service_code,
            description=self.rnd.choice(templates).format(road=road),
            lon=lon + self.rnd.uniform(-jitter, jitter),
            lat=lat + self.rnd.uniform(-jitter, jitter),
            requested_at=at,
            lamp_id=lamp.id if lamp else None,
            address=f"{place}, Banjarbaru",
            agency=get_service(service_code).agency,
            **fields,
        )
        self.history.requests.append(request)
        return request

    def reporter(self) -> tuple[str | None, str | None]:
        if self.rnd.random() < 0.3:
            return None, None
        people = self.names["people"]
        pool = people["muslim_male"] if self.rnd.random() < 0.55 else people["muslim_female"]
        first, _, last = self.rnd.choice(pool).partition(" ")
        return first, last or None


def _night_time(rnd: random.Random, day: datetime) -> datetime:
    """A moment on `day` when a fault is noticed: mostly after dark."""
    hour = rnd.uniform(18, 30) if rnd.random() < 0.75 else rnd.uniform(6, 18)
    return day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=hour)


def _repair_hours(rnd: random.Random, damaged: bool) -> float:
    roll = rnd.random()
    if roll < 0.80:
        hours = 3 + 66 * rnd.betavariate(2, 3)
    elif roll < 0.96:
        hours = 72 + rnd.uniform(0, 330)
    else:
        hours = 400 + rnd.uniform(0, 1100)
    return hours * (1.3 if damaged and hours > 72 else 1.0)


def _fault(w: _Writer, lamp: LampFacts, t0: datetime, *, still_open: bool) -> datetime:
    """One fault of `lamp` at `t0` and what followed; returns when the lamp burned again."""
    rnd = w.rnd
    damaged = rnd.random() < 0.22
    kind = "damaged" if damaged else "out"
    source = rnd.choices([s for s, _ in SOURCES], [p for _, p in SOURCES])[0]
    request = None
    if source == "open311" or (source == "staff" and rnd.random() < 0.6):
        first, last = w.reporter() if source == "open311" else (None, None)
        request = w.request(
            lamp,
            STREETLIGHT_DAMAGED if damaged else STREETLIGHT_OUT,
            t0,
            first_name=first,
            last_name=last,
        )
    actor = {"open311": "open311", "field": w.crew(), "staff": "staf.perkim"}[source]
    w.event(t0, kind, source, actor, request)
    repair = timedelta(hours=_repair_hours(rnd, damaged))
    fixed_at = t0 + repair
    started = damaged or rnd.random() < 0.65
    started_at = t0 + min(timedelta(hours=rnd.uniform(2, 36)), repair * 0.6)
    if still_open:
        started = started and rnd.random() < 0.35
        fixed_at = END + timedelta(days=1)
        started_at = min(started_at, END - timedelta(minutes=5))
    crew = w.crew()
    if started and started_at < END:
        w.event(started_at, "in_repair", "field", crew, request)
    if request and request.service_code and rnd.random() < 0.06 and source == "open311":
        _duplicate(w, lamp, request, t0, min(fixed_at, END))
    if fixed_at > END:
        if request:
            _still_open(w, request, started and started_at < END, damaged)
        return fixed_at
    if request and lamp.ownership in ("pln", "private") and rnd.random() < 0.5:
        _not_ours(w, request, t0)
        w.event(fixed_at, "working", "staff", "staf.perkim", kind="working")
        return fixed_at
    w.event(fixed_at, "working", "field", crew, request)
    if request:
        _closed(w, request, fixed_at)
    return fixed_at


def _closed(w: _Writer, request: Request, fixed_at: datetime) -> None:
    request.resolved_at = fixed_at
    closed_at = fixed_at + timedelta(hours=w.rnd.uniform(2, 72))
    if closed_at > END:
        request.work_state, request.status_notes = "resolved", w.texts["status_notes"]["resolved"]
        return
    request.status, request.work_state, request.resolution = "closed", "closed", "fixed"
    request.closed_at = closed_at
    request.status_notes = w.rnd.choice(w.texts["status_notes"]["fixed"])


def _not_ours(w: _Writer, request: Request, t0: datetime) -> None:
    request.status, request.work_state, request.resolution = "closed", "closed", "not_fixed"
    request.resolved_at = t0 + timedelta(hours=w.rnd.uniform(20, 60))
    request.closed_at = request.resolved_at
    request.status_notes = w.texts["status_notes"]["not_ours"]


def _still_open(w: _Writer, request: Request, started: bool, damaged: bool) -> None:
    notes = w.texts["status_notes"]
    if started:
        request.work_state = "in_progress"
        request.status_notes = notes["waiting"] if damaged else notes["in_progress"]
    elif END - request.requested_at > timedelta(hours=12):
        request.work_state, request.status_notes = "assigned", notes["assigned"]
    else:
        request.status_notes = notes["received"]


def _duplicate(
    w: _Writer, lamp: LampFacts, original: Request, t0: datetime, until: datetime
) -> None:
    at = t0 + timedelta(hours=w.rnd.uniform(1, 30))
    if at >= until:
        return
    first, last = w.reporter()
    copy = w.request(lamp, original.service_code, at, first_name=first, last_name=last)
    copy.status, copy.work_state, copy.resolution = "closed", "closed", "duplicate"
    copy.resolved_at = copy.closed_at = min(at + timedelta(hours=w.rnd.uniform(1, 24)), END)
    copy.duplicate_of = original.key
    copy.status_notes = w.texts["status_notes"]["duplicate"]


def _at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=WITA)


def _working_life(w: _Writer, lamp: LampFacts, begin: datetime, open_at_end: bool) -> None:
    """Faults from `begin` to the end of 2024; with `open_at_end` the last one is not fixed."""
    rnd = w.rnd
    rate_per_day = FAULTS_PER_YEAR[lamp.lamp_type] / 365.0
    last_fault = END - timedelta(days=min(rnd.expovariate(1 / 25), 150))
    limit = max(last_fault, begin + timedelta(days=1)) if open_at_end else END
    t = begin
    while True:
        noticed = _night_time(rnd, t + timedelta(days=rnd.expovariate(rate_per_day)))
        t = max(noticed, t + timedelta(hours=1))
        if t >= limit:
            break
        t = _fault(w, lamp, t, still_open=False)
        if t > END:
            return
    if open_at_end and limit < END:
        _fault(w, lamp, limit, still_open=True)


def _planned_life(w: _Writer, lamp: LampFacts) -> date | None:
    """A planned point; a third of them are installed later. Returns the install date."""
    rnd = w.rnd
    planned_at = START + timedelta(days=rnd.uniform(60, 690))
    w.event(planned_at, "planned", "system", "sistem")
    installed_at = planned_at + timedelta(days=rnd.uniform(60, 240))
    if rnd.random() < 0.35 and installed_at < END:
        installed_at = _at_ten(installed_at.date())
        w.event(installed_at, "working", "staff", "staf.perkim", kind="installed")
        return installed_at.date()
    return None


@dataclass(frozen=True)
class Fates:
    """Which lamps (by index) are planned points, decommissioned, or still out at the end."""

    planned: frozenset[int]
    retired: frozenset[int]
    still_out: frozenset[int]


def choose_fates(lamp_types: np.ndarray, rnd: random.Random) -> Fates:
    """Draw the lamps whose history is not the usual one (a shuffle of all lamp indices)."""
    count = len(lamp_types)
    shuffled = list(range(count))
    rnd.shuffle(shuffled)
    order = np.array(shuffled, dtype=np.int64)
    del shuffled
    planned = order[: round(count * PLANNED_SHARE)]
    is_planned = np.zeros(count, dtype=bool)
    is_planned[planned] = True
    mercury = np.asarray(lamp_types, dtype=object) == "mercury"
    candidates = order[mercury[order] & ~is_planned[order]]
    retired = candidates[: round(count * DECOMMISSIONED_SHARE)]
    is_retired = np.zeros(count, dtype=bool)
    is_retired[retired] = True
    pool = order[~is_planned[order] & ~is_retired[order]]
    still_out = pool[: round(count * OPEN_AT_END_SHARE)]
    return Fates(*(frozenset(a.tolist()) for a in (planned, retired, still_out)))


class LampHistorian:
    """Two years of history for lamps given one after another, in lamp order.

    The same random draws as for all lamps at once, so the history does not depend on how
    the lamps are chunked; `take()` hands over the events and requests written so far.
    """

    def __init__(
        self,
        lamp_types: np.ndarray,
        *,
        texts: dict[str, Any],
        names: dict[str, Any],
        seed: int,
        rnd: random.Random,
    ) -> None:
        self.fates = choose_fates(lamp_types, rnd)
        self._w = _Writer(rnd, texts, names, seed)

    @property
    def last_key(self) -> int:
        """The key of the last request written."""
        return self._w.request_keys

    def add(self, index: int, lamp: LampFacts) -> tuple[str, datetime]:
        """Write the history of lamp number `index` (from 0); returns its status and since when.

        Lamps planned in 2023-2024 get `installed_on` set here (None while still planned).
        """
        w, rnd, fates = self._w, self._w.rnd, self.fates
        if index in fates.planned:
            lamp.installed_on = _planned_life(w, lamp)
            return w.flush(lamp)
        if lamp.installed_on is None:
            raise ValueError(f"lamp {lamp.code} has neither an install date nor a plan")
        installed = _at_ten(lamp.installed_on)
        source = "import" if installed < START else "system"
        actor = "impor-inventaris" if source == "import" else "sistem"
        w.event(
            installed,
            "working",
            source,
            actor,
            kind="import" if source == "import" else "installed",
        )
        if index in fates.retired:
            at = _at_ten((START + timedelta(days=rnd.uniform(30, 700))).date())
            w.event(at, "decommissioned", "staff", "staf.perkim")
        else:
            _working_life(w, lamp, max(installed, START), index in fates.still_out)
        return w.flush(lamp)

    def take(self) -> History:
        """The events and requests written since the last call."""
        taken, self._w.history = self._w.history, History()
        return taken


@dataclass(frozen=True)
class CemeteryFacts:
    """What the requests about a TPU need: where its gate is and what is wrong there."""

    name: str
    lon: float
    lat: float
    address: str
    access_condition: str
    musala: str


def cemetery_requests(
    cemeteries: list[CemeteryFacts],
    *,
    texts: dict[str, Any],
    rnd: random.Random,
    last_key: int,
) -> list[Request]:
    """Residents' requests about TPU: bad access roads, missing musala and other facilities.

    Their keys follow `last_key`, the lamps' last request.
    """
    w = _Writer(rnd, texts, {}, 0)
    w.request_keys = last_key
    notes = texts["status_notes"]
    for cemetery in cemeteries:
        bad_road = cemetery.access_condition in ("poor", "impassable")
        wants = [CEMETERY_ROAD_DAMAGED] * (rnd.randint(2, 4) if bad_road else 0)
        wants += [CEMETERY_FACILITY] * rnd.randint(1, 3 if cemetery.musala != "existing" else 1)
        for service_code in wants:
            at = _night_time(rnd, START + timedelta(days=rnd.uniform(0, 725))) - timedelta(hours=9)
            request = w.request(
                None,
                service_code,
                at,
                address=cemetery.address,
                lonlat=(cemetery.lon, cemetery.lat),
            )
            if rnd.random() < 0.45 or at > END - timedelta(days=20):
                request.work_state = "assigned"
                request.status_notes = notes["cemetery_planned"]
            else:
                request.status, request.work_state = "closed", "closed"
                request.resolution = "fixed" if not bad_road else "not_fixed"
                request.resolved_at = at + timedelta(days=rnd.uniform(3, 20))
                request.closed_at = request.resolved_at
                request.status_notes = notes[
                    "cemetery_done" if not bad_road else "cemetery_planned"
                ]
    return w.history.requests
