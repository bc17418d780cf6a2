"""`geo-assets report …` and `geo-assets export proposal` on the hand-built cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from cli.main import app
from tests.analysis.test_cemeteries import build_cemeteries
from tests.analysis.test_proposal import EXPECTED, build_proposal_case
from tests.analysis.test_spm import build_quarter


@pytest.fixture
def run(db_url: str):
    """Run the CLI against this test's database."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(
            app, list(args), env={"GEO_ASSETS_DATABASE_URL": db_url, "COLUMNS": "200"}
        )

    return invoke


def test_report_coverage_json_csv_and_table(engine: Engine, run, tmp_path: Path) -> None:
    """Coverage as JSON, as a spreadsheet CSV file and as a table on the terminal."""
    build_proposal_case(engine)
    result = run("report", "coverage", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["city"]["coverage_pct"] == 57.6
    out = tmp_path / "coverage.csv"
    assert run("report", "coverage", "--format", "csv", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffTingkat,Kode,Nama") and "Kota,63.72,Kota Banjarbaru" in text
    table = run("report", "coverage")
    assert table.exit_code == 0 and "57.6" in table.stdout and "Banjarbaru" in table.stdout


def test_report_coverage_unknown_kecamatan(engine: Engine, run) -> None:
    """A wrong kecamatan is one readable error line and exit status 1."""
    build_proposal_case(engine)
    result = run("report", "coverage", "--kecamatan", "Atlantis")
    assert result.exit_code == 1 and "Unknown kecamatan 'Atlantis'" in result.output


def test_report_spm_files(engine: Engine, run, tmp_path: Path) -> None:
    """The SPM report is written as HTML, CSV and JSON files."""
    build_quarter(engine)
    for fmt in ("html", "csv", "json"):
        out = tmp_path / f"spm.{fmt}"
        result = run(
            "report", "spm", "--year", "2024", "--quarter", "1", "--format", fmt, "-o", str(out)
        )
        assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "spm.json").read_text())["city"]["pct_working"] == 75.0
    assert "Triwulan I 2024" in (tmp_path / "spm.html").read_text(encoding="utf-8")
    assert run("report", "spm", "--year", "2024", "--quarter", "7").exit_code == 1


def test_report_cemeteries(engine: Engine, run) -> None:
    """The cemetery report names the nearly full TPU and the musala candidate."""
    build_cemeteries(engine)
    result = run("report", "cemeteries", "--as-of", "2025-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["nearly_full"] == ["TPU-01"]
    assert "calon musala" in run("report", "cemeteries", "--as-of", "2025-01-01").stdout


def test_export_proposal(engine: Engine, run, tmp_path: Path) -> None:
    """`export proposal` writes the GeoJSON (format from the extension) with its totals."""
    build_proposal_case(engine)
    out = tmp_path / "usulan.geojson"
    result = run("export", "proposal", "-o", str(out), "--year", "2025")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["by_category"] == EXPECTED
    gpkg = tmp_path / "usulan.gpkg"
    assert run("export", "proposal", "-o", str(gpkg), "--kecamatan", "63.72.05").exit_code == 0
    assert gpkg.read_bytes().startswith(b"SQLite format 3")
