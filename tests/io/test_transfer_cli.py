"""`geo-assets import` and `geo-assets export` as a person runs them: output and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.io.helpers import count, feature, point, write_geojson
from tests.io.test_import_bad_input import MESSY_CSV
from tests.test_layering import RUN_AND_LIST_MODULES


def _lamps_file(folder: Path) -> Path:
    return write_geojson(
        folder / "lamps.geojson",
        [
            feature(
                point(114.83, -3.4401),
                code="PJU-63.72.04-00001",
                lamp_type="led",
                wattage=60,
                pole_height_m=9,
            ),
            feature(
                point(114.86, -3.4399),
                code="PJU-63.72.05-00001",
                lamp_type="led",
                wattage=90,
                pole_height_m=11,
                status="out",
            ),
        ],
    )


def test_import_of_a_good_file_exits_0(run, city: Engine, tmp_path: Path) -> None:  # noqa: ANN001
    """A clean file is imported, the summary says so, and the exit status is 0."""
    result = run("import", "lamps", str(_lamps_file(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "lamps.geojson: 2 of 2 lamps imported." in result.output
    assert "lamps.geojson.report.csv" in result.output
    assert count(city, "lamp") == 2


def test_import_of_a_messy_file_exits_1_and_shows_the_rows(
    run,
    city: Engine,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """Bad rows are listed with their problems; nothing is imported; exit status 1."""
    path = tmp_path / "lamps.csv"
    path.write_text(MESSY_CSV)
    result = run("import", "lamps", str(path))
    assert result.exit_code == 1, result.output
    for text in (
        "coordinates look swapped (lat/lon)",
        "'burning' is not an allowed status",
        "nothing was imported",
        "--skip-invalid",
    ):
        assert text in result.output
    assert count(city, "lamp") == 0
    assert "Traceback" not in result.output


def test_skip_invalid_imports_the_rest_and_exits_2(
    run,
    city: Engine,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """--skip-invalid stores the valid rows and still exits non-zero (2) for the refused."""
    path = tmp_path / "lamps.csv"
    path.write_text(MESSY_CSV.replace("PJU-63.72.04-00099", "PJU-63.72.04-00098"))
    result = run("import", "lamps", str(path), "--skip-invalid")
    assert result.exit_code == 2, result.output
    assert "2 of 8 lamps imported; 6 row(s) refused." in result.output
    assert count(city, "lamp") == 2


def test_unreadable_file_exits_1(run, tmp_path: Path) -> None:  # noqa: ANN001
    """Broken JSON is one clear line and exit status 1."""
    path = tmp_path / "lamps.geojson"
    path.write_text("{oops")
    result = run("import", "lamps", str(path))
    assert result.exit_code == 1
    assert "is not valid JSON" in result.output


def test_export_writes_geopackage_and_refuses_bad_bbox(run, tmp_path: Path) -> None:  # noqa: ANN001
    """Export to .gpkg picks the format by extension; a bad --bbox names the wrong part."""
    assert run("import", "lamps", str(_lamps_file(tmp_path))).exit_code == 0
    out = tmp_path / "pju.gpkg"
    result = run("export", "lamps", "-o", str(out), "--kecamatan", "Banjarbaru Selatan")
    assert result.exit_code == 0, result.output
    assert f"wrote 1 lamps to {out}" in result.output.replace("\n", "")
    info = subprocess.run(["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True)
    assert "Feature Count: 1" in info.stdout
    bad = run("export", "lamps", "-o", str(tmp_path / "x.geojson"), "--bbox", "114.8,abc,1,2")
    assert bad.exit_code == 1
    assert "--bbox part y0 (south lat) 'abc' is not a number." in bad.output
    assert not (tmp_path / "x.geojson").exists()


def test_export_of_an_unknown_entity_lists_the_choices(run, tmp_path: Path) -> None:  # noqa: ANN001
    """A wrong entity name is a usage error (exit 2) that lists the valid ones."""
    result = run("export", "lampu", "-o", str(tmp_path / "x.geojson"))
    assert result.exit_code == 2
    assert "prayer-rooms" in result.output and "kelurahan" in result.output


def test_whole_commands_in_a_real_process(city: Engine, db_url: str, tmp_path: Path) -> None:
    """`python -m cli.main import/export` work as processes, with their exit codes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    env["GEO_ASSETS_DATABASE_URL"] = db_url
    cli = [sys.executable, "-m", "cli.main"]
    imported = subprocess.run(
        [*cli, "import", "lamps", str(_lamps_file(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    out = tmp_path / "out.geojson"
    exported = subprocess.run(
        [*cli, "export", "lamps", "-o", str(out), "--status", "mati"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    features = json.loads(out.read_text())["features"]
    assert [f["properties"]["code"] for f in features] == ["PJU-63.72.05-00001"]


# What `geo-assets export` (GeoJSON, CSV) never loads: the ORM models and what they bring along.
NOT_FOR_EXPORT = (
    "geo_assets.models",
    "sqlalchemy.orm",
    "geoalchemy2",
    "shapely",
    "numpy",
    "pandas",
    "geopandas",
    "pyogrio",
)


def test_export_command_runs_without_orm_models_or_numpy(
    stocked_city: Engine, db_url: str, tmp_path: Path
) -> None:
    """`geo-assets export lamps` (GeoJSON and CSV, filtered) writes the lamps as a process that
    never loads the ORM models, SQLAlchemy's ORM, GeoAlchemy2, Shapely, NumPy or pandas."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    env["GEO_ASSETS_DATABASE_URL"] = db_url
    filters = ["--status", "working", "--kecamatan", "63.72.04", "--bbox", "114,-4,116,-3"]
    for suffix in ("geojson", "csv"):
        listing, out = tmp_path / f"{suffix}.txt", tmp_path / f"lamps.{suffix}"
        done = subprocess.run(
            [sys.executable, "-c", RUN_AND_LIST_MODULES, str(listing), "export", "lamps"]
            + ["-o", str(out), *filters],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert f"wrote 1 lamps to {out}" in " ".join(done.stdout.split())
        loaded = listing.read_text().split()
        heavy = {name for name in loaded if name.startswith(NOT_FOR_EXPORT)}
        assert heavy == set(), suffix
