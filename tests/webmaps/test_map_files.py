"""`geo-assets map ... -o DIR`: pages a person opens from disk, with their static folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.webmaps.map_pages import MapPage
from tests.webmaps.small_city import LAMP_COUNT

pytestmark = pytest.mark.browser


@pytest.fixture
def written(city, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All three maps written by the CLI into a fresh folder."""
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["map", "all", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def test_cli_writes_three_pages_and_their_static_folder(written: Path) -> None:
    """Each page refers to its scripts by relative paths that exist in static/."""
    for name in ("status", "coverage", "cemeteries"):
        html = (written / f"{name}.html").read_text()
        assert 'src="static/vendor/leaflet/leaflet.js"' in html and "https://cdn" not in html
    assert (written / "static/vendor/leaflet/leaflet.js").is_file()
    assert (written / "static/vendor/leaflet/LICENSE").is_file()
    assert (written / "static/geo_assets/maps.js").is_file()


@pytest.mark.parametrize("name", ["status", "coverage", "cemeteries"])
def test_written_page_opens_from_disk_cleanly(written: Path, map_page: MapPage, name: str) -> None:
    """Opened as file://, a page loads everything from beside it, with no error."""
    map_page.open((written / f"{name}.html").as_uri())
    map_page.screenshot(f"{name}-file")
    assert map_page.watch.problems() == []
    assert map_page.watch.outside == []
    if name == "status":
        assert map_page.lamps_on_screen() == LAMP_COUNT


def test_cli_writes_english_maps(
    city, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--lang en writes the labels in English."""
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["map", "status", "-o", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Street-light status" in (tmp_path / "status.html").read_text()


def test_cli_refuses_an_unknown_map(tmp_path: Path) -> None:
    """A map name that does not exist is refused with the choices, and nothing is written."""
    result = CliRunner().invoke(app, ["map", "lamps", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "status" in result.output
    assert not (tmp_path / "x").exists()
