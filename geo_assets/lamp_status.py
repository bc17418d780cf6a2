"""The one way a lamp's status changes: by appending events to its history.

Every caller (seed, import, API, field page, Open311) goes through `record_lamp_events`, for one
event or a hundred thousand. The lamp's `status` is then recomputed from its newest event, so an
event that arrives late (a phone that was offline) takes its place in history without overriding
a newer one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, RowMapping, text

from geo_assets.bulk import copy_rows
from geo_assets.errors import IdempotencyKeyReused, InvalidInput, NotFound
from geo_assets.vocab import EVENT_SOURCE, LAMP_STATUS, codes

# The statuses a crew reports from the field (faults and repairs); planning and decommissioning
# a lamp are staff's.
FIELD_STATUSES: tuple[str, ...] = ("out", "damaged", "in_repair", "working")


@dataclass(frozen=True)
class NewLampEvent:
    """An event to append: the lamp, its new status, who says so and when."""

    lamp_id: int
    to_status: str
    source: str
    occurred_at: datetime
    note: str | None = None
    photo: str | None = None
    actor: str | None = None
    service_request_id: int | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    # False when occurred_at is the server's "now": a retry sent later is still the same report.
    time_given: bool = True


# What a report is, for telling a retry from another report under the same Idempotency-Key.
REPORT_FIELDS = {
    "lamp_id": "lamp",
    "to_status": "status",
    "note": "note",
    "photo": "photo",
    "actor": "account",
}


def report_differences(stored: RowMapping, new: NewLampEvent) -> list[str]:
    """What differs between the report stored under an Idempotency-Key and `new` (its labels)."""
    changed = [label for name, label in REPORT_FIELDS.items() if stored[name] != getattr(new, name)]
    if new.time_given and stored["occurred_at"] != new.occurred_at:
        changed.append("occurred_at")
    return changed


def check_same_report(stored: RowMapping, new: NewLampEvent) -> None:
    """Raise IdempotencyKeyReused unless `new` is a retry of the `stored` report."""
    changed = report_differences(stored, new)
    if changed:
        raise IdempotencyKeyReused(
            f"The Idempotency-Key '{new.idempotency_key}' was already used for another report "
            f"(a different {', '.join(changed)}); nothing was recorded. Retry a report with "
            "exactly the same content, and make a new key for each new report."
        )


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored; `replayed` when its idempotency key had been recorded before."""

    id: int
    lamp_id: int
    from_status: str | None
    to_status: str
    occurred_at: datetime
    idempotency_key: str
    replayed: bool

    @classmethod
    def from_row(cls, row: Row[Any], *, replayed: bool) -> RecordedEvent:
        """The stored event of a `lamp_event` row."""
        return cls(
            id=row.id,
            lamp_id=row.lamp_id,
            from_status=row.from_status,
            to_status=row.to_status,
            occurred_at=row.occurred_at,
            idempotency_key=row.idempotency_key,
            replayed=replayed,
        )


_COLUMNS = (
    "seq",
    "lamp_id",
    "to_status",
    "note",
    "photo",
    "source",
    "actor",
    "occurred_at",
    "idempotency_key",
    "service_request_id",
)

_INSERT_EVENTS = text("""
    WITH fresh AS (
        SELECT DISTINCT ON (i.idempotency_key) i.*
        FROM incoming_lamp_event i
        WHERE NOT EXISTS (
            SELECT 1 FROM lamp_event e WHERE e.idempotency_key = i.idempotency_key
        )
        ORDER BY i.idempotency_key, i.seq
    ), ordered AS (
        SELECT f.*, lag(f.to_status) OVER (
            PARTITION BY f.lamp_id ORDER BY f.occurred_at, f.seq
        ) AS previous_in_batch
        FROM fresh f
    )
    INSERT INTO lamp_event (lamp_id, from_status, to_status, note, photo, source, actor,
                            occurred_at, idempotency_key, service_request_id)
    SELECT o.lamp_id,
           coalesce(o.previous_in_batch, (
               SELECT e.to_status FROM lamp_event e
               WHERE e.lamp_id = o.lamp_id AND e.occurred_at <= o.occurred_at
               ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
           )),
           o.to_status, o.note, o.photo, o.source, o.actor, o.occurred_at,
           o.idempotency_key, o.service_request_id
    FROM ordered o
    ORDER BY o.occurred_at, o.seq
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id
""")

