"""Coordinates as offices type them: numbers, decimal commas, or degrees-minutes-seconds.

Accepted: `-3.4421`, `-3,4421`, `114.8312`, `3°26'31.5"S`, `3° 26' 31.5" LS`, `S 3 26 31.5`,
`114°49'12"E`, `114°49.2'BT`, with ' or ′ or ’ for minutes and " or ″ or ” (or '') for seconds.
Hemispheres in English (N S E W) or Indonesian (U/LU utara, S/LS selatan, T/BT timur, B/BB
barat). A hemisphere letter must fit the column (no `E` in a latitude) and agree with a minus
sign if there is one. Every refusal says why, in words a person can act on.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from geo_assets.io.parsing import number_from_text

Axis = Literal["lat", "lon"]

COORDINATE_HINT = (
    "decimal degrees (-3.4421 or -3,4421) or degrees-minutes-seconds (3°26'31.5\"S, 114°49'12\"E)"
)
_LIMIT = {"lat": 90.0, "lon": 180.0}
_NAME = {"lat": "latitude", "lon": "longitude"}
# Hemisphere letters → (axis, sign). `S` is both South and Selatan; `B` is Barat (west).
_HEMISPHERES: dict[str, tuple[Axis, int]] = {
    "N": ("lat", 1),
    "U": ("lat", 1),
    "LU": ("lat", 1),
    "S": ("lat", -1),
    "LS": ("lat", -1),
    "E": ("lon", 1),
    "T": ("lon", 1),
    "BT": ("lon", 1),
    "W": ("lon", -1),
    "B": ("lon", -1),
    "BB": ("lon", -1),
}
_HEMISPHERE = r"(LU|LS|BT|BB|[NSEWUTB])"
_LEADING = re.compile(rf"^{_HEMISPHERE}(?![A-Z])")
_TRAILING = re.compile(rf"(?<![A-Z]){_HEMISPHERE}$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MARKS = re.compile(r"[\s°º˚'′’‘\"″”“]+")
_DMS_MARKS = re.compile(r"[°º˚'′’‘\"″”“]")


class CoordinateError(ValueError):
    """A cell that is not a coordinate; the message says what is wrong with it."""


def parse_coordinate(value: object, axis: Axis) -> float:
    """The coordinate in `value` as signed decimal degrees; CoordinateError says why not."""
    if value is None:
        raise CoordinateError("is empty")
    if isinstance(value, bool):
        raise CoordinateError(f"'{value}' is not a coordinate")
    if isinstance(value, int | float):
        if math.isnan(value):
            raise CoordinateError("is empty")
        return _in_range(float(value), axis, str(value))
    text = str(value).strip().replace("\u00a0", " ").replace("\u2212", "-")
    if not text:
        raise CoordinateError("is empty")
    is_dms = bool(_DMS_MARKS.search(text)) or bool(re.search(r"[A-Za-z]", text))
    if not is_dms and len(_NUMBER.findall(text)) <= 1:
        number = number_from_text(text)
        if number is None:
            raise CoordinateError(f"'{text}' is not a coordinate")
        return _in_range(number, axis, text)
    return _in_range(_from_dms(text, axis), axis, text)


def _from_dms(text: str, axis: Axis) -> float:
    """Degrees, minutes and seconds (and a hemisphere) as signed decimal degrees."""
    rest, hemisphere = _strip_hemisphere(text.upper().strip(), text, axis)
    negative = rest.startswith("-")
    rest = rest.lstrip("+-").strip()
    numbers = _NUMBER.findall(rest)
    leftover = _MARKS.sub("", _NUMBER.sub("", rest))
    if leftover or not 1 <= len(numbers) <= 3:
        raise CoordinateError(f"'{text}' is not a coordinate")
    degrees, minutes, seconds = ([float(n.replace(",", ".")) for n in numbers] + [0.0, 0.0])[:3]
    for amount, unit in ((minutes, "minutes"), (seconds, "seconds")):
        if amount >= 60:
            raise CoordinateError(f"'{text}' has {amount:g} {unit}; {unit} run from 0 to 59")
    if len(numbers) > 1 and not degrees.is_integer():
        raise CoordinateError(f"'{text}' has decimal degrees followed by minutes")
    magnitude = degrees + minutes / 60 + seconds / 3600
    if hemisphere is None:
        return -magnitude if negative else magnitude
    if negative and hemisphere > 0:
        raise CoordinateError(
            f"'{text}' has a minus sign and a northern/eastern hemisphere; give one of them"
        )
    return magnitude * hemisphere


def _strip_hemisphere(upper: str, text: str, axis: Axis) -> tuple[str, int | None]:
    """The text without its hemisphere letters, and the sign they give (None when absent)."""
    found = [(pattern, pattern.search(upper)) for pattern in (_LEADING, _TRAILING)]
    hits = [(pattern, match) for pattern, match in found if match]
    if not hits:
        return upper, None
    if len(hits) > 1:
        raise CoordinateError(f"'{text}' gives a hemisphere twice")
    pattern, match = hits[0]
    letters = match.group(1)
    letter_axis, sign = _HEMISPHERES[letters]
    if letter_axis != axis:
        raise CoordinateError(
            f"'{text}': {letters} is a {_NAME[letter_axis]} hemisphere, "
            f"but this column holds the {_NAME[axis]}"
        )
    rest = upper[match.end() :] if pattern is _LEADING else upper[: match.start()]
    return rest.strip(), sign


def _in_range(number: float, axis: Axis, text: str) -> float:
    if not math.isfinite(number) or abs(number) > _LIMIT[axis]:
        limit = _LIMIT[axis]
        raise CoordinateError(
            f"'{text}' is out of range: a {_NAME[axis]} lies between -{limit:g} and {limit:g}"
        )
    return number
