"""Reference tables kept in `data/`: spacing norms, unit costs, LED equivalents."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo_assets.errors import InvalidInput
from geo_assets.settings import DATA_DIR
from geo_assets.vocab import ROAD_CLASS

SPACING_NORMS_FILE = DATA_DIR / "spacing_norms.toml"
UNIT_COSTS_FILE = DATA_DIR / "unit_costs.toml"
LED_EQUIVALENTS_FILE = DATA_DIR / "led_equivalents.toml"


@dataclass(frozen=True)
class ClassNorm:
    """The SNI 7391:2008 spacing limit of one road class, in multiples of the pole height H."""

    max_spacing_h: float
    min_spacing_h: float
    new_pole_height_m: float

    @property
    def new_spacing_m(self) -> float:
        """Largest spacing allowed between proposed poles of the default height."""
        return self.max_spacing_h * self.new_pole_height_m


@dataclass(frozen=True)
class SpacingNorms:
    """Spacing norms per road class plus the tolerances of the coverage analysis."""

    classes: dict[str, ClassNorm]
    min_gap_m: float
    snap_distance_m: float

    def norm(self, road_class: str) -> ClassNorm:
        """The norm of `road_class`; unknown classes are a clear error."""
        try:
            return self.classes[road_class]
        except KeyError:
            raise InvalidInput(f"No spacing norm for road class '{road_class}'.") from None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or InvalidInput naming the file and the problem."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InvalidInput(f"File not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}") from None


def load_spacing_norms(path: Path = SPACING_NORMS_FILE) -> SpacingNorms:
    """The spacing table of `data/spacing_norms.toml`, checked for every road class."""
    raw = read_toml(path)
    classes = {}
    for road_class in ROAD_CLASS:
        entry = raw.get("road_class", {}).get(road_class)
        if entry is None:
            raise InvalidInput(f"{path}: no norm for road class '{road_class}'.")
        classes[road_class] = ClassNorm(
            max_spacing_h=float(entry["max_spacing_h"]),
            min_spacing_h=float(entry["min_spacing_h"]),
            new_pole_height_m=float(entry["new_pole_height_m"]),
        )
    return SpacingNorms(
        classes=classes,
        min_gap_m=float(raw.get("min_gap_m", 1.0)),
        snap_distance_m=float(raw.get("snap_distance_m", 30.0)),
    )


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_unit_costs(override: Path | None = None) -> dict[str, Any]:
    """Unit costs in Rupiah from `data/unit_costs.toml`, entries of `override` taking precedence."""
    costs = read_toml(UNIT_COSTS_FILE)
    if override is not None:
        costs = _merge(costs, read_toml(Path(override)))
    for section in ("new_lamp", "lamp_repair", "led_conversion", "access_road", "musala"):
        for key, value in costs.get(section, {}).items():
            if key != "unit" and (not isinstance(value, int) or value < 0):
                raise InvalidInput(
                    f"Unit cost {section}.{key} must be whole Rupiah ≥ 0, got {value!r}."
                )
    return costs


def load_led_equivalents(path: Path = LED_EQUIVALENTS_FILE) -> dict[str, dict[str, Any]]:
    """Per lamp type: `factor` and `table` {wattage: LED wattage}."""
    raw = read_toml(path)
    return {
        lamp_type: {
            "factor": float(entry["factor"]),
            "table": {int(w): int(led) for w, led in entry.get("table", {}).items()},
        }
        for lamp_type, entry in raw.items()
    }


def led_wattage(equivalents: dict[str, dict[str, Any]], lamp_type: str, wattage: int) -> int:
    """The LED wattage that replaces a `lamp_type` lamp of `wattage` W (LED stays as it is)."""
    if lamp_type == "led":
        return wattage
    entry = equivalents.get(lamp_type) or equivalents["other"]
    return entry["table"].get(wattage, round(wattage * entry["factor"]))
