"""data/banjarbaru/convert.py turns [lat, lng] SQL dumps into clean lng/lat GeoJSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import shapely
from shapely.geometry import shape

from geo_assets.settings import DATA_DIR

HEADER = "INSERT INTO wilayah_boundaries(`kode`,`nama`,`lat`,`lng`,`path`) VALUES\n"


def _converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert", DATA_DIR / "banjarbaru/convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ring(lng0: float, lat0: float, lng1: float, lat1: float) -> str:
    corners = [(lat0, lng0), (lat0, lng1), (lat1, lng1), (lat1, lng0), (lat0, lng0)]
    return "[" + ",".join(f"[{lat},{lng}]" for lat, lng in corners) + "]"


def _notched() -> str:
    """114.2..114.3 E, with a 0.0002° notch in its west edge between 3.04 and 3.06 S."""
    corners = [
        (114.2, -3.1),
        (114.3, -3.1),
        (114.3, -3.0),
        (114.2, -3.0),
        (114.2, -3.04),
        (114.2002, -3.04),
        (114.2002, -3.06),
        (114.2, -3.06),
        (114.2, -3.1),
    ]
    return "[" + ",".join(f"[{lat},{lng}]" for lng, lat in corners) + "]"


def test_dump_becomes_lnglat_geojson_without_overlaps_or_gaps(tmp_path: Path) -> None:
    """Positions are swapped, other cities left out, overlaps and gaps resolved, names kept."""
    # Three kelurahan of 99.01 side by side: A overlaps B by 0.001°, and C's notch leaves a gap
    # (a hole in the city) against B; a kelurahan of another city (99.02) must be left out.
    kel = tmp_path / "kel.sql"
    kel.write_text(
        HEADER
        + f"('99.01.01.1001','A',-3.05,114.05,'[{_ring(114.0, -3.1, 114.101, -3.0)}]'),\n"
        + f"('99.01.01.1002','B\\'s',-3.05,114.15,'[{_ring(114.1, -3.1, 114.2, -3.0)}]'),\n"
        + f"('99.01.02.1001','C',-3.05,114.25,'[[{_notched()}]]'),\n"
        + f"('99.02.01.1001','X',-3.05,115.05,'[{_ring(115.0, -3.1, 115.1, -3.0)}]');\n"
    )
    kec = tmp_path / "kec.sql"
    kec.write_text(
        HEADER
        + f"('99.01.01','Satu',-3.05,114.1,'[{_ring(114.0, -3.1, 114.2, -3.0)}]'),\n"
        + f"('99.01.02','Dua',-3.05,114.25,'[{_ring(114.2, -3.1, 114.3, -3.0)}]');\n"
    )
    argv = ["--prefix", "99.01", "--kecamatan", str(kec), "--kelurahan", str(kel)]
    assert _converter().main([*argv, "--out", str(tmp_path)]) == 0
    kelurahan = json.loads((tmp_path / "kelurahan.geojson").read_text())["features"]
    kecamatan = json.loads((tmp_path / "kecamatan.geojson").read_text())["features"]
    assert [f["properties"]["code"] for f in kelurahan] == [
        "99.01.01.1001",
        "99.01.01.1002",
        "99.01.02.1001",
    ]
    assert kelurahan[1]["properties"] == {
        "code": "99.01.01.1002",
        "name": "B's",
        "kecamatan_code": "99.01.01",
    }
    shapes = [shape(f["geometry"]) for f in kelurahan]
    assert all(s.geom_type == "MultiPolygon" and s.is_valid for s in shapes)
    assert shapes[0].bounds == (114.0, -3.1, 114.101, -3.0)  # lng first
    assert shapes[0].intersection(shapes[1]).area == 0.0
    assert shapes[1].bounds == (114.101, -3.1, 114.2, -3.0)  # the overlap went to A
    assert shapes[2].equals(shapely.box(114.2, -3.1, 114.3, -3.0))  # the gap went to C
    assert shapely.union_all(shapes).area == shapely.box(114.0, -3.1, 114.3, -3.0).area
    assert [f["properties"]["name"] for f in kecamatan] == ["Satu", "Dua"]
    satu = shape(kecamatan[0]["geometry"])
    assert satu.covers(shapes[0]) and satu.covers(shapes[1])
    assert 240 < kecamatan[0]["properties"]["area_km2"] < 250  # 0.2° × 0.1° at 3° S
