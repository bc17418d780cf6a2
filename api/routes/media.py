"""`/media/photos/...`: the photos referenced by lamp events, as stored (metadata stripped)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.dependencies import SettingsDep
from api.openapi import problems
from api.security import ReaderDep
from geo_assets.photos import photo_file

router = APIRouter(tags=["media"])


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
