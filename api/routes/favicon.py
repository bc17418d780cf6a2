"""`/favicon.ico`: the project's icon (a street lamp), so browsers stop logging a 404 per page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"

router = APIRouter()


@router.get("/favicon.ico", include_in_schema=False)
def read_favicon() -> FileResponse:
    """The icon browsers ask for on their own; cached for a day."""
    return FileResponse(
        ICON,
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