# The lamp's status is its newest event's; recomputed from history, never set by hand.
_APPLY_NEWEST = text("""
    UPDATE lamp l
    SET status = n.to_status, status_changed_at = n.occurred_at, version = l.version + 1
    FROM (
        SELECT DISTINCT ON (e.lamp_id) e.lamp_id, e.to_status, e.occurred_at
        FROM lamp_event e
        WHERE e.lamp_id IN (SELECT lamp_id FROM incoming_lamp_event)
        ORDER BY e.lamp_id, e.occurred_at DESC, e.id DESC
    ) n
    WHERE l.id = n.lamp_id
      AND (l.status IS DISTINCT FROM n.to_status
           OR l.status_changed_at IS DISTINCT FROM n.occurred_at)
""")


# One event (a crew's report, the common case) skips the staging table: creating, filling and
# analysing it cost more than the rest of the write together. Same rules as the batch above.
_INSERT_ONE = text("""
    INSERT INTO lamp_event (lamp_id, from_status, to_status, note, photo, source, actor,
                            occurred_at, idempotency_key, service_request_id)
    SELECT :lamp_id,
           (SELECT e.to_status FROM lamp_event e
            WHERE e.lamp_id = :lamp_id AND e.occurred_at <= :occurred_at
            ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
           :to_status, :note, :photo, :source, :actor, :occurred_at, :idempotency_key,
           :service_request_id
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, lamp_id, from_status, to_status, occurred_at, idempotency_key
""")

_APPLY_NEWEST_ONE = text("""
    UPDATE lamp l
    SET status = n.to_status, status_changed_at = n.occurred_at, version = l.version + 1
    FROM (
        SELECT e.to_status, e.occurred_at FROM lamp_event e
        WHERE e.lamp_id = :lamp_id
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
    ) n
    WHERE l.id = :lamp_id
      AND (l.status IS DISTINCT FROM n.to_status
           OR l.status_changed_at IS DISTINCT FROM n.occurred_at)
""")

_STORED_UNDER_KEY = text("""
    SELECT e.id, e.lamp_id, e.from_status, e.to_status, e.occurred_at, e.idempotency_key,
           e.note, e.photo, e.actor
    FROM lamp_event e WHERE e.idempotency_key = :idempotency_key
""")


def _validate(events: Sequence[NewLampEvent]) -> None:
    for event in events:
        if event.to_status not in LAMP_STATUS:
            raise InvalidInput(
                f"Unknown lamp status '{event.to_status}'. "
                f"Allowed: {', '.join(codes(LAMP_STATUS))}."
            )
        if event.source not in EVENT_SOURCE:
            raise InvalidInput(
                f"Unknown event source '{event.source}'. Allowed: {', '.join(codes(EVENT_SOURCE))}."
            )


def _stage(connection: Connection, events: Sequence[NewLampEvent]) -> None:
    connection.execute(
        text("""
        CREATE TEMP TABLE IF NOT EXISTS incoming_lamp_event (
            seq integer, lamp_id integer, to_status text, note text, photo text, source text,
            actor text, occurred_at timestamptz, idempotency_key text, service_request_id integer
        ) ON COMMIT DROP
    """)
    )
    connection.execute(text("TRUNCATE incoming_lamp_event"))
    copy_rows(
        connection,
        "incoming_lamp_event",
        _COLUMNS,
        (
            (
                seq,
                e.lamp_id,
                e.to_status,
                e.note,
                e.photo,
                e.source,
                e.actor,
                e.occurred_at,
                e.idempotency_key,
                e.service_request_id,
            )
            for seq, e in enumerate(events)
        ),
    )
    # Without statistics the planner guesses a big temp table and scans all events (~10 ms
    # a statement even for one event); ANALYZE lets it use the indexes.
    connection.execute(text("ANALYZE incoming_lamp_event"))


