"""The inputs of the sample city, read from `data/banjarbaru/` (CSV and TOML)."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geo_assets.settings import DATA_DIR

INPUT_DIR = DATA_DIR / "banjarbaru"


@dataclass(frozen=True)
class KecamatanInput:
    """A district: Kemendagri code, name and official area."""

    code: str
    name: str
    official_area_km2: float


@dataclass(frozen=True)
class KelurahanInput:
    """A sub-district: code, name, centroid, how urban it is (its shape: kelurahan.geojson)."""

    code: str
    name: str
    lon: float
    lat: float
    urban_weight: float  # relative density of streets (and so of lamps)

    @property
    def kecamatan_code(self) -> str:
        """`63.72.04.1002` -> `63.72.04`."""
        return self.code.rsplit(".", 1)[0]


@dataclass(frozen=True)
class CityInputs:
    """Everything the generator reads from the data folder."""

    kecamatan: tuple[KecamatanInput, ...]
    kelurahan: tuple[KelurahanInput, ...]
    roads: dict[str, Any]
    cemeteries: dict[str, Any]
    names: dict[str, Any]
    texts: dict[str, Any]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def load_inputs(folder: Path = INPUT_DIR) -> CityInputs:
    """Read and check the input files; they are small and read once per process."""
    kecamatan = tuple(
        KecamatanInput(row["code"], row["name"], float(row["official_area_km2"]))
        for row in _rows(folder / "kecamatan.csv")
    )
    kelurahan = tuple(
        KelurahanInput(
            row["code"],
            row["name"],
            float(row["lon"]),
            float(row["lat"]),
            float(row["urban_weight"]),
        )
        for row in _rows(folder / "kelurahan.csv")
    )
    known = {k.code for k in kecamatan}
    stray = [k.code for k in kelurahan if k.kecamatan_code not in known]
    if stray:
        raise ValueError(f"kelurahan without a kecamatan in {folder}: {', '.join(stray)}")
    return CityInputs(
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        roads=_toml(folder / "roads.toml"),
        cemeteries=_toml(folder / "cemeteries.toml"),
        names=_toml(folder / "names.toml"),
        texts=_toml(folder / "texts.toml"),
    )
