"""`geo-assets export lamps --format osm`: lamps as OpenStreetMap XML that JOSM and GDAL read."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets.io.osm_store import import_osm
from tests.io.osm_fixture import build_extract


@pytest.fixture
def exported(seeded_engine: Engine, seeded_url: str, tmp_path: Path) -> tuple[Path, str]:
    """The extract imported, then the lamps of its area exported with the CLI (file, output)."""
    extract = build_extract(seeded_engine)
    import_osm(seeded_engine, path=extract.write(tmp_path / "centre.osm"))
    x0, y0 = extract.origin
    bbox = f"{x0 - 0.001},{y0 - 0.001},{x0 + 0.004},{y0 + 0.015}"
    out = tmp_path / "lampu.osm"
    env = {"GEO_ASSETS_DATABASE_URL": seeded_url, "COLUMNS": "250"}
    result = CliRunner().invoke(
        app, ["export", "lamps", "--format", "osm", "--bbox", bbox, "-o", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def _nodes(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == "osm" and root.get("version") == "0.6"
    return {_tags(node).get("ref", ""): node for node in root.iter("node")}


def _tags(node: ET.Element) -> dict[str, str]:
    return {tag.get("k", ""): tag.get("v", "") for tag in node.iter("tag")}


def test_export_keeps_osm_ids_and_versions(
    seeded_engine: Engine, exported: tuple[Path, str]
) -> None:
    """Lamps read from OSM keep their node id and version; the others get distinct negative
    ids; every node is a street lamp whose ref is our code."""
    path, output = exported
    nodes = _nodes(path)
    with seeded_engine.connect() as conn:
        rows = conn.execute(text("SELECT code, osm_id FROM lamp WHERE osm_id IS NOT NULL"))
        osm = {code: osm_id for code, osm_id in rows}
    assert f"wrote {len(nodes)} lamps to" in output
    from_osm = {code: node for code, node in nodes.items() if code in osm}
    assert len(from_osm) == 7
    for code, node in from_osm.items():
        assert (node.get("id"), node.get("version")) == (osm[code][1:], "2")
    others = [node for code, node in nodes.items() if code not in osm]
    assert others, "the seeded lamps of the area are exported too"
    ids = [int(node.get("id", "0")) for node in others]
    assert all(i < 0 for i in ids) and len(set(ids)) == len(ids)
    assert all(node.get("version") is None for node in others)
    assert all(_tags(node)["highway"] == "street_lamp" for node in nodes.values())


def test_export_tags_say_type_support_height_and_operator(
    seeded_engine: Engine, exported: tuple[Path, str]
) -> None:
    """OSM tags carry what we know: light:method, support, height, operator, start_date."""
    path, _ = exported
    with seeded_engine.connect() as conn:
        rows = conn.execute(text("SELECT osm_id, code FROM lamp WHERE osm_id IS NOT NULL"))
        codes = {osm_id: code for osm_id, code in rows}
    nodes = _nodes(path)
    assert _tags(nodes[codes["n301"]]) == {
        "highway": "street_lamp",
        "ref": codes["n301"],
        "lamp_type": "electric",
        "light:method": "LED",
        "support": "pole",
        "height": "10",
        "operator": "Pemerintah Kota Banjarbaru",
        "start_date": "2021-06-01",
    }
    assert _tags(nodes[codes["n302"]])["light:method"] == "high_pressure_sodium"
    assert _tags(nodes[codes["n302"]])["operator"] == "PLN"
    assert _tags(nodes[codes["n303"]])["support"] == "wall_mounted"
    assert "light:method" not in _tags(nodes[codes["n306"]])  # `other` says nothing


def test_gdal_reads_the_export(exported: tuple[Path, str]) -> None:
    """GDAL's OSM driver (ogrinfo) reads every exported lamp with its tags."""
    path, _ = exported
    count = len(_nodes(path))
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", "--config", "OSM_USE_CUSTOM_INDEXING", "NO", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert info.count("highway (String) = street_lamp") == count
    assert info.count("ref (String) = PJU-") == count
    assert '"light:method"=>"LED"' in info
    assert '"operator"=>"Pemerintah Kota Banjarbaru"' in info


def test_exported_file_imports_back_without_duplicates(
    seeded_engine: Engine, exported: tuple[Path, str]
) -> None:
    """Importing the export again matches every lamp (by OSM id, or by ref = our code for
    lamps OSM did not have) and creates none."""
    path, _ = exported
    with seeded_engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM lamp")).scalar_one()
    report = import_osm(seeded_engine, path=path)
    assert (report.counts["lamps"].created, report.counts["lamps"].updated) == (0, 0)
    assert report.counts["lamps"].unchanged == len(_nodes(path))
    with seeded_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM lamp")).scalar_one() == before


def test_osm_format_is_for_lamps_only(seeded_url: str, tmp_path: Path) -> None:
    """`export roads --format osm` is refused with a message saying what it writes."""
    env = {"GEO_ASSETS_DATABASE_URL": seeded_url, "COLUMNS": "250"}
    result = CliRunner().invoke(
        app, ["export", "roads", "--format", "osm", "-o", str(tmp_path / "jalan.osm")], env=env
    )
    assert result.exit_code == 1
    assert "--format osm writes lamps only, not roads" in result.output
