"""`/field`: the crews' mobile page, and the one call it makes that the inventory API lacks.

The page signs in with `POST /api/v1/auth/token`, finds lamps with `/api/v1/lamps/nearest`, reads
a lamp's history from `/api/v1/lamps/{id}/events` and its work with `/api/v1/workorders`. A status
report goes to `POST /field/api/lamps/{id}/events`: multipart, so that a photo rides along, and
through `geo_assets.crew_events`, so that it opens, moves or resolves the lamp's work order. Its
Idempotency-Key is required: the page queues reports offline and retries them. A retry answers
as the first report did (201, with `Idempotency-Replayed: true`), as `/api/v1` does; its photo is
written to disk only once the event is committed, so a failed report leaves no file behind.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from api.dependencies import ConnectionDep, SettingsDep
from api.openapi import problems
from api.schemas.common import ClientDateTime, IdPath
from api.security import EventReporterDep
from geo_assets import crew_events
from geo_assets.lamp_status import FIELD_STATUSES
from geo_assets.photos import clean_photo, photo_url, save_photo
from geo_assets.vocab import LAMP_STATUS, RESOLUTION, WORK_STATE

router = APIRouter(tags=["field"])
STATIC = Path(__file__).resolve().parent.parent / "static" / "field"
ASSETS = Literal["field.js", "field.css", "queue.js", "i18n.js"]
# Built from the shared tuple, so the form's choices and errors follow it; mypy wants literals.
FieldStatus = Literal[FIELD_STATUSES]  # type: ignore[valid-type]  # Literal from lamp_status


def _labels() -> str:
    labels = {"lamp_status": LAMP_STATUS, "work_state": WORK_STATE, "resolution": RESOLUTION}
    # Escaped so that no label can close the script element it sits in.
    return json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")


@router.get("/field", include_in_schema=False)
def read_field_page() -> HTMLResponse:
    """The crews' page, with the vocabulary labels inlined so it needs no extra request."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(
        html.replace("{{LABELS}}", _labels()), headers={"Cache-Control": "no-cache"}
    )


@router.get("/field/sw.js", include_in_schema=False)
def read_service_worker() -> FileResponse:
    """The service worker that keeps the page's files for use without signal."""
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/field"},
    )


@router.get("/field/static/{name}", include_in_schema=False)
def read_field_asset(name: ASSETS) -> FileResponse:
    """The page's scripts and style."""
    return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})


def _photo_bytes(photo: UploadFile | None) -> bytes | None:
    if photo is None or not photo.filename:
        return None
    data = photo.file.read()
    return data or None


@router.post(
    "/field/api/lamps/{lamp_id}/events",
    summary="Report a lamp's status from the field",
    status_code=201,
    responses={
        201: {
            "description": "The recorded event; for a retry (header Idempotency-Replayed: "
            "true), the event recorded the first time."
        },
        **problems(401, 403, 404, 409, 413, 422),
    },
)
def create_field_event(
    lamp_id: IdPath,
    connection: ConnectionDep,
    settings: SettingsDep,
    account: EventReporterDep,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            min_length=8,
            max_length=128,
            description="One key per report, kept by the phone across retries.",
        ),
    ],
    to_status: Annotated[FieldStatus, Form()],
    occurred_at: Annotated[
        ClientDateTime | None,
        Form(description="When it was seen, with time zone; default now."),
    ] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
    photo: Annotated[
        UploadFile | None,
        File(description="JPEG, PNG or WebP, at most 8 MB; stored without its metadata."),
    ] = None,
) -> JSONResponse:
    """Record the status and its photo; open, move or resolve the lamp's work order."""
    data = _photo_bytes(photo)
    # Named by content, so a retry's photo has the first one's name and compares equal.
    cleaned = clean_photo(data) if data else None
    url = photo_url(cleaned.relative) if cleaned else None
    result = crew_events.record_crew_event(
        connection,
        lamp_id=lamp_id,
        to_status=to_status,
        actor=account,
        occurred_at=occurred_at,
        idempotency_key=idempotency_key,
        settings=settings,
        note=(note or "").strip() or None,
        photo=url,
    )
    if cleaned:
        # Commit here, before the file is written: a failed COMMIT leaves no orphan photo. A
        # retry writes a photo that a crash right after the COMMIT left unwritten.
        connection.commit()
        save_photo(cleaned, media_dir=settings.media_dir)
    event = asdict(result.event)
    event["occurred_at"] = result.event.occurred_at.isoformat()
    body = {
        "event": event,
        "photo": url,
        "work_order_id": result.work_order_id,
        "replayed": result.replayed,
    }
    headers = {"Idempotency-Replayed": "true"} if result.replayed else {}
    return JSONResponse(body, status_code=201, headers=headers)
