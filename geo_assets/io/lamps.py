"""Importing lamps: codes made when the file has none, roads found by proximity, status as events.

Decisions (what a city's public works office would want):
- A file without a `code` column gets codes made for it: `PJU-<kecamatan code>-<nnnnn>`, numbered
  after the highest number already used in that kecamatan, in file order. A file *with* the
  column must give every row a code (a blank code is an error): half-coded files usually mean
  codes were lost in a merge, and guessing would clash with the city's own numbering.
- `road_code`, when given, must name a stored road. Without it the lamp is attached to the
  nearest road within 30 m (measured in metres, EPSG:32750). A lamp farther from every road is
  still imported, without a road, and the report says so as a warning: lamps on paths, in parks
  or in cemeteries are real and must not be lost.
- The kelurahan is derived here for all rows at once (`kelurahan_of`, the trigger's rule), so the
  table's per-row trigger is skipped for them.
- The tile cells (lamp counts per map cell, migration 0013) are counted once for the whole
  import (`count_tile_cells`, before commit), not once per slice by the insert trigger.
- The initial status (`status`, default `working`) is recorded as an `import` event
  (set-based: the same event `record_lamp_events` writes for a new lamp), sent without
  waiting (awaited before the next slice's COPY); the row is inserted with the same status and
  time, so the event history and the lamp agree from the first moment.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import generators, pq
from sqlalchemy import Connection, text

from geo_assets.bulk import driver_connection
from geo_assets.io.batch import Batch, CopyLoad, copy_load
from geo_assets.io.lookups import kecamatan_shapes, last_lamp_numbers, roads_near
from geo_assets.io.survey import check_office_ids
from geo_assets.models.base import METRIC_SRID, SRID
from geo_assets.models.lighting import LAST_LAMP_NUMBER

SNAP_DISTANCE_M = 30.0


def complete_lamps(connection: Connection, batch: Batch) -> None:
    """Make codes for a file without them, and attach lamps to roads."""
    if "code" not in batch.columns:
        _number_lamps(connection, batch)
    check_office_ids(connection, batch)
    _snap_to_roads(connection, batch)


def _number_lamps(connection: Connection, batch: Batch) -> None:
    """Codes `PJU-<kecamatan>-<nnnnn>` for every valid lamp, by the kecamatan it stands in."""
    codes = np.full(len(batch), None, dtype=object)
    located = np.full(len(batch), None, dtype=object)
    points = batch.geometry
    present = ~shapely.is_missing(points)
    if "kecamatan" not in batch.shared:
        batch.shared["kecamatan"] = kecamatan_shapes(connection)
    for district, shape in batch.shared["kecamatan"]:
        hit = present & pd.isna(located)
        hit[hit] = shapely.covers(shape, points[hit])
        located[hit] = district
    # Read once per import and counted on from slice to slice (the slices before this one may
    # not be visible to `connection`: a file read ahead is checked on a connection of its own).
    if "lamp_numbers" not in batch.shared:
        batch.shared["lamp_numbers"] = defaultdict(int, last_lamp_numbers(connection))
    next_number = batch.shared["lamp_numbers"]
    for index in np.flatnonzero(batch.valid):
        district = located[index]
        if district is None:
            batch.problems.add(
                int(index),
                "code",
                "the file has no 'code' column and this lamp "
                "stands in no kecamatan, so no code can be made for it",
                "a 'code' column (PJU-<kecamatan code>-<nnnnn>), or a point inside a kecamatan",
            )
            continue
        next_number[district] += 1
        if next_number[district] > LAST_LAMP_NUMBER:
            batch.problems.add(
                int(index),
                "code",
                f"kecamatan {district} has no lamp numbers left",
                f"at most {LAST_LAMP_NUMBER:,} lamps per kecamatan",
            )
            continue
        codes[index] = f"PJU-{district}-{next_number[district]:05d}"
    batch.values["code"] = codes


def _snap_to_roads(connection: Connection, batch: Batch) -> None:
    """road_id of the nearest road within 30 m for valid lamps that name no road."""
    road_ids = batch.values.setdefault("road_id", np.full(len(batch), None, dtype=object))
    wanted = batch.valid & pd.isna(road_ids)
    if not wanted.any():
        return
    points = batch.geometry[wanted]
    ids, lines = roads_near(connection, tuple(shapely.total_bounds(points)))
    found = np.full(len(points), None, dtype=object)
    if len(ids):
        from pyproj import Transformer  # only lamps without a road need it (start-up time)

        to_metres = Transformer.from_crs(SRID, METRIC_SRID, always_xy=True)
        metric = shapely.transform(
            points, lambda xy: np.column_stack(to_metres.transform(xy[:, 0], xy[:, 1]))
        )
        which, nearest = shapely.STRtree(lines).query_nearest(
            metric, max_distance=SNAP_DISTANCE_M, all_matches=False
        )
        found[which] = ids[nearest].tolist()
    road_ids[wanted] = found
    for index in np.flatnonzero(wanted)[pd.isna(found)]:
        batch.problems.add(
            int(index),
            "road_code",
            f"no road within {SNAP_DISTANCE_M:g} m, so the lamp gets no road",
            f"a road_code, or a point within {SNAP_DISTANCE_M:g} m of a stored road",
            severity="warning",
        )


def kelurahan_of(
    connection: Connection, points: np.ndarray, shared: dict[str, Any] | None = None
) -> np.ndarray:
    """The id of the kelurahan covering each point (the lowest when several do), else None.

    The rule of the `lamp_kelurahan` trigger, set-based: a lamp inserted with its kelurahan
    skips the trigger's query per row; one in no kelurahan is left to the trigger (which finds
    none either). `shared` keeps the kelurahan read for the next slice of the same import.
    """
    found = np.full(len(points), None, dtype=object)
    shared = {} if shared is None else shared
    if "kelurahan" not in shared:
        shared["kelurahan"] = _kelurahan_index(connection)
    ids, tree = shared["kelurahan"]
    if tree is None or not len(points):
        return found
    which, shape = tree.query(points, predicate="covered_by")
    order = np.lexsort((shape, which))  # by point, then by kelurahan id (shapes are in id order)
    which, shape = which[order], shape[order]
    first = np.ones(len(which), dtype=bool)
    first[1:] = which[1:] != which[:-1]
    found[which[first]] = ids[shape[first]]
    return found


def _kelurahan_index(connection: Connection) -> tuple[np.ndarray, shapely.STRtree | None]:
    """The stored kelurahan: ids in id order, and a tree of their polygons (None if none)."""
    rows = connection.execute(
        text("SELECT id, ST_AsBinary(geom) FROM kelurahan WHERE geom IS NOT NULL ORDER BY id")
    ).all()
    ids = np.array([row[0] for row in rows], dtype=object)
    if not rows:
        return ids, None
    return ids, shapely.STRtree(shapely.from_wkb([bytes(row[1]) for row in rows]))


def prepare_lamps(
    connection: Connection, batch: Batch, *, actor: str, occurred_at: datetime
) -> CopyLoad:
    """The valid lamps as a CopyLoad (ids taken from the sequence, kelurahan found); once they
    are in, their tile cells are deferred and their first status events sent."""
    count = int(batch.valid.sum())
    # One array, not `count` rows: reading 14,000 rows back cost more than taking the numbers.
    ids = connection.execute(
        text(
            "SELECT array_agg(nextval(pg_get_serial_sequence('lamp', 'id')) ORDER BY n) "
            "FROM generate_series(1, :n) AS n"
        ),
        {"n": count},
    ).scalar_one()
    batch.values["id"] = np.full(len(batch), None, dtype=object)
    batch.values["id"][batch.valid] = ids
    batch.values["status_changed_at"] = np.full(len(batch), occurred_at, dtype=object)
    batch.values["kelurahan_id"] = np.full(len(batch), None, dtype=object)
    batch.values["kelurahan_id"][batch.valid] = kelurahan_of(
        connection, batch.geometry[batch.valid], batch.shared
    )
    load = copy_load(batch, (*batch.spec.copy_columns, "kelurahan_id"))
    note = f"imported from {batch.source.path.name}"
    key_prefix = batch.shared.setdefault("event_key_prefix", f"import-{uuid.uuid4().hex}-")

    def before(writer: Connection, state: dict[str, Any]) -> None:
        _defer_tile_cells(writer, state, ids)

    statuses = batch.values["status"][batch.valid].tolist()

    def after(writer: Connection, state: dict[str, Any]) -> None:
        state["pending"] = _send_first_events(
            writer,
            ids,
            statuses,
            occurred_at=occurred_at,
            note=note,
            actor=actor,
            key_prefix=key_prefix,
        )

    load.before, load.after = before, after
    return load


def _defer_tile_cells(connection: Connection, shared: dict[str, Any], ids: list[int]) -> None:
    """Leave the lamps `ids` out of the tile cells until `count_tile_cells` adds them all.

    The insert trigger skips its count while the transaction says so; the ranges of ids are
    kept (a handful for the whole import: ids come from the sequence in order).
    """
    ranges: list[list[int]] = shared.setdefault("lamp_id_ranges", [])
    if not ranges:
        connection.execute(
            text("SELECT set_config('geo_assets.lamp_tile_cells', 'deferred', true)")
        )
    for first, last in id_ranges(ids):
        if ranges and ranges[-1][1] + 1 == first:
            ranges[-1][1] = last
        else:
            ranges.append([first, last])


def id_ranges(ids: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive ids, in order."""
    if not ids:
        return []
    values = np.asarray(ids, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(values) != 1)
    firsts = values[np.concatenate(([0], breaks + 1))]
    lasts = values[np.concatenate((breaks, [len(values) - 1]))]
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


