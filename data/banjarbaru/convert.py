"""Convert `wilayah_boundaries` SQL dumps to GeoJSON: the kecamatan and kelurahan of one city.

The dumps (github.com/cahyadsn/wilayah_boundaries, MIT) hold one row per area,
`('63.72.02.1003','Landasan Ulin Timur',lat,lng,'[[[lat,lng],...]]')`, with the polygon's
positions as [lat, lng]. This script swaps them to GeoJSON's [lng, lat], repairs what is
invalid, rounds to `--digits` decimals (6 ≈ 0.1 m) and writes one FeatureCollection per level:

    python data/banjarbaru/convert.py --prefix 63.72 \
        --kecamatan wilayah_boundaries_kec_63.sql --kelurahan wilayah_boundaries_kel_63.72.sql \
        --out data/banjarbaru

The dump simplified each area on its own, so neighbours' borders do not quite meet: where two
kelurahan overlap, the overlap goes to the first in code order, and each gap between them (a
hole in the city) goes to the neighbour sharing the longest border with it. Kecamatan are
written as the union of their kelurahan, so that every kelurahan lies exactly inside its
kecamatan; the kecamatan dump supplies the names (and a check on the areas).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

ROW = re.compile(
    r"\('(?P<code>[0-9.]+)','(?P<name>(?:[^'\\]|\\.|'')*)',"
    r"(?P<lat>-?[0-9.]+),(?P<lng>-?[0-9.]+),'(?P<path>\[[-0-9.,\[\]eE ]*\])'\)"
)
GEOD = Geod(ellps="WGS84")


def read_rows(path: Path, prefix: str) -> dict[str, tuple[str, Any]]:
    """`code -> (name, nested [lat, lng] list)` of every row whose code starts with `prefix.`."""
    rows = {}
    for match in ROW.finditer(path.read_text(encoding="utf-8")):
        code = match["code"]
        if code.startswith(prefix + "."):
            name = match["name"].replace("\\'", "'").replace("''", "'")
            rows[code] = (name, json.loads(match["path"]))
    return rows


def _depth(nested: Any) -> int:
    depth = 0
    while isinstance(nested, list):
        nested, depth = nested[0], depth + 1
    return depth


def to_geometry(path: Any) -> MultiPolygon:
    """A [lat, lng] polygon (depth 3) or multipolygon (depth 4) as a valid lng/lat MultiPolygon."""
    polygons = [path] if _depth(path) == 3 else path
    parts = [
        Polygon([(lng, lat) for lat, lng in rings[0]], [[(x, y) for y, x in r] for r in rings[1:]])
        for rings in polygons
    ]
    return as_multipolygon(shapely.make_valid(MultiPolygon(parts)))


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """The polygonal parts of `geometry`, oriented, as one MultiPolygon."""
    pieces = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon) and g.area > 0]
    flat = []
    for piece in pieces:
        flat.extend(shapely.get_parts(piece))
    return MultiPolygon([shapely.orient_polygons(p) for p in flat])


def rounded(geometry: MultiPolygon, digits: int) -> MultiPolygon:
    """`geometry` with coordinates rounded to `digits` decimals, made valid again."""
    snapped = shapely.set_precision(geometry, 10.0**-digits)
    return as_multipolygon(shapely.make_valid(snapped))


def without_overlaps(areas: dict[str, MultiPolygon], digits: int) -> dict[str, MultiPolygon]:
    """The areas with each overlap (slivers where neighbours' borders disagree) given to the
    area first in code order, so that a point lies in at most one of them."""
    result: dict[str, MultiPolygon] = {}
    for code in sorted(areas):
        taken = shapely.union_all(list(result.values()), grid_size=10.0**-digits)
        result[code] = as_multipolygon(
            shapely.difference(areas[code], taken, grid_size=10.0**-digits)
        )
    return result


def without_gaps(areas: dict[str, MultiPolygon], digits: int) -> dict[str, MultiPolygon]:
    """The areas with each gap between them (a hole in their union: the dump's areas were
    simplified one by one) given to the neighbour that shares the longest border with it."""
    grid = 10.0**-digits
    result = dict(areas)
    union = shapely.union_all(list(areas.values()), grid_size=grid)
    for part in shapely.get_parts(union):
        for ring in part.interiors:
            gap = Polygon(ring)
            touching = gap.boundary.buffer(grid)
            code = max(result, key=lambda c: result[c].boundary.intersection(touching).length)
            result[code] = as_multipolygon(shapely.union(result[code], gap, grid_size=grid))
    return result


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area on the WGS 84 ellipsoid, in km²."""
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def feature(properties: dict[str, Any], geometry: MultiPolygon) -> dict[str, Any]:
    """One GeoJSON Feature."""
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def convert(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kecamatan and kelurahan FeatureCollections."""
    kelurahan_rows = read_rows(args.kelurahan, args.prefix)
    kecamatan_rows = read_rows(args.kecamatan, args.prefix)
    kelurahan = without_overlaps(
        {code: rounded(to_geometry(p), args.digits) for code, (_, p) in kelurahan_rows.items()},
        args.digits,
    )
    kelurahan = without_gaps(kelurahan, args.digits)
    kel_features, kec_features = [], []
    for code in sorted(kelurahan):
        name = kelurahan_rows[code][0]
        props: dict[str, Any] = {
            "code": code,
            "name": name,
            "kecamatan_code": code.rsplit(".", 1)[0],
        }
        kel_features.append(feature(props, kelurahan[code]))
    for code in sorted(kecamatan_rows):
        members = [g for k, g in kelurahan.items() if k.rsplit(".", 1)[0] == code]
        union = as_multipolygon(shapely.union_all(members, grid_size=10.0**-args.digits))
        source_km2 = area_km2(to_geometry(kecamatan_rows[code][1]))
        props = {
            "code": code,
            "name": kecamatan_rows[code][0],
            "area_km2": round(area_km2(union), 2),
        }
        kec_features.append(feature(props, union))
        print(f"{code} {props['name']:<20} {props['area_km2']:7.2f} km² (dump {source_km2:.2f})")
    return (
        {"type": "FeatureCollection", "features": kec_features},
        {"type": "FeatureCollection", "features": kel_features},
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, convert, write `kecamatan.geojson` and `kelurahan.geojson`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prefix", required=True, help="city code, e.g. 63.72")
    parser.add_argument("--kecamatan", type=Path, required=True, help="kecamatan SQL dump")
    parser.add_argument("--kelurahan", type=Path, required=True, help="kelurahan SQL dump")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--digits", type=int, default=6, help="decimals kept (6 ≈ 0.1 m)")
    args = parser.parse_args(argv)
    kecamatan, kelurahan = convert(args)
    total = sum(f["properties"]["area_km2"] for f in kecamatan["features"])
    print(
        f"{len(kecamatan['features'])} kecamatan, {len(kelurahan['features'])} kelurahan, "
        f"{total:.1f} km²"
    )
    for name, collection in (("kecamatan", kecamatan), ("kelurahan", kelurahan)):
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        (args.out / f"{name}.geojson").write_text(
            text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
