"""`/media/photos/...`: lamp events' photos, as stored (metadata stripped), and their upload.

A lamp event's `photo` may only name a photo this server stored: API clients upload it first
(`POST /api/v1/media/photos`) and send the URL answered; `/field` uploads it with the report.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from api.dependencies import SettingsDep
from api.openapi import problems
from api.security import EventReporterDep, ReaderDep
from geo_assets.errors import InvalidInput
from geo_assets.photos import MAX_PHOTO_BYTES, photo_file, photo_url, store_photo

router = APIRouter(tags=["media"])


class PhotoPublic(BaseModel):
    """A stored photo: send its `photo` URL (or `id`) as a lamp event's `photo`."""

    id: str = Field(examples=["3fa4c0d1e2b34f5a8c9d0e1f2a3b4c5d"])
    photo: str = Field(examples=["/media/photos/3f/3fa4c0d1e2b34f5a8c9d0e1f2a3b4c5d.jpg"])


@router.post(
    "/api/v1/media/photos",
    summary="Upload a lamp event's photo",
    status_code=201,
    response_model=PhotoPublic,
    responses=problems(401, 403, 413, 422),
)
def create_photo(
    settings: SettingsDep,
    account: EventReporterDep,
    photo: Annotated[
        UploadFile,
        File(description="JPEG, PNG or WebP, at most 8 MB; stored without its metadata."),
    ],
) -> JSONResponse:
    """Store a photo (re-encoded as JPEG, named by its content) and answer its reference."""
    data = photo.file.read(MAX_PHOTO_BYTES + 1)
    if not data:
        raise InvalidInput("The photo is empty: send the image file as the `photo` form field.")
    relative = store_photo(data, media_dir=settings.media_dir)
    url = photo_url(relative)
    body = {"id": relative.rsplit("/", 1)[1].removesuffix(".jpg"), "photo": url}
    return JSONResponse(body, status_code=201, headers={"Location": url})


@router.get(
    "/media/photos/{shard}/{name}",
    summary="A lamp event's photo",
    response_class=FileResponse,
    responses=problems(401, 404),
)
def read_photo(shard: str, name: str, settings: SettingsDep, account: ReaderDep) -> FileResponse:
    """The JPEG of a lamp event (its `photo` field is this URL); named by content, never changes."""
    path = photo_file(f"photos/{shard}/{name}", media_dir=settings.media_dir)
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
