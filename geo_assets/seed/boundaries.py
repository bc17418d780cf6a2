"""The official kecamatan and kelurahan of Banjarbaru, read from `data/banjarbaru/*.geojson`.

The files are the Kemendagri 2022 boundaries converted by `data/banjarbaru/convert.py` (see the
README there). The seed stores them as they are, in lon/lat, and works on a copy in UTM 50S
metres; the city outline is the union of the kelurahan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from geo_assets.seed.geometry import to_metric
from geo_assets.seed.inputs import INPUT_DIR, CityInputs


@dataclass(frozen=True)
class Boundaries:
    """The city in metres (`outline`, `kecamatan`, `kelurahan` by code) and in lon/lat."""

    outline: BaseGeometry
    kecamatan: dict[str, MultiPolygon]  # by code, metres
    kelurahan: dict[str, MultiPolygon]  # by code, metres
    kecamatan_lonlat: dict[str, MultiPolygon]  # by code, as shipped
    kelurahan_lonlat: dict[str, MultiPolygon]  # by code, as shipped

    def areas_km2(self) -> dict[str, float]:
        """Area of each kecamatan (in UTM 50S), in km²."""
        return {code: geom.area / 1e6 for code, geom in self.kecamatan.items()}


def _multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if not isinstance(geometry, MultiPolygon):
        raise ValueError(f"expected a (Multi)Polygon, not a {geometry.geom_type}")
    return geometry


@cache
def read_boundary_file(path: Path) -> dict[str, MultiPolygon]:
    """`code -> lon/lat MultiPolygon` of a shipped GeoJSON boundary file."""
    with path.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {f["properties"]["code"]: _multipolygon(shape(f["geometry"])) for f in features}


def build_boundaries(inputs: CityInputs, folder: Path = INPUT_DIR) -> Boundaries:
    """The official polygons of every kecamatan and kelurahan that `inputs` lists."""
    kecamatan = read_boundary_file(folder / "kecamatan.geojson")
    kelurahan = read_boundary_file(folder / "kelurahan.geojson")
    missing = [k.code for k in inputs.kecamatan if k.code not in kecamatan]
    missing += [k.code for k in inputs.kelurahan if k.code not in kelurahan]
    if missing:
        raise ValueError(f"no boundary in {folder} for {', '.join(missing)}")
    kec_lonlat = {k.code: kecamatan[k.code] for k in inputs.kecamatan}
    kel_lonlat = {k.code: kelurahan[k.code] for k in inputs.kelurahan}
    kel_metric = {code: to_metric(geom) for code, geom in kel_lonlat.items()}
    return Boundaries(
        outline=shapely.union_all(list(kel_metric.values())),
        kecamatan={code: to_metric(geom) for code, geom in kec_lonlat.items()},
        kelurahan=kel_metric,
        kecamatan_lonlat=kec_lonlat,
        kelurahan_lonlat=kel_lonlat,
    )