def count_tile_cells(connection: Connection, shared: dict[str, Any]) -> None:
    """Add the lamps this import inserted to the tile cells, in one statement, and end the
    deferral: what the insert trigger would have counted slice by slice."""
    ranges = shared.pop("lamp_id_ranges", None)
    if not ranges:
        return
    connection.execute(
        text(
            "SELECT geo_assets_add_lamp_tile_cells(CAST(:firsts AS integer[]), "
            "CAST(:lasts AS integer[])), set_config('geo_assets.lamp_tile_cells', '', true)"
        ),
        {"firsts": [first for first, _ in ranges], "lasts": [last for _, last in ranges]},
    )


# The first event of lamps inserted in this transaction: nothing to stage, lock, order against
# or read back (a new lamp has no history, and its row was just written with the same status
# and time). The lamp table is not read: a join with it was planned as a scan of the whole
# table for every slice (its statistics are those from before the import), 7 s of a 1.4 M-lamp
# import. The ids come in ascending order, and the rows go in in that order.
# With libpq's placeholders: sent without waiting for it.
_FIRST_EVENTS = b"""
    INSERT INTO lamp_event (lamp_id, from_status, to_status, note, source, actor, occurred_at,
                            idempotency_key)
    SELECT i.id, NULL, i.status, $1, 'import', $2, $3, $4 || i.id
    FROM unnest(CAST($5 AS integer[]), CAST($6 AS text[])) AS i(id, status)
"""
_TEXT, _TIMESTAMPTZ = 25, 1184  # type oids of the parameters


def _send_first_events(
    connection: Connection,
    ids: list[int],
    statuses: list[str],
    *,
    occurred_at: datetime,
    note: str,
    actor: str,
    key_prefix: str,
) -> Callable[[], None]:
    """Send the `import` events of the lamps `ids` without waiting for the database to write
    them; returns the wait for that (which raises what the statement raised). Nothing else may
    use the connection until then."""
    raw = driver_connection(connection)
    values = [note, actor, occurred_at.isoformat(), key_prefix]
    values.append("{" + ",".join(map(str, map(int, ids))) + "}")
    values.append("{" + ",".join(map(_array_element, statuses)) + "}")
    raw.pgconn.send_query_params(
        _FIRST_EVENTS,
        [value.encode() for value in values],
        param_types=[_TEXT, _TEXT, _TIMESTAMPTZ, _TEXT, _TEXT, _TEXT],
    )
    raw.wait(generators.send(raw.pgconn))

    def wait() -> None:
        for result in raw.wait(generators.fetch_many(raw.pgconn)):
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise psycopg.errors.error_from_result(result, encoding=raw.info.encoding)

    return wait


def _array_element(value: str) -> str:
    """`value` quoted as an element of a PostgreSQL array literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
