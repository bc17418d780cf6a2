"""Exports stream: over HTTP as attachments, from the command with flat memory and no pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bench.many_lamps import add_lamp_copies
from tests.io.helpers import count

ROOT = Path(__file__).resolve().parents[2]
MANY_LAMPS = 60_000
# Growth of peak memory from a 3-lamp export to a 60,000-lamp one. Streaming keeps it to one
# batch (measured: GeoJSON 0 MB, GeoPackage 16 MB); holding every feature at once (the
# GeoPackage writer before) grew by 72 MB, and grows with every lamp more.
FLAT_GROWTH_MB = 40

PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from geo_assets.database import make_engine
from geo_assets.io.export_queries import ExportFilters
from geo_assets.io.exporter import export_features

engine, folder = make_engine(sys.argv[1]), Path(sys.argv[2])
few = ExportFilters(kecamatan="63.72.04", status="out")
for fmt in ("geojson", "gpkg"):
    export_features(engine, entity="lamps", out=folder / f"few.{fmt}", filters=few)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
for fmt in ("geojson", "gpkg"):
    written = export_features(engine, entity="lamps", out=folder / f"all.{fmt}")
    print(written, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.fixture
def many_lamps(stocked_city: Engine) -> Engine:
    """The stocked city with some thousands of lamps more (copies, by SQL)."""
    add_lamp_copies(stocked_city, 3000)
    return stocked_city


def test_http_geojson_export_streams_as_an_attachment(
    many_lamps: Engine, client: TestClient
) -> None:
    """GET /api/v1/exports/lamps streams (no Content-Length) a named GeoJSON of every lamp."""
    with client.stream("GET", "/api/v1/exports/lamps") as response:
        body = b"".join(response.iter_bytes())
    assert response.status_code == 200, body[:300]
    assert response.headers["content-disposition"] == 'attachment; filename="lamps.geojson"'
    assert response.headers["content-type"].startswith("application/geo+json")
    assert "content-length" not in response.headers
    document = json.loads(body)
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == count(many_lamps, "lamp") == 3003


def test_http_gpkg_export_is_a_named_geopackage(
    many_lamps: Engine, client: TestClient, tmp_path: Path
) -> None:
    """?format=gpkg answers a GeoPackage attachment that GDAL reads with every lamp in it."""
    response = client.get("/api/v1/exports/lamps", params={"format": "gpkg"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-disposition"] == 'attachment; filename="lamps.gpkg"'
    path = tmp_path / "lamps.gpkg"
    path.write_bytes(response.content)
    assert pyogrio.read_info(path, layer="lamps")["features"] == 3003


def test_http_export_refuses_a_bad_filter_before_streaming(
    stocked_city: Engine, client: TestClient
) -> None:
    """An unknown status is a 422 problem naming the allowed values, not a broken stream."""
    response = client.get("/api/v1/exports/lamps", params={"status": "glowing"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "working" in response.json()["detail"]


def test_exports_keep_memory_flat(many_lamps: Engine, db_url: str, tmp_path: Path) -> None:
    """Exporting 60,000 lamps as GeoJSON and GeoPackage peaks within a batch of a tiny export."""
    total = add_lamp_copies(many_lamps, MANY_LAMPS - 3003)
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, db_url, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    lines = result.stdout.split()
    baseline, geojson_count, geojson_peak, gpkg_count, gpkg_peak = map(int, lines)
    assert geojson_count == gpkg_count == total == MANY_LAMPS
    assert geojson_peak - baseline < FLAT_GROWTH_MB, (baseline, geojson_peak)
    assert gpkg_peak - baseline < FLAT_GROWTH_MB, (baseline, gpkg_peak)


def test_geojson_export_command_loads_no_pandas(
    stocked_city: Engine, db_url: str, tmp_path: Path
) -> None:
    """`geo-assets export lamps -o x.geojson` runs without loading pandas or GeoPandas."""
    out = tmp_path / "lamps.geojson"
    code = (
        "import sys\n"
        "from cli.main import app\n"
        "try:\n"
        f"    app(['export', 'lamps', '-o', {str(out)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('pandas', 'geopandas') if m in sys.modules))\n"
    )
    env = {**os.environ, "GEO_ASSETS_DATABASE_URL": db_url}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert len(json.loads(out.read_text())["features"]) == 3
