"""The `crew` fixture: users of every working role, two lamps and an API key (see crews.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.open311.builders import add_lamp, add_user, new_api_key
from tests.workorders.crews import Crew


@pytest.fixture
def crew(engine: Engine) -> Crew:
    """Staff, two crew members, a planner, lamps A (origin) and B (300 m east), an API key."""
    with engine.begin() as conn:
        people = [
            add_user(conn, name, role)
            for name, role in (
                ("siti", "staff"),
                ("budi", "crew"),
                ("sari", "crew"),
                ("rudi", "planner"),
            )
        ]
        lamps = [add_lamp(conn, 1, 0), add_lamp(conn, 2, 300)]
    return Crew(engine, *people, *lamps, key=new_api_key(engine))
