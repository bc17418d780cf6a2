"""A large GeoPackage is imported in bounded memory: its peak is that of a small file's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from sqlalchemy import Engine

from tests.io.helpers import count

LARGE = 100_000
SMALL = 1_000
# What slicing may add over a file read whole: 40 MB here; the 50,000-row slices and the whole
# code column read at once before added 72 MB (and more with every further row).
SLICE_ALLOWANCE_MB = 55

# Runs in its own process, so that its peak memory is the import's alone.
IMPORT_AND_MEASURE = """
import sys
from geo_assets.database import make_engine
from geo_assets.io.importer import import_file
report = import_file(make_engine(sys.argv[1]), entity="lamps", path=sys.argv[2],
                     write_report=False)
assert report.imported == int(sys.argv[3]) and not report.issues, report.summary()
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking pytest process.
print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""


def _lamps(path: Path, count: int, district: str) -> Path:
    """`count` lamps along Jl. A. Yani of the small city, codes PJU-<district>-n (then -06-n)."""
    number = np.arange(count)
    codes = [f"PJU-{district if n < 99_999 else '63.72.06'}-{n % 99_999 + 1:05d}" for n in number]
    lon = 114.806 + (number % 6_000) * 0.068 / 6_000
    frame = gpd.GeoDataFrame(
        {"code": codes, "lamp_type": "led", "wattage": 60, "pole_height_m": 9.0},
        geometry=shapely.points(np.column_stack([lon, np.full(count, -3.4401)])),
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(frame, path, layer="lamps", driver="GPKG")
    return path


def _peak_mb(db_url: str, path: Path, expected: int) -> float:
    """Peak resident memory (MB) of a process that imports `path`."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_MEASURE, db_url, str(path), str(expected)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stdout.split()[-1]) / 1024


def test_large_geopackage_import_peaks_like_a_small_one(
    city: Engine, db_url: str, tmp_path: Path
) -> None:
    """100,000 lamps (read, checked and stored in slices) peak within 55 MB of 1,000 lamps."""
    small = _peak_mb(db_url, _lamps(tmp_path / "small.gpkg", SMALL, "63.72.05"), SMALL)
    large = _peak_mb(db_url, _lamps(tmp_path / "large.gpkg", LARGE, "63.72.04"), LARGE)
    assert count(city, "lamp") == SMALL + LARGE
    assert large - small < SLICE_ALLOWANCE_MB, (small, large)
