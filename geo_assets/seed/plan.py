"""The whole sample city, built in memory as rows ready for COPY (no database involved)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString

from geo_assets.seed import burials, history, lamps, musala
from geo_assets.seed.boundaries import build_boundaries
from geo_assets.seed.cemeteries import obstacles, place_cemeteries
from geo_assets.seed.geometry import ewkt, ewkt_all, metric_to_lonlat, point_ewkt, to_lonlat
from geo_assets.seed.inputs import CityInputs, load_inputs
from geo_assets.seed.roads import build_roads, city_inner, skeleton_roads
from geo_assets.services import due_at
from geo_assets.settings import Settings

Rows = list[tuple[Any, ...]]
# Independent random streams, so that changing one part leaves the others as they were.
STREAMS = {
    "boundaries": 1,
    "skeleton": 2,
    "streets": 3,
    "lighting": 4,
    "lamps": 5,
    "history": 6,
    "burials": 7,
    "musala": 8,
}


# The seed's own rows for the lamp table, with what history and placement already know
# (kelurahan, status), so no trigger or status update has to work them out again.
LAMP_COLUMNS = (
    "id",
    "code",
    "road_id",
    "kelurahan_id",
    "lamp_type",
    "wattage",
    "pole_height_m",
    "mounting",
    "ownership",
    "power_billing",
    "installed_on",
    "status",
    "status_changed_at",
    "version",
    "geom",
)
LAMP_CHUNK = 25_000
# An event batch never splits one lamp's history; ids follow time within each batch.
EVENT_BATCH = 200_000


@dataclass
class LampBatch:
    """Lamp rows and their history: events (`EVENT_STAGE_COLUMNS`) and requests
    (`REQUEST_STAGE_COLUMNS`), which point at each other by request key until numbered."""

    lamps: Rows = field(default_factory=list)
    events: Rows = field(default_factory=list)
    requests: Rows = field(default_factory=list)


@dataclass
class CityPlan:
    """Rows per table (explicit ids), and the lamps with their history as they are made."""

    tables: dict[str, Rows] = field(default_factory=dict)
    batches: Iterator[LampBatch] = field(default_factory=lambda: iter(()))
    lamp_count: int = 0
    achieved_km2: dict[str, float] = field(default_factory=dict)


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS[stream]])


def _rnd(seed: int, stream: str) -> random.Random:
    return random.Random(int(_rng(seed, stream).integers(2**62)))


def build_plan(
    *, seed: int, scale: int, settings: Settings, step: Callable[[str], None] = lambda _: None
) -> CityPlan:
    """The sample city for `seed` and `scale`; requests are due by the SLA of `settings`.

    Lamps, events and requests come from `plan.batches`, made while they are consumed.
    """
    inputs = load_inputs()
    plan = CityPlan()
    step("kecamatan and kelurahan")
    bounds = build_boundaries(inputs)
    plan.achieved_km2 = bounds.areas_km2()
    kecamatan_ids = {k.code: i for i, k in enumerate(inputs.kecamatan, start=1)}
    plan.tables["kecamatan"] = [
        (
            kecamatan_ids[k.code],
            k.code,
            k.name,
            k.official_area_km2,
            ewkt(bounds.kecamatan_lonlat[k.code]),
        )
        for k in inputs.kecamatan
    ]
    kelurahan_lonlat = [bounds.kelurahan_lonlat[k.code] for k in inputs.kelurahan]
    plan.tables["kelurahan"] = [
        (i, k.code, k.name, kecamatan_ids[k.kecamatan_code], ewkt(geom))
        for i, (k, geom) in enumerate(zip(inputs.kelurahan, kelurahan_lonlat, strict=True), start=1)
    ]
    step("roads and cemeteries")
    inner = city_inner(inputs, bounds)
    skeleton = skeleton_roads(inputs, inner, _rng(seed, "skeleton"))
    tpu = place_cemeteries(inputs, skeleton, inner, list(bounds.kelurahan.values()))
    roads = build_roads(inputs, bounds, obstacles(tpu), skeleton, _rng(seed, "streets"))
    road_lonlat = to_lonlat(np.array([r.line for r in roads], dtype=object))
    plan.tables["road"] = [
        (i, r.code, r.name, r.road_class, r.surface, r.width_m, wkt)
        for i, (r, wkt) in enumerate(zip(roads, ewkt_all(road_lonlat), strict=True), start=1)
    ]
    burials_rnd = _rnd(seed, "burials")
    cemetery_facts = _cemetery_rows(
        plan, inputs, tpu, roads, bounds, kelurahan_lonlat, seed, burials_rnd
    )
    step("lamps")
    lighting, counts = lamps.plan_lighting(
        roads, inputs.roads, lamps.LAMPS_PER_SCALE * scale, _rng(seed, "lighting")
    )
    placed = lamps.place_lamps(roads, lighting, counts, _rng(seed, "lamps"))
    plan.lamp_count = len(placed)
    historian = history.LampHistorian(
        placed.lamp_type,
        texts=inputs.texts,
        names=inputs.names,
        seed=seed,
        rnd=_rnd(seed, "history"),
    )
    city = _City(inputs, roads, kelurahan_lonlat, placed, settings)

    def batches() -> Iterator[LampBatch]:
        events = _EventBatches()
        for start in range(0, len(placed), LAMP_CHUNK):
            yield city.lamp_batch(start, min(start + LAMP_CHUNK, len(placed)), historian, events)
        requests = history.cemetery_requests(
            cemetery_facts, texts=inputs.texts, rnd=burials_rnd, last_key=historian.last_key
        )
        yield LampBatch(requests=[_request_row(r, settings) for r in requests])

    plan.batches = batches()
    return plan


class _EventBatches:
    """Numbers events (from 0) and the batch each falls in, as lamps come."""

    def __init__(self) -> None:
        self.number, self.batch, self.batch_start, self.lamp_id = 0, 0, 0, 0

    def rows(self, events: list[history.SeedEvent]) -> Rows:
        """Staging rows: (batch, number, *event)."""
        rows = []
        for event in events:
            if self.number >= self.batch_start + EVENT_BATCH and event.lamp_id != self.lamp_id:
                self.batch, self.batch_start = self.batch + 1, self.number
            rows.append((self.batch, self.number, *event))
            self.number, self.lamp_id = self.number + 1, event.lamp_id
        return rows


@dataclass
class _City:
    """What the lamp batches are made from."""

    inputs: CityInputs
    roads: list
    kelurahan_lonlat: list
    placed: lamps.PlannedLamps
    settings: Settings
    coder: lamps.LampCoder = field(default_factory=lamps.LampCoder)

    def lamp_batch(
        self,
        start: int,
        stop: int,
        historian: history.LampHistorian,
        events: _EventBatches,
    ) -> LampBatch:
        """Lamps number `start` to `stop` (from 0) with their history."""
        inputs, placed, roads = self.inputs, self.placed, self.roads
        lonlat = metric_to_lonlat(placed.xy[start:stop])
        kelurahan_of = _containing(self.kelurahan_lonlat, lonlat)
        codes = self.coder.codes([inputs.kelurahan[k].kecamatan_code for k in kelurahan_of])
        rows = []
        for offset in range(stop - start):
            i = start + offset
            road = int(placed.road_index[i])
            kelurahan = int(kelurahan_of[offset])
            facts = history.LampFacts(
                id=i + 1,
                code=codes[offset],
                lon=float(lonlat[offset, 0]),
                lat=float(lonlat[offset, 1]),
                lamp_type=str(placed.lamp_type[i]),
                ownership=str(placed.ownership[i]),
                installed_on=placed.installed_on[i].item(),
                place=f"{roads[road].name}, {inputs.kelurahan[kelurahan].name}",
            )
            status, since = historian.add(i, facts)
            rows.append(
                (
                    facts.id,
                    facts.code,
                    road + 1,
                    kelurahan + 1,
                    facts.lamp_type,
                    int(placed.wattage[i]),
                    float(placed.pole_height_m[i]),
                    placed.mounting[i],
                    facts.ownership,
                    placed.power_billing[i],
                    facts.installed_on,
                    status,
                    since,
                    2,  # inserted, then its status set from its history (`record_lamp_events`)
                    point_ewkt(facts.lon, facts.lat),
                )
            )
        story = historian.take()
        return LampBatch(
            lamps=rows,
            events=events.rows(story.events),
            requests=[_request_row(r, self.settings) for r in story.requests],
        )


def _containing(polygons: list, lonlat: np.ndarray) -> np.ndarray:
    """Index of the first polygon covering each point (as the database trigger picks it)."""
    points = shapely.points(lonlat)
    point_index, polygon_index = shapely.STRtree(polygons).query(points, predicate="intersects")
    owner = np.full(len(lonlat), len(polygons))
    np.minimum.at(owner, point_index, polygon_index)
    if (owner == len(polygons)).any():
        raise RuntimeError("a lamp fell outside every kelurahan")
    return owner


def _request_row(r: history.Request, settings: Settings) -> tuple[Any, ...]:
    return (
        r.key,
        r.service_code,
        r.description,
        r.lon,
        r.lat,
        point_ewkt(r.lon, r.lat),
        r.address,
        r.first_name,
        r.last_name,
        r.status,
        r.status_notes,
        r.agency,
        r.requested_at,
        r.lamp_id,
        r.duplicate_of,  # a key until numbered
        r.work_state,
        due_at(r.service_code, r.requested_at, settings),
        r.resolution,
        r.resolved_at,
        r.closed_at,
    )


# As staged: the request's key in place of its id, duplicate_of_id holds a key too.
REQUEST_COLUMNS = (
    "id",
    "service_code",
    "description",
    "lon",
    "lat",
    "geom",
    "address_string",
    "first_name",
    "last_name",
    "status",
    "status_notes",
    "agency_responsible",
    "requested_at",
    "lamp_id",
    "duplicate_of_id",
    "work_state",
    "due_at",
    "resolution",
    "resolved_at",
    "closed_at",
)


def _cemetery_rows(
    plan: CityPlan,
    inputs: CityInputs,
    tpu: list,
    roads: list,
    bounds: Any,
    kelurahan_lonlat: list,
    seed: int,
    rnd: random.Random,
) -> list[history.CemeteryFacts]:
    """TPU, blocks, plots, interments, access roads and musala; what requests about them need.

    `rnd` (of the burials stream) goes on to make those requests after the lamps'.
    """
    config, people = inputs.cemeteries, inputs.names["people"]
    rng = _rng(seed, "burials")
    street_names = sorted({r.name for r in roads if r.road_class in ("lokal", "kolektor")})
    tables: dict[str, Rows] = {
        name: []
        for name in (
            "cemetery",
            "cemetery_block",
            "plot",
            "interment",
            "access_road",
            "prayer_room",
        )
    }
    facts = []
    for number, cemetery in enumerate(tpu, start=1):
        entry = cemetery.config
        gate = metric_to_lonlat(cemetery.gate[None, :])[0]
        kelurahan = inputs.kelurahan[_containing(kelurahan_lonlat, gate[None, :])[0]]
        road = roads[cemetery.road_index]
        address = f"{road.name}, {kelurahan.name}"
        statuses = burials.plot_statuses(len(cemetery.plots), entry, rng)
        tables["cemetery"].append(
            (
                number,
                cemetery.code,
                entry["name"],
                entry["kind"],
                entry.get("manager", config["manager"]),
                f"{address}, Banjarbaru",
                len(statuses),
                point_ewkt(*gate),
                ewkt(to_lonlat(cemetery.polygon)),
            )
        )
        first_block = len(tables["cemetery_block"]) + 1
        for offset, (code, name, polygon) in enumerate(cemetery.blocks):
            tables["cemetery_block"].append(
                (first_block + offset, code, number, name, ewkt(to_lonlat(polygon)))
            )
        first_plot = len(tables["plot"]) + 1
        polygons = ewkt_all(to_lonlat(cemetery.plot_polygons))
        for offset, ((code, block, row, no), status, wkt) in enumerate(
            zip(cemetery.plots, statuses, polygons, strict=True)
        ):
            tables["plot"].append(
                (first_plot + offset, code, first_block + block, row, no, status, wkt)
            )
        for burial in burials.interments(
            statuses, entry, people, street_names, kelurahan.name, rng, rnd
        ):
            tables["interment"].append(
                (
                    len(tables["interment"]) + 1,
                    first_plot + burial.plot_index,
                    burial.deceased_name,
                    burial.born_on,
                    burial.died_on,
                    burial.buried_on,
                    burial.heir_name,
                    burial.heir_phone,
                    burial.heir_address,
                    burial.notes,
                )
            )
        tables["access_road"].append(_access_row(number, cemetery, config))
        facts.append(
            history.CemeteryFacts(
                entry["name"],
                float(gate[0]),
                float(gate[1]),
                address,
                entry["access"][0],
                entry["musala"],
            )
        )
    urban = [
        i
        for i, r in enumerate(roads)
        if r.road_class in ("lokal", "lingkungan") and _urban(r.line, bounds, inputs)
    ]
    rooms = musala.plan_musala(
        tpu,
        roads,
        urban,
        inputs.names["musala"],
        neighbourhood=config["neighbourhood_musala"],
        standalone_planned=config["standalone_planned_musala"],
        rng=_rng(seed, "musala"),
    )
    for number, room in enumerate(rooms, start=1):
        lon, lat = metric_to_lonlat(room.xy[None, :])[0]
        tables["prayer_room"].append(
            (
                number,
                f"MSL-{number:03d}",
                room.name,
                None if room.cemetery_index is None else room.cemetery_index + 1,
                room.status,
                room.capacity,
                room.estimated_cost_idr,
                room.planned_year,
                point_ewkt(lon, lat),
            )
        )
    plan.tables.update(tables)
    return facts


def _urban(line: LineString, bounds: Any, inputs: CityInputs) -> bool:
    midpoint = line.interpolate(0.5, normalized=True)
    return any(
        k.urban_weight >= 1.5 and bounds.kelurahan[k.code].contains(midpoint)
        for k in inputs.kelurahan
    )


def _access_row(number: int, cemetery: Any, config: dict[str, Any]) -> tuple[Any, ...]:
    condition, surface = cemetery.config["access"]
    line = cemetery.access_line
    length = round(line.length)
    improvement, cost = None, None
    if condition == "poor":
        improvement = (
            f"Perbaikan lubang dan pelapisan ulang (overlay) sepanjang {length} m, lebar 4 m"
        )
    elif condition == "impassable":
        improvement = (
            f"Pembangunan badan jalan baru: timbunan sirtu, lapis pondasi dan "
            f"perkerasan beton sepanjang {length} m, lebar 4 m, dengan saluran drainase"
        )
    if improvement:
        cost = int(round(line.length * config["access_cost_idr_per_m"][condition], -5))
    return (
        number,
        f"AKS-{cemetery.code}",
        f"Jalan akses {cemetery.config['name']}",
        number,
        cemetery.road_index + 1,
        condition,
        surface,
        4.0 if condition != "impassable" else 3.0,
        improvement,
        cost,
        ewkt(to_lonlat(line)),
    )
