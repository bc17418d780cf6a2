"""List parameters from clients: bbox, near/radius, paging; with messages a person can act on."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geo_assets.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from geo_assets.inventory.resources import Joined

# An extra WHERE condition built on the statement's own FROM (its joined aliases), with its values
# as bound parameters: OGC datetime and CQL2 filters.
Clause = Callable[["Joined"], "ColumnElement[bool]"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
DEFAULT_RADIUS_M = 500.0
MAX_RADIUS_M = 50_000.0
MAX_ID = 2**31 - 1
BBOX_PARTS = (
    "x0 (west longitude)",
    "y0 (south latitude)",
    "x1 (east longitude)",
    "y1 (north latitude)",
)


@dataclass(frozen=True)
class ListQuery:
    """What a client asked of a list: filters by parameter name, area, and the page."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    bbox: tuple[float, float, float, float] | None = None
    near: tuple[float, float] | None = None
    radius_m: float = DEFAULT_RADIUS_M
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    clauses: tuple[Clause, ...] = ()  # more conditions; statements with them are not cached
    count_cap: int | None = None  # count at most this many matches (None: always exact)


def clamp_limit(limit: int | None) -> int:
    """The page size: default 100, at most 10,000 (a larger value is clamped, never refused)."""
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(limit, MAX_LIMIT))


def _number(text: str, name: str, param: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{param}: {name} {text.strip()!r} is not a number.") from None
    if not math.isfinite(value):
        raise InvalidInput(f"{param}: {name} must be a finite number.")
    return value


def _check_lon_lat(lon: float, lat: float, param: str, lon_name: str, lat_name: str) -> None:
    if not -180 <= lon <= 180:
        raise InvalidInput(f"{param}: {lon_name} {lon} is outside -180..180.")
    if not -90 <= lat <= 90:
        hint = " (it looks like a longitude: the order is lon,lat)" if -180 <= lat <= 180 else ""
        raise InvalidInput(f"{param}: {lat_name} {lat} is outside -90..90{hint}.")


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`x0,y0,x1,y1` in lon/lat: west, south, east, north."""
    parts = text.split(",")
    if len(parts) != 4:
        raise InvalidInput(
            f"bbox needs 4 comma-separated numbers x0,y0,x1,y1 (west,south,east,north); "
            f"got {len(parts)} part{'s' if len(parts) != 1 else ''}: {text!r}."
        )
    x0, y0, x1, y1 = (
        _number(part, name, "bbox") for part, name in zip(parts, BBOX_PARTS, strict=True)
    )
    _check_lon_lat(x0, y0, "bbox", BBOX_PARTS[0], BBOX_PARTS[1])
    _check_lon_lat(x1, y1, "bbox", BBOX_PARTS[2], BBOX_PARTS[3])
    if x0 > x1:
        raise InvalidInput(f"bbox: x0 (west) {x0} is east of x1 (east) {x1}; swap them.")
    if y0 > y1:
        raise InvalidInput(f"bbox: y0 (south) {y0} is north of y1 (north) {y1}; swap them.")
    return x0, y0, x1, y1


def parse_point(text: str, param: str = "near") -> tuple[float, float]:
    """`lon,lat`."""
    parts = text.split(",")
    if len(parts) != 2:
        raise InvalidInput(f"{param} needs two comma-separated numbers lon,lat; got {text!r}.")
    lon, lat = _number(parts[0], "lon", param), _number(parts[1], "lat", param)
    _check_lon_lat(lon, lat, param, "lon", "lat")
    return lon, lat


def check_radius(radius_m: float) -> float:
    """A search radius in metres: positive and at most 50 km."""
    if not 0 < radius_m <= MAX_RADIUS_M:
        raise InvalidInput(f"radius_m must be more than 0 and at most {MAX_RADIUS_M:.0f} metres.")
    return radius_m


def is_digits(text: str) -> bool:
    """True for ASCII digits only: `str.isdigit` also accepts '³' and '١', which `int` refuses
    or reads as another number than a person typed."""
    return text.isascii() and text.isdigit()


def parse_id(key: str) -> int | None:
    """The integer id when `key` is one (ASCII digits within the database's range), else None."""
    if is_digits(key) and int(key) <= MAX_ID:
        return int(key)
    return None
