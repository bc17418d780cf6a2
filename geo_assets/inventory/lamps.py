"""What only lamps have: a first status event on creation, nearest lamps, and status events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Numeric, Text, cast, desc, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from geo_assets import tables
from geo_assets.auth import Account
from geo_assets.crew_events import record_crew_event
from geo_assets.errors import InvalidInput
from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.features import (
    FeaturePage,
    feature,
    json_object,
    metres,
    point,
    resolve_id,
)
from geo_assets.inventory.writes import create_row
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.settings import Settings
from geo_assets.vocab import LAMP_STATUS, codes

EVENT_T = tables.LAMP_EVENT
MAX_NEAREST = 100


def create_lamp(
    *,
    connection: Connection,
    properties: dict[str, Any],
    geometry: Any,
    actor: str,
    source: str = "staff",
) -> int:
    """Insert a lamp and its first status event (default `working`), so history starts at once."""
    status = properties.get("status") or "working"
    if status not in LAMP_STATUS:
        raise InvalidInput(f"Unknown status '{status}'. Allowed: {', '.join(codes(LAMP_STATUS))}.")
    now = datetime.now(UTC)
    lamp_id = create_row(
        connection=connection,
        resource=LAMPS,
        geometry=geometry,
        actor=actor,
        properties={**properties, "status": status},
        extra={"status_changed_at": now},
    )
    record_lamp_events(
        connection,
        [
            NewLampEvent(
                lamp_id,
                status,
                source,
                now,
                note="created",
                actor=actor,
            )
        ],
    )
    return lamp_id


def nearest_lamps(*, connection: Connection, lon: float, lat: float, limit: int) -> FeaturePage:
    """The `limit` lamps nearest to lon/lat (GIST k-NN), with `distance_m` ascending."""
    limit = max(1, min(limit, MAX_NEAREST))
    joined = LAMPS.joined()
    centre = point(lon, lat)
    candidates = (
        select(LAMPS.table.c.id)
        .order_by(LAMPS.table.c.geom.op("<->")(centre))
        .limit(limit * 4)
        .scalar_subquery()
    )
    distance = func.round(cast(metres(LAMPS.table.c.geom, centre), Numeric()), 1)
    page = (
        select(
            distance.label("distance"),
            LAMPS.table.c.id,
            feature(LAMPS, joined, privileged=False, extra={"distance_m": distance}).label(
                "feature"
            ),
        )
        .select_from(joined.from_clause)
        .where(LAMPS.table.c.id.in_(candidates))
        .order_by(distance, LAMPS.table.c.id)
        .limit(limit)
        .subquery()
    )
    return _aggregate(connection, page)


def _aggregate(connection: Connection, page: Any) -> FeaturePage:
    aggregated = func.json_agg(aggregate_order_by(page.c.feature, page.c.distance, page.c.id))
    row = connection.execute(
        select(
            func.count().label("returned"),
            cast(func.coalesce(aggregated, literal_column("'[]'::json")), Text).label("features"),
        ).select_from(page)
    ).one()
    return FeaturePage(matched=row.returned, returned=row.returned, features=row.features)


def event_json(table: Any = EVENT_T) -> Any:
    """One stored event as a JSON object."""
    return json_object(
        {
            name: table.c[name]
            for name in (
                "id",
                "lamp_id",
                "from_status",
                "to_status",
                "note",
                "photo",
                "source",
                "actor",
                "occurred_at",
                "idempotency_key",
                "service_request_id",
            )
        }
    )


def list_events(
    *, connection: Connection, key: str, limit: int, offset: int
) -> tuple[int, FeaturePage]:
    """A lamp's history, newest first: the lamp id and a page of events (JSON array text)."""
    lamp_id = resolve_id(connection=connection, resource=LAMPS, key=key)
    where = EVENT_T.c.lamp_id == lamp_id
    page = (
        select(EVENT_T.c.id, EVENT_T.c.occurred_at, event_json().label("event"))
        .where(where)
        .order_by(desc(EVENT_T.c.occurred_at), desc(EVENT_T.c.id))
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    aggregated = func.json_agg(
        aggregate_order_by(page.c.event, desc(page.c.occurred_at), desc(page.c.id))
    )
    matched = select(func.count()).select_from(EVENT_T).where(where).scalar_subquery()
    row = connection.execute(
        select(
            matched.label("matched"),
            func.count().label("returned"),
            cast(func.coalesce(aggregated, literal_column("'[]'::json")), Text).label("events"),
        ).select_from(page)
    ).one()
    return lamp_id, FeaturePage(row.matched, row.returned, row.events)


def post_event(
    *,
    connection: Connection,
    key: str,
    to_status: str,
    note: str | None,
    photo: str | None,
    occurred_at: datetime | None,
    account: Account,
    settings: Settings,
    idempotency_key: str,
) -> tuple[bool, str]:
    """Record one status event; (replayed, stored event as JSON).

    Every status goes through `record_crew_event`, which checks the report (who may set which
    status, its time) and opens, moves or resolves the lamp's work order exactly as a report
    from /field does. The answer is rebuilt from the stored event, so a replay with the same
    key gives the same body.
    """
    lamp_id = resolve_id(connection=connection, resource=LAMPS, key=key)
    recorded = record_crew_event(
        connection,
        lamp_id=lamp_id,
        to_status=to_status,
        actor=account,
        occurred_at=occurred_at,
        idempotency_key=idempotency_key,
        settings=settings,
        note=note,
        photo=photo,
    ).event
    body = connection.execute(
        select(cast(event_json(), Text)).where(EVENT_T.c.id == recorded.id)
    ).scalar_one()
    return recorded.replayed, body
