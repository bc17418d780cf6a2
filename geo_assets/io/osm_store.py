"""`import_osm`: store an OpenStreetMap extract's roads, lamps, cemeteries and prayer rooms.

One transaction: a feature whose OSM id is stored is updated (only with what OSM says: a value
the extract leaves out keeps what the office recorded), a new one is created with a code in our
pattern (`JLN-0001`, `PJU-<kecamatan>-00001`, `TPU-01`, `MSL-001`, numbered after the highest
used), and features outside the city are skipped. A lamp without an OSM id whose code is the
node's `ref` (a lamp we exported, as uploaded by a mapper or still a JOSM draft with a negative
id) is matched by that code; any other element with a negative id is skipped (it has no OSM id
yet to be found by next time). Afterwards every
lamp of the extract is linked to the nearest road within 30 m (or to none). Nothing is deleted:
a feature gone from OSM stays. One summary audit row per table names the file.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely
from geoalchemy2.shape import from_shape
from shapely import Geometry
from sqlalchemy import (
    ARRAY,
    Connection,
    Engine,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from geo_assets import tables
from geo_assets.bulk import set_actor, without_row_audit
from geo_assets.errors import Conflict
from geo_assets.io import osm_tags
from geo_assets.io.lamps import SNAP_DISTANCE_M
from geo_assets.io.lookups import city_area, kecamatan_shapes, last_lamp_numbers, lock_for_import
from geo_assets.io.osm import KINDS, OsmPlan, Planned, plan_features, read_osm
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models.base import METRIC_SRID, SRID

OUTSIDE = "outside the city"
# OSM stores coordinates to 7 decimals (≈ 1 cm): a smaller difference is no move.
OSM_PRECISION = 1e-7
# A negative id is JOSM's for an element not uploaded yet: no id to find it by next time.
NOT_UPLOADED = "new in JOSM, not in OSM yet"
TABLES: dict[str, Table] = {
    "roads": tables.ROAD,
    "lamps": tables.LAMP,
    "cemeteries": tables.CEMETERY,
    "prayer-rooms": tables.PRAYER_ROOM,
}
# Code prefix and digits of features made from OSM, as the seed numbers them.
CODE_FORMAT = {"roads": ("JLN", 4), "cemeteries": ("TPU", 2), "prayer-rooms": ("MSL", 3)}
# A cemetery's capacity is not in OSM: estimated at one plot (grave and path) per 5 m².
SQUARE_METRES_PER_PLOT = 5.0


@dataclass
class KindCounts:
    """Created, updated, unchanged and skipped (by reason) features of one kind."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class OsmImportReport:
    """What `import_osm` did, per kind, and how the extract's lamps were linked to roads."""

    path: Path
    counts: dict[str, KindCounts] = field(default_factory=lambda: defaultdict(KindCounts))
    lamps_on_a_road: int = 0
    lamps_without_road: int = 0

    def lines(self) -> list[str]:
        """One line per kind, then the lamps' roads: what a person reads after the import."""
        out = []
        for kind in KINDS:
            counts = self.counts[kind]
            line = (
                f"{kind}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged, {sum(counts.skipped.values())} skipped"
            )
            if counts.skipped:
                reasons = ", ".join(f"{n} {why}" for why, n in sorted(counts.skipped.items()))
                line += f" ({reasons})"
            out.append(line)
        out.append(
            f"lamps of the file on a road: {self.lamps_on_a_road}; "
            f"without a road within {SNAP_DISTANCE_M:g} m: {self.lamps_without_road}"
        )
        return out


@dataclass
class _Changes:
    """The rows to insert and to update for one kind."""

    creates: list[Planned] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def import_osm(engine: Engine, *, path: Path | str, actor: str = "import") -> OsmImportReport:
    """Import an `.osm`/`.osm.pbf` file in one transaction; InvalidInput if it cannot be read."""
    path = Path(path)
    plan = plan_features(read_osm(path))
    report = OsmImportReport(path)
    try:
        _store(engine, plan, report, actor=actor)
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise Conflict(
            f"The database refused the import of {path.name}; nothing was stored: {reason}"
        ) from None
    return report


def _store(engine: Engine, plan: OsmPlan, report: OsmImportReport, *, actor: str) -> None:
    """Everything in one transaction: diff against stored rows, audit, write, link lamps."""
    path = report.path
    with engine.begin() as connection:
        set_actor(connection, actor)
        for table in TABLES.values():
            lock_for_import(connection, table.name)
        _drop_outside(connection, plan)
        changes = {kind: _diff(connection, kind, plan.planned[kind], report) for kind in KINDS}
        _codes_for_lamps(connection, changes["lamps"], report)
        for kind, change in changes.items():
            report.counts[kind].skipped.update(plan.skipped[kind])
            if change.creates or change.updates:
                without_row_audit(
                    connection,
                    actor=actor,
                    table=TABLES[kind].name,
                    count=len(change.creates) + len(change.updates),
                    summary=f"import osm from {path.name}: {len(change.creates)} created, "
                    f"{len(change.updates)} updated",
                )
        for kind in ("roads", "cemeteries", "prayer-rooms", "lamps"):
            _write(connection, kind, changes[kind], actor=actor, source=path.name)
        _link_lamps(connection, [item.osm_id for item in plan.planned["lamps"]], report)


