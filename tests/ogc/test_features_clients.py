"""Real OGC API clients read the inventory: GDAL's OAPIF driver and OWSLib, over a socket."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from owslib.ogcapi.features import Features
from sqlalchemy import func, select

from geo_assets import tables
from geo_assets.embedded import EmbeddedCluster
from tests.ogc.ogc_server import OgcServer, seeded_server

PUBLIC = [
    "lamps",
    "roads",
    "kecamatan",
    "kelurahan",
    "cemeteries",
    "cemetery-blocks",
    "plots",
    "access-roads",
    "prayer-rooms",
    "service-requests",
]


@pytest.fixture(scope="module")
def server(cluster: EmbeddedCluster, seeded_template: str) -> Iterator[OgcServer]:
    """One server on a copy of the seeded 14,000-lamp city for this module."""
    with seeded_server(cluster, seeded_template) as running:
        yield running


def _gdal(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _copy_lamps(server: OgcServer, out: Path, *extra: str) -> tuple[list[dict], str]:
    """ogr2ogr the lamps collection to a GeoJSON file; its features and GDAL's debug log."""
    log = _gdal(
        "ogr2ogr",
        "-f",
        "GeoJSON",
        str(out),
        f"OAPIF:{server.base}/ogc",
        "lamps",
        "-oo",
        "PAGE_SIZE=10000",
        "--config",
        "CPL_DEBUG",
        "ON",
        *extra,
    )
    return json.loads(out.read_text())["features"], log


def test_gdal_lists_every_public_collection(server: OgcServer) -> None:
    """ogrinfo over OAPIF lists exactly the public collections, work orders not among them."""
    output = _gdal("ogrinfo", "-ro", "-q", f"OAPIF:{server.base}/ogc")
    layers = [line.split(": ", 1)[1].split(" ")[0] for line in output.splitlines() if ": " in line]
    assert layers == PUBLIC


def test_gdal_copies_all_14000_lamps(server: OgcServer, tmp_path: Path) -> None:
    """ogr2ogr reads the whole lamps collection of the seeded city: 14,000 points with codes."""
    features, _ = _copy_lamps(server, tmp_path / "lamps.geojson")
    assert len(features) == 14_000
    assert len({f["properties"]["code"] for f in features}) == 14_000
    assert {f["geometry"]["type"] for f in features} == {"Point"}


def test_gdal_where_returns_exactly_the_matching_lamps(server: OgcServer, tmp_path: Path) -> None:
    """`-where "status = 'out'"` gives exactly the lamps the database holds as out."""
    with server.engine.connect() as connection:
        expected = set(
            connection.execute(
                select(tables.LAMP.c.code).where(tables.LAMP.c.status == "out")
            ).scalars()
        )
    assert expected
    features, log = _copy_lamps(server, tmp_path / "out.geojson", "-where", "status = 'out'")
    assert {f["properties"]["code"] for f in features} == expected
    assert {f["properties"]["status"] for f in features} == {"out"}
    # Any filter GDAL sends to the server must be one we understood (never an ignored one).
    sent = [line for line in log.splitlines() if "Fetch(" in line and "filter=" in line]
    assert all("filter-lang=cql" in line for line in sent), sent


def test_owslib_reads_collections_and_a_bbox_of_lamps(server: OgcServer) -> None:
    """OWSLib's OGC API – Features client lists collections and reads lamps within a bbox."""
    client = Features(f"{server.base}/ogc")
    ids = [c["id"] for c in client.collections()["collections"]]
    assert ids == PUBLIC
    assert client.collection("lamps")["itemType"] == "feature"
    bbox = [114.80, -3.46, 114.85, -3.42]
    page = client.collection_items("lamps", bbox=bbox, limit=500)
    with server.engine.connect() as connection:
        box = func.ST_MakeEnvelope(*bbox, 4326)
        inside = connection.execute(
            select(func.count()).where(func.ST_Intersects(tables.LAMP.c.geom, box))
        ).scalar_one()
    assert page["numberMatched"] == inside > 0
    assert page["numberReturned"] == min(500, inside)
    for feature in page["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]
