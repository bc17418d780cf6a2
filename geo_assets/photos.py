"""Photos from the field: size-limited, re-encoded as JPEG without metadata, stored by content.

A phone's photo carries EXIF (GPS position, device, time) and can be a decompression bomb or
not an image at all. Each upload is decoded by Pillow, turned upright from its EXIF orientation,
scaled to at most 1600 px, and encoded afresh with no EXIF, XMP or ICC data. The file is named
by the hash of what is stored, so a retried upload lands on the same file. Cleaning
(`clean_photo`) and writing (`save_photo`) are apart, so that a photo riding along with a report
is written only once the report is committed.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from geo_assets.errors import InvalidInput, NotFound

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 1600
JPEG_QUALITY = 82
ACCEPTED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP")
PHOTO_PATH = re.compile(r"^photos/[0-9a-f]{2}/[0-9a-f]{32}\.jpg$")
MEDIA_URL = "/media/"
# What a lamp event's `photo` may hold: the URL this server gave out for a stored photo.
PHOTO_URL = re.compile(r"^/media/photos/(?P<shard>[0-9a-f]{2})/(?P<id>[0-9a-f]{32})\.jpg$")
PHOTO_ID = re.compile(r"^[0-9a-f]{32}$")
ACCEPTED_REFERENCE = (
    "a photo uploaded to this server: the `photo` URL answered by POST /api/v1/media/photos "
    "(/media/photos/<2 hex>/<32 hex>.jpg) or its 32-character `id`"
)


def reencode(data: bytes) -> bytes:
    """`data` as a clean JPEG: upright, at most MAX_SIDE px, and without any metadata."""
    if not data:
        raise InvalidInput("The photo is empty.")
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(
            f"The photo is {len(data) / 1_048_576:.1f} MB; at most "
            f"{MAX_PHOTO_BYTES // 1_048_576} MB is accepted."
        )
    try:
        with Image.open(BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise InvalidInput(
                    f"A {image.format} image is not accepted: send JPEG, PNG or WebP."
                )
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(f"The photo has more than {MAX_PIXELS:,} pixels.")
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise InvalidInput("The photo could not be read as an image (JPEG, PNG or WebP).") from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", upright.size)  # a fresh image: no info dict to carry metadata over
    clean.paste(upright)
    out = BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded for storage, and its path relative to the media folder."""

    relative: str
    data: bytes


def clean_photo(data: bytes) -> CleanPhoto:
    """Check and clean a photo and name it by its content; nothing is written yet."""
    clean = reencode(data)
    digest = hashlib.sha256(clean).hexdigest()[:32]
    return CleanPhoto(relative=f"photos/{digest[:2]}/{digest}.jpg", data=clean)


def save_photo(photo: CleanPhoto, *, media_dir: Path) -> str:
    """Write a cleaned photo under `media_dir` unless it is there; returns its relative path."""
    target = media_dir / photo.relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(photo.data)
        os.replace(temporary, target)
    return photo.relative


def store_photo(data: bytes, *, media_dir: Path) -> str:
    """Check, clean and store a photo; returns its path relative to `media_dir`."""
    return save_photo(clean_photo(data), media_dir=media_dir)


def photo_file(relative: str, *, media_dir: Path) -> Path:
    """The stored file of a photo path as given by `store_photo`; NotFound otherwise."""
    if not PHOTO_PATH.match(relative):
        raise NotFound(f"There is no photo '{relative}'.")
    path = media_dir / relative
    if not path.is_file():
        raise NotFound(f"There is no photo '{relative}'.")
    return path


def photo_url(relative: str) -> str:
    """The URL a stored photo is served at, as kept in a lamp event's `photo`."""
    return MEDIA_URL + relative


def issued_photo_url(reference: str) -> str:
    """The canonical URL of a photo reference this server issued; InvalidInput for anything else.

    Accepted: `/media/photos/ab/ab….jpg` (as answered by the upload) or its 32-hex id. Anything
    else (another site's URL, `javascript:`, a path with `..`) is refused, so that no page is
    ever led to fetch it.
    """
    match = PHOTO_URL.fullmatch(reference)
    if match and match["id"].startswith(match["shard"]):
        return reference
    if PHOTO_ID.fullmatch(reference):
        return photo_url(f"photos/{reference[:2]}/{reference}.jpg")
    raise InvalidInput(f"'photo' must be {ACCEPTED_REFERENCE}.")


def stored_photo_url(reference: str | None, *, media_dir: Path) -> str | None:
    """`issued_photo_url` of a photo that is also stored in `media_dir`; None stays None."""
    if reference is None:
        return None
    url = issued_photo_url(reference)
    if not (media_dir / url.removeprefix(MEDIA_URL)).is_file():
        raise InvalidInput(
            f"There is no stored photo '{reference}': upload it first with "
            "POST /api/v1/media/photos and send the `photo` URL it answers."
        )
    return url