def _drop_outside(connection: Connection, plan: OsmPlan) -> None:
    """Skip features outside the city: points not in it, lines and areas not touching it."""
    area, _ = city_area(connection)
    shapely.prepare(area)
    for kind in KINDS:
        kept = []
        for item in plan.planned[kind]:
            inside = (
                area.covers(item.geometry)
                if item.geometry.geom_type == "Point"
                else area.intersects(item.geometry)
            )
            if inside:
                kept.append(item)
            else:
                plan.skip(kind, OUTSIDE)
        plan.planned[kind] = kept


def _diff(
    connection: Connection, kind: str, items: list[Planned], report: OsmImportReport
) -> _Changes:
    """Which items are new, which change a stored row (and how), which change nothing."""
    table, changes, counts = TABLES[kind], _Changes(), report.counts[kind]
    stored = _stored(connection, table, items, match_ref=kind == "lamps")
    for item in items:
        placeholder = item.osm_id[1:].startswith("-")
        row = None if placeholder else stored.get(item.osm_id)
        row = row or stored.get(f"ref:{item.values.get('ref')}")
        if row is None and placeholder:
            counts.skipped[NOT_UPLOADED] += 1
            continue
        if row is None:
            changes.creates.append(item)
            continue
        new = _stored_values(kind, item)
        if placeholder:
            new.pop("osm_version", None)
        changed = {name: value for name, value in new.items() if value != row[name]}
        if not shapely.equals_exact(
            shapely.from_wkb(bytes(row["wkb"])), item.geometry, OSM_PRECISION
        ):
            changed["geom"] = from_shape(item.geometry, srid=SRID)
        if row["osm_id"] != item.osm_id and not placeholder:
            changed["osm_id"] = item.osm_id
        if changed:
            changes.updates.append((row["id"], changed))
            counts.updated += 1
        else:
            counts.unchanged += 1
    counts.created = len(changes.creates)
    return changes


def _stored(
    connection: Connection, table: Table, items: list[Planned], *, match_ref: bool
) -> dict[str, dict[str, Any]]:
    """Stored rows of `items` by OSM id (and lamps without one by `ref:<code>`)."""
    if not items:
        return {}
    osm_ids = bindparam("ids", [item.osm_id for item in items], type_=ARRAY(String))
    condition = table.c.osm_id == any_(osm_ids)
    if match_ref:
        refs = [item.values["ref"] for item in items if item.values.get("ref")]
        by_code = table.c.code == any_(bindparam("refs", refs, type_=ARRAY(String)))
        condition = condition | (table.c.osm_id.is_(None) & by_code)
    query = select(table, func.ST_AsBinary(table.c.geom).label("wkb")).where(condition)
    found = {}
    for row in connection.execute(query).mappings():
        key = row["osm_id"] if row["osm_id"] is not None else f"ref:{row['code']}"
        found[key] = dict(row)
    return found


def _stored_values(kind: str, item: Planned) -> dict[str, Any]:
    """The columns OSM sets on a stored row: those it says something about."""
    values = {name: value for name, value in item.values.items() if value is not None}
    values.pop("ref", None)
    if kind == "lamps" and item.version is not None:
        values["osm_version"] = item.version
    return values


def _codes_for_lamps(connection: Connection, changes: _Changes, report: OsmImportReport) -> None:
    """`PJU-<kecamatan>-<nnnnn>` for new lamps, by the kecamatan they stand in."""
    districts = kecamatan_shapes(connection)
    next_number = defaultdict(int, last_lamp_numbers(connection))
    kept = []
    for item in changes.creates:
        district = next((code for code, shape in districts if shape.covers(item.geometry)), None)
        if district is None:
            report.counts["lamps"].skipped["in no kecamatan"] += 1
            continue
        next_number[district] += 1
        item.values["code"] = f"PJU-{district}-{next_number[district]:05d}"
        kept.append(item)
    changes.creates = kept
    report.counts["lamps"].created = len(kept)


def _write(
    connection: Connection, kind: str, changes: _Changes, *, actor: str, source: str
) -> None:
    table = TABLES[kind]
    for row_id, values in changes.updates:
        connection.execute(
            update(table).where(table.c.id == row_id).values(**values, version=table.c.version + 1)
        )
    if not changes.creates:
        return
    rows = _new_rows(connection, kind, changes.creates)
    ids = connection.execute(insert(table).returning(table.c.id), rows).scalars().all()
    if kind == "lamps":
        now = datetime.now(UTC)
        run = uuid.uuid4().hex  # one per import: keys stay unique and say which load made them
        record_lamp_events(
            connection,
            [
                NewLampEvent(
                    lamp_id,
                    "working",
                    "import",
                    now,
                    note=f"imported from {source} (OpenStreetMap)",
                    actor=actor,
                    idempotency_key=f"osm-{run}-{lamp_id}",
                )
                for lamp_id in ids
            ],
        )


