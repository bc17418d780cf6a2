"""An API client on a fresh database with two lamps 200 m apart and an API key."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.open311.builders import add_lamp, new_api_key
from tests.open311.places import Place


@pytest.fixture
def place(engine: Engine) -> Place:
    """Lamp A at the origin, lamp B 200 m east, both working; one API key."""
    with engine.begin() as conn:
        lamp_a = add_lamp(conn, 1, 0)
        lamp_b = add_lamp(conn, 2, 200)
    return Place(engine, lamp_a, lamp_b, new_api_key(engine))
