"""`Place`: the Open311 tests' database, its two lamps, an API key and points near lamp A."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from tests.open311.builders import lonlat


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
