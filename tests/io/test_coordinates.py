"""Coordinates as offices type them: numbers, decimal commas, DMS; clear words when they are bad."""

from __future__ import annotations

import pytest

from geo_assets.io.coordinates import CoordinateError, parse_coordinate


@pytest.mark.parametrize(
    ("value", "axis", "expected"),
    [
        (-3.4421, "lat", -3.4421),
        (114, "lon", 114.0),
        ("-3,4421", "lat", -3.4421),
        (" 114,8312 ", "lon", 114.8312),
        ("-3.4421", "lat", -3.4421),
        ("−3,5", "lat", -3.5),
        ("3°26'31.5\"S", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("3° 26′ 31.5″ S", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("3°26'31,5''LS", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("S 3 26 31.5", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("-3°26'31.5\"", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("-3°26'31.5\"S", "lat", -(3 + 26 / 60 + 31.5 / 3600)),
        ("114°49'12\"E", "lon", 114.82),
        ("114°49′12″ BT", "lon", 114.82),
        ("114°49.2'T", "lon", 114.82),
        ("0°30'U", "lat", 0.5),
        ("70°30'W", "lon", -70.5),
        ("3°N", "lat", 3.0),
    ],
)
def test_accepted_spellings(value: object, axis: str, expected: float) -> None:
    """Numbers, decimal commas and DMS (any marks, spaces, EN or ID hemispheres) are read."""
    assert parse_coordinate(value, axis) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "axis", "message"),
    [
        ("", "lat", "is empty"),
        (None, "lon", "is empty"),
        (float("nan"), "lat", "is empty"),
        ("abc", "lon", "'abc' is not a coordinate"),
        ("1.2.3,4,5", "lon", "is not a coordinate"),
        ("?", "lon", "'?' is not a coordinate"),
        ("3°61'10\"S", "lat", "has 61 minutes; minutes run from 0 to 59"),
        ("3°26'75\"S", "lat", "has 75 seconds; seconds run from 0 to 59"),
        ("114°49'12\"E", "lat", "E is a longitude hemisphere, but this column holds the latitude"),
        ("3°26'S", "lon", "S is a latitude hemisphere, but this column holds the longitude"),
        ("-3°26'N", "lat", "has a minus sign and a northern/eastern hemisphere"),
        ("S 3°26' S", "lat", "gives a hemisphere twice"),
        ("3.5°26'S", "lat", "decimal degrees followed by minutes"),
        ("95", "lat", "out of range: a latitude lies between -90 and 90"),
        (-190.5, "lon", "out of range: a longitude lies between -180 and 180"),
        (True, "lat", "is not a coordinate"),
        ("3°26'31\"12 S", "lat", "is not a coordinate"),
    ],
)
def test_bad_values_say_what_is_wrong(value: object, axis: str, message: str) -> None:
    """Each refusal names the value and what is wrong with it."""
    with pytest.raises(CoordinateError) as caught:
        parse_coordinate(value, axis)  # type: ignore[arg-type]
    assert message in str(caught.value)
