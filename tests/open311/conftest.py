"""An API client on a fresh database with two lamps 200 m apart and an API key."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from tests.open311.builders import add_lamp, lonlat, new_api_key


@dataclass
class Place:
    """The test's database, its lamps and a point near each."""

    engine: Engine
    lamp_a: int
    lamp_b: int
    key: str

    def at(self, dx: float, dy: float = 0.0) -> tuple[float, float]:
        """lon/lat `dx` m east, `dy` m north of lamp A."""
        with self.engine.connect() as conn:
            return lonlat(conn, dx, dy)


@pytest.fixture
def place(engine: Engine) -> Place:
    """Lamp A at the origin, lamp B 200 m east, both working; one API key."""
    with engine.begin() as conn:
        lamp_a = add_lamp(conn, 1, 0)
        lamp_b = add_lamp(conn, 2, 200)
    return Place(engine, lamp_a, lamp_b, new_api_key(engine))