def _lock_lamps(connection: Connection) -> None:
    """Lock the lamps in order (no deadlocks) and fail on an unknown one."""
    missing = (
        connection.execute(
            text("""
        SELECT DISTINCT i.lamp_id FROM incoming_lamp_event i
        WHERE NOT EXISTS (SELECT 1 FROM lamp l WHERE l.id = i.lamp_id)
        ORDER BY 1 LIMIT 5
    """)
        )
        .scalars()
        .all()
    )
    if missing:
        raise NotFound(f"No lamp with id {', '.join(map(str, missing))}.")
    connection.execute(
        text("""
        SELECT l.id FROM lamp l
        JOIN (SELECT DISTINCT lamp_id FROM incoming_lamp_event) i ON i.lamp_id = l.id
        ORDER BY l.id FOR UPDATE OF l
    """)
    )


def _record_one(
    connection: Connection, event: NewLampEvent, *, check_replays: bool, locked: bool
) -> RecordedEvent:
    """`record_lamp_events` for a single event: lock, insert, apply; the key is read back only
    when it was recorded before."""
    params = asdict(event)
    if not locked:
        lamp = connection.execute(
            text("SELECT id FROM lamp WHERE id = :lamp_id FOR UPDATE"), params
        ).one_or_none()
        if lamp is None:
            raise NotFound(f"No lamp with id {event.lamp_id}.")
    row = connection.execute(_INSERT_ONE, params).one_or_none()
    inserted = row is not None
    connection.execute(_APPLY_NEWEST_ONE, params)
    if row is None:
        row = connection.execute(_STORED_UNDER_KEY, params).one()
        if check_replays:
            check_same_report(row._mapping, event)
    return RecordedEvent.from_row(row, replayed=not inserted)


def record_lamp_events(
    connection: Connection,
    events: Sequence[NewLampEvent],
    *,
    check_replays: bool = False,
    locked: bool = False,
) -> list[RecordedEvent]:
    """Append `events` (skipping keys already recorded) and set each lamp's status from history.

    Returns one stored event per input, in input order; an input whose idempotency key was
    recorded before comes back as that earlier event with `replayed=True`. With
    `check_replays` (keys chosen by clients), such an input must be the same report as the
    stored one, else IdempotencyKeyReused. The check runs after the INSERT, which waits for a
    concurrent transaction inserting the same key: a key sent at once for two lamps can never
    answer one client with the other's event. `locked`: the caller already holds the row lock
    of every lamp in `events` (and so knows they exist).
    """
    if not events:
        return []
    _validate(events)
    if len(events) == 1:
        return [_record_one(connection, events[0], check_replays=check_replays, locked=locked)]
    _stage(connection, events)
    if not locked:
        _lock_lamps(connection)
    inserted = set(connection.execute(_INSERT_EVENTS).scalars())
    connection.execute(_APPLY_NEWEST)
    rows = connection.execute(
        text("""
        SELECT i.seq, e.id, e.lamp_id, e.from_status, e.to_status, e.occurred_at,
               e.idempotency_key, e.note, e.photo, e.actor
        FROM incoming_lamp_event i JOIN lamp_event e USING (idempotency_key)
        ORDER BY i.seq
    """)
    ).all()
    if check_replays:
        for row in rows:
            if row.id not in inserted:
                check_same_report(row._mapping, events[row.seq])
    return [RecordedEvent.from_row(row, replayed=row.id not in inserted) for row in rows]
