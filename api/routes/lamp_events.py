"""`/api/v1/lamps/{key}/events`: a lamp's status history, and the one way to change its status."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import Response

from api.dependencies import ConnectionDep, SettingsDep
from api.geojson import LimitQuery, OffsetQuery, envelope, page_links
from api.openapi import problems
from api.schemas.lamps import LampEventCreate, LampEventPublic, LampEventsPublic
from api.security import EventReporterDep, ReaderDep
from geo_assets.inventory.lamps import list_events, post_event
from geo_assets.inventory.params import clamp_limit
from geo_assets.photos import stored_photo_url

router = APIRouter(prefix="/api/v1/lamps", tags=["lamp events"])
JSON = "application/json"
EVENT_EXAMPLE = {
    "id": 981,
    "lamp_id": 17,
    "from_status": "working",
    "to_status": "out",
    "note": "Mati sejak semalam",
    "photo": None,
    "source": "field",
    "actor": "budi",
    "occurred_at": "2026-01-05T19:40:00+00:00",
    "idempotency_key": "5f0c2f4e-crew-phone-0042",
    "service_request_id": None,
}
KeyPath = Annotated[str, Path(description="The lamp's id or code.", examples=["17"])]


@router.get(
    "/{key}/events",
    summary="A lamp's status history",
    response_model=LampEventsPublic,
    responses={
        200: {
            "content": {
                JSON: {
                    "example": {
                        "lamp_id": 17,
                        "numberMatched": 1,
                        "numberReturned": 1,
                        "links": [],
                        "events": [EVENT_EXAMPLE],
                    }
                }
            }
        },
        **problems(401, 404, 422),
    },
)
def read_lamp_events(
    request: Request,
    key: KeyPath,
    connection: ConnectionDep,
    account: ReaderDep,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> Response:
    """Every status event of the lamp, newest first."""
    size = clamp_limit(limit)
    lamp_id, page = list_events(connection=connection, key=key, limit=size, offset=offset)
    head = {
        "lamp_id": lamp_id,
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "links": page_links(request, page, size, offset, JSON),
    }
    return Response(envelope(head, "events", page.features), media_type=JSON)


@router.post(
    "/{key}/events",
    summary="Report a lamp's status",
    status_code=201,
    response_model=LampEventPublic,
    responses={
        201: {
            "description": "The recorded event (or, for a repeated Idempotency-Key, "
            "the event recorded the first time).",
            "content": {JSON: {"example": EVENT_EXAMPLE}},
        },
        **problems(401, 403, 404, 413, 422),
    },
)
def create_lamp_event(
    key: KeyPath,
    body: LampEventCreate,
    connection: ConnectionDep,
    account: EventReporterDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=128,
            examples=["5f0c2f4e-crew-phone-0042"],
            description="Makes retries safe: the same key replays the first answer and records "
            "nothing new. Generated when absent.",
        ),
    ] = None,
) -> Response:
    """Record the lamp's new status (crew, staff, admin): the lamp's status becomes that of its
    newest event."""
    replayed, event = post_event(
        connection=connection,
        key=key,
        to_status=body.to_status,
        note=body.note,
        photo=stored_photo_url(body.photo, media_dir=settings.media_dir),
        occurred_at=body.occurred_at,
        account=account,
        settings=settings,
        idempotency_key=idempotency_key or uuid.uuid4().hex,
    )
    headers = {"Idempotency-Replayed": "true"} if replayed else {}
    return Response(event, status_code=201, media_type=JSON, headers=headers)
