"""The field tests' street of lamps, a phone standing on it, and where their screenshots go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from maps.browser import PageWatch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "field"
# A mid-range Android phone held upright.
PHONE = {
    "viewport": {"width": 393, "height": 851},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@dataclass
class Street:
    """The test's database, the street's lamps (id and code), and lamp A's position."""

    engine: Engine
    lamps: dict[str, int]
    lon: float
    lat: float


@dataclass
class Phone:
    """A browser context like a phone standing at lamp A, with one watched page."""

    context: object
    page: object
    watch: PageWatch

    def screenshot(self, name: str) -> Path:
        """Save a screenshot under test-artifacts/field/."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path