def _new_rows(connection: Connection, kind: str, items: list[Planned]) -> list[dict[str, Any]]:
    """Insert values for new features: OSM's values, our defaults for the rest, a new code."""
    rows = []
    first = _last_number(connection, kind) + 1 if kind in CODE_FORMAT else 0
    for number, item in enumerate(items, start=first):
        # Every row has every key (None included): one INSERT for all rows.
        given = {name: value for name, value in item.values.items() if name != "ref"}
        row = {**given, **_stored_values(kind, item), **_defaults(kind, item)}
        row.update(osm_id=item.osm_id, geom=from_shape(item.geometry, srid=SRID))
        if kind in CODE_FORMAT:
            prefix, digits = CODE_FORMAT[kind]
            row["code"] = f"{prefix}-{number:0{digits}d}"
        else:
            row["code"] = item.values["code"]
        rows.append(row)
    return rows


def _defaults(kind: str, item: Planned) -> dict[str, Any]:
    """What OSM left unsaid, for a new row (see geo_assets.io.osm_tags)."""
    values = item.values
    if kind == "lamps":
        lamp_type = values["lamp_type"] or osm_tags.DEFAULT_LAMP_TYPE
        return {
            "lamp_type": lamp_type,
            "wattage": values["wattage"] or osm_tags.DEFAULT_WATTAGE[lamp_type],
            "pole_height_m": values["pole_height_m"] or osm_tags.DEFAULT_POLE_HEIGHT_M,
            "mounting": values["mounting"] or "pole",
            "ownership": values["ownership"] or "pemkot",
            "status": "working",
            "status_changed_at": datetime.now(UTC),
        }
    if kind == "cemeteries":
        return {"capacity": _estimated_capacity(item.geometry)}
    if kind == "prayer-rooms":
        return {"status": "existing"}
    return {}


def _estimated_capacity(polygon: Geometry) -> int:
    from pyproj import Transformer

    to_metres = Transformer.from_crs(SRID, METRIC_SRID, always_xy=True)
    area = shapely.transform(polygon, lambda xy: _project(to_metres, xy)).area
    return int(area // SQUARE_METRES_PER_PLOT)


def _project(transformer: Any, xy: Any) -> Any:
    import numpy as np

    return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))


def _last_number(connection: Connection, kind: str) -> int:
    """The highest number used in codes like `JLN-0042` of `kind`'s table (0 if none)."""
    prefix, _ = CODE_FORMAT[kind]
    column = TABLES[kind].c.code
    number = func.substring(column, bindparam("pattern", f"^{prefix}-([0-9]+)$"))
    highest = connection.execute(select(func.max(number.cast(Integer)))).scalar()
    return int(highest or 0)


# Hand-written: one statement re-links all the file's lamps (k-NN in degrees to find candidates
# with the GIST index, the distance itself measured in metres).
_LINK_LAMPS = text("""
    UPDATE lamp AS l SET road_id = nearest.road_id, version = l.version + 1
    FROM (
        SELECT lamp.id, (
            SELECT road.id FROM road
            WHERE road.geom && ST_Expand(lamp.geom, :margin)
              AND ST_DWithin(ST_Transform(road.geom, :metric), ST_Transform(lamp.geom, :metric),
                             :distance)
            ORDER BY ST_Distance(ST_Transform(road.geom, :metric),
                                 ST_Transform(lamp.geom, :metric)), road.id
            LIMIT 1
        ) AS road_id
        FROM lamp WHERE lamp.osm_id = ANY(:ids)
    ) AS nearest
    WHERE l.id = nearest.id AND l.road_id IS DISTINCT FROM nearest.road_id
""")


def _link_lamps(connection: Connection, osm_ids: list[str], report: OsmImportReport) -> None:
    """Link every lamp of the file to its nearest road within 30 m, or to none."""
    if not osm_ids:
        return
    connection.execute(
        _LINK_LAMPS,
        {
            "margin": 0.001,  # ≈ 110 m, more than the 30 m sought
            "metric": METRIC_SRID,
            "distance": SNAP_DISTANCE_M,
            "ids": osm_ids,
        },
    )
    lamp = tables.LAMP
    stored, on_road = connection.execute(
        select(func.count(), func.count(lamp.c.road_id)).where(
            lamp.c.osm_id == any_(bindparam("ids", osm_ids, type_=ARRAY(String)))
        )
    ).one()
    report.lamps_on_a_road = on_road
    report.lamps_without_road = stored - on_road
