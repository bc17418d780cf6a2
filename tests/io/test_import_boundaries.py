"""`geo-assets import kecamatan|kelurahan FILE`: official boundary files replace the stored ones.

The small city (tests/io/conftest.py): kecamatan 63.72.04 west of 114.84 E and 63.72.05 east of
it, one kelurahan each (63.72.04.1001 Mentaos, 63.72.05.1002 Sungai Besar); the stocked city
adds lamps at 114.83/-3.4401 and 114.82/-3.43 (Mentaos) and 114.86/-3.4399 (Sungai Besar).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets.io.boundaries import import_boundaries
from geo_assets.seed.inputs import INPUT_DIR
from tests.io.helpers import feature, write_geojson

SOUTH, NORTH = -3.46, -3.42


def _box(west: float, east: float) -> shapely.Polygon:
    return shapely.box(west, SOUTH, east, NORTH)


def _polygon(geom: shapely.Geometry) -> dict:
    return json.loads(shapely.to_geojson(geom))


@pytest.fixture
def run(db_url: str):  # noqa: ANN201 - returns the runner function
    """Run the CLI in-process against this test's database."""
    runner = CliRunner()

    def invoke(*args: str):  # noqa: ANN202
        env = {"GEO_ASSETS_DATABASE_URL": db_url, "COLUMNS": "250"}
        return runner.invoke(app, list(args), env=env)

    return invoke


def _agency_shapefile(folder: Path) -> Path:
    """Kelurahan as BIG ships them: UTM 50S, KDEPUM/WADMKD/KDCPUM/WADMKC/NAMOBJ, zipped.

    Mentaos shrinks west of 114.825 E; the new Komet takes 114.825-114.84 E (with the lamp at
    114.83), Sungai Besar is unchanged.
    """
    rows = [
        ("63.72.04.1001", "Mentaos", "63.72.04", "Banjarbaru Utara", _box(114.80, 114.825)),
        ("63.72.04.1003", "Komet", "63.72.04", "Banjarbaru Utara", _box(114.825, 114.84)),
        ("63.72.05.1002", "Sungai Besar", "63.72.05", "Banjarbaru Selatan", _box(114.84, 114.88)),
    ]
    frame = gpd.GeoDataFrame(
        {
            "KDEPUM": [r[0] for r in rows],
            "WADMKD": [r[1] for r in rows],
            "KDCPUM": [r[2] for r in rows],
            "WADMKC": [r[3] for r in rows],
            "NAMOBJ": [r[1] for r in rows],
            "LUASWH": [1.0, 2.0, 3.0],
        },
        geometry=[r[4] for r in rows],
        crs="EPSG:4326",
    ).to_crs("EPSG:32750")
    shp = folder / "ADMINISTRASIDESA_AR_25K.shp"
    pyogrio.write_dataframe(frame, shp)
    archive = folder / "kelurahan_big.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for part in folder.glob("ADMINISTRASIDESA_AR_25K.*"):
            out.write(part, part.name)
    return archive


def _kelurahan_of(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT l.code, k.code FROM lamp l LEFT JOIN kelurahan k ON k.id = l.kelurahan_id")
        )
        return dict(rows.all())


def _stored(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT 'kel', id, code, name, kecamatan_id::text, ST_AsText(geom) FROM kelurahan "
                "UNION ALL SELECT 'kec', id, code, name, official_area_km2::text, "
                "ST_AsText(geom) FROM kecamatan "
                "UNION ALL SELECT 'lamp', id, code, kelurahan_id::text, updated_at::text, '' "
                "FROM lamp "
                "UNION ALL SELECT 'audit', count(*), '', '', '', '' FROM audit_log ORDER BY 1, 2"
            )
        ).all()


def test_zipped_utm_shapefile_with_agency_fields(stocked_city: Engine, tmp_path: Path) -> None:
    """A zipped UTM agency Shapefile replaces kelurahan in place, moves a lamp, and is audited."""
    with stocked_city.connect() as connection:
        audit_before = connection.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
    report = import_boundaries(
        stocked_city, level="kelurahan", path=_agency_shapefile(tmp_path), actor="test"
    )
    assert report.ok, report.issues
    assert report.reprojected_from == "EPSG:32750"
    assert (report.rows_read, report.imported) == (3, 3)
    assert (report.created, report.updated, report.removed) == (
        ["63.72.04.1003"],
        ["63.72.04.1001", "63.72.05.1002"],
        [],
    )
    assert "WADMKC" in report.ignored_columns and "KDEPUM" not in report.ignored_columns
    with stocked_city.connect() as connection:
        kelurahan = connection.execute(
            text(
                "SELECT k.id, k.code, k.name, c.code, ST_XMin(k.geom), ST_XMax(k.geom) "
                "FROM kelurahan k JOIN kecamatan c ON c.id = k.kecamatan_id ORDER BY k.code"
            )
        ).all()
    assert [(r[0], r[1], r[2], r[3]) for r in kelurahan][:2] == [
        (1, "63.72.04.1001", "Mentaos", "63.72.04"),  # same id: lamps' foreign keys hold
        (kelurahan[1][0], "63.72.04.1003", "Komet", "63.72.04"),
    ]
    assert kelurahan[0][5] == pytest.approx(114.825, abs=1e-6)  # back from UTM to degrees
    assert _kelurahan_of(stocked_city) == {
        "PJU-63.72.04-00001": "63.72.04.1003",  # 114.83 E: now in Komet
        "PJU-63.72.04-00002": "63.72.04.1001",
        "PJU-63.72.05-00001": "63.72.05.1002",
    }
    assert report.moved["lamps"] == [("PJU-63.72.04-00001", "63.72.04.1001", "63.72.04.1003")]
    assert report.counts["63.72.04.1001"]["lamps"] == (2, 1)
    assert report.counts["63.72.04.1003"]["lamps"] == (0, 1)
    assert report.outside == {}
    with stocked_city.connect() as connection:
        audit = connection.execute(
            text(
                "SELECT table_name, action, actor, after FROM audit_log WHERE id > :id ORDER BY id"
            ),
            {"id": audit_before},
        ).all()
    actions = [(a.table_name, a.action) for a in audit]
    assert ("kelurahan", "update") in actions and ("kelurahan", "insert") in actions
    assert all(a.actor == "test" for a in audit)
    assert not any(a.table_name == "lamp" and a.action == "update" for a in audit)
    summary = next(a.after for a in audit if (a.table_name, a.action) == ("kelurahan", "bulk"))
    assert summary["created"] == ["63.72.04.1003"]
    assert summary["counts"]["63.72.04.1003"]["lamps"] == {"before": 0, "after": 1}
    lamps = next(a.after for a in audit if (a.table_name, a.action) == ("lamp", "bulk"))
    assert lamps["moved"] == [
        {"code": "PJU-63.72.04-00001", "from": "63.72.04.1001", "to": "63.72.04.1003"}
    ]


def test_cli_geojson_with_column_mapping_reports_what_lies_outside(
    stocked_city: Engine, run, tmp_path: Path
) -> None:  # noqa: ANN001
    """--column maps odd fields; a kelurahan left out is removed and its features shown outside."""
    path = write_geojson(
        tmp_path / "kelurahan.geojson",
        [
            feature(
                _polygon(_box(114.825, 114.88)),
                ID_KEL_2022=6372051002,
                DESA_NAMA="Sungai  Besar",
                PROVINSI="Kalimantan Selatan",
            ),
        ],
    )
    result = run(
        "import",
        "kelurahan",
        str(path),
        "--column",
        "code=ID_KEL_2022",
        "--column",
        "name=desa_nama",
    )
    assert result.exit_code == 0, result.output
    assert "1 kelurahan imported (0 new, 1 replaced, 1 removed)" in result.output
    assert "di luar kota" in result.output and "PJU-63.72.04-00002" in result.output
    assert "columns not used: PROVINSI" in result.output
    assert _kelurahan_of(stocked_city) == {
        "PJU-63.72.04-00001": "63.72.05.1002",  # 114.83 E lies in the wider Sungai Besar
        "PJU-63.72.04-00002": None,  # 114.82 E: no kelurahan any more
        "PJU-63.72.05-00001": "63.72.05.1002",
    }
    with stocked_city.connect() as connection:
        names = connection.execute(text("SELECT code, name FROM kelurahan")).all()
    assert names == [("63.72.05.1002", "Sungai Besar")]


def test_a_bad_row_changes_nothing(stocked_city: Engine, tmp_path: Path) -> None:
    """One self-intersecting polygon (row 2) refuses the whole file; nothing stored changes."""
    bow_tie = shapely.Polygon([(114.84, -3.46), (114.88, -3.42), (114.88, -3.46), (114.84, -3.42)])
    path = write_geojson(
        tmp_path / "kelurahan.geojson",
        [
            feature(_polygon(_box(114.80, 114.86)), kode="63.72.04.1001", nama="Mentaos"),
            feature(_polygon(bow_tie), kode="63.72.05.1002", nama="Sungai Besar"),
            feature(_polygon(_box(114.86, 114.88)), kode="63.72.05.1003", nama=""),
            feature(_polygon(_box(114.86, 114.88)), kode="63.72.09.1001", nama="Antah"),
        ],
    )
    before = _stored(stocked_city)
    report = import_boundaries(stocked_city, level="kelurahan", path=path)
    assert not report.ok and report.imported == 0
    problems = {(i.row, i.field): i.problem for i in report.issues}
    assert problems[2, "geometry"].startswith("invalid polygon: self-intersection at 114.86")
    assert problems[3, "name"] == "is empty"
    assert problems[4, "kecamatan_code"] == "no kecamatan with code 63.72.09"
    assert (1, "geometry") not in problems
    assert "nothing was imported" in report.summary()
    assert report.report_path and "invalid polygon" in report.report_path.read_text("utf-8-sig")
    assert _stored(stocked_city) == before


def test_kecamatan_from_geopackage_and_orphans_refused(city: Engine, tmp_path: Path) -> None:
    """KDCPUM/WADMKC/LUAS GeoPackage replaces kecamatan; dropping one with kelurahan is refused."""
    frame = gpd.GeoDataFrame(
        {
            "KDCPUM": ["63.72.04", "63.72.05"],
            "WADMKC": ["Banjarbaru Utara", "Banjarbaru Selatan"],
            "NAMOBJ": ["x", "y"],
            "LUAS": [24.4, 22.0],
        },
        geometry=[_box(114.79, 114.84), _box(114.84, 114.89)],
        crs="EPSG:4326",
    )
    gpkg = tmp_path / "kecamatan.gpkg"
    pyogrio.write_dataframe(frame, gpkg, layer="kecamatan")
    report = import_boundaries(city, level="kecamatan", path=gpkg)
    assert report.ok and report.updated == ["63.72.04", "63.72.05"], report.issues
    with city.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT code, name, official_area_km2, ST_XMin(geom), GeometryType(geom) "
                "FROM kecamatan ORDER BY code"
            )
        ).all()
    assert rows[0] == ("63.72.04", "Banjarbaru Utara", 24.4, 114.79, "MULTIPOLYGON")
    pyogrio.write_dataframe(frame.iloc[:1], tmp_path / "one.gpkg", layer="kecamatan")
    refused = import_boundaries(city, level="kecamatan", path=tmp_path / "one.gpkg")
    assert not refused.ok
    assert refused.issues[0].problem == (
        "kecamatan 63.72.05 is not in the file, but 1 kelurahan belong to it"
    )
    with city.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM kecamatan")).scalar_one() == 2


def test_bad_column_specs_are_explained(city: Engine, run, tmp_path: Path) -> None:  # noqa: ANN001
    """Bad --column specs give clear errors, and --column works on other imports (lamps) too."""
    path = write_geojson(
        tmp_path / "kelurahan.geojson",
        [feature(_polygon(_box(114.80, 114.84)), kode="63.72.04.1001", nama="Mentaos")],
    )
    bad = run("import", "kelurahan", str(path), "--column", "code")
    assert bad.exit_code == 1
    assert "--column 'code' is not TARGET=SOURCE" in bad.output
    missing = run("import", "kelurahan", str(path), "--column", "name=WADMKD")
    assert missing.exit_code == 1
    assert "kelurahan.geojson has no column 'WADMKD'. Its columns: kode, nama." in missing.output
    unknown = run("import", "kelurahan", str(path), "--column", "luas=nama")
    assert unknown.exit_code == 1
    assert "'luas' is not a field of this import" in unknown.output
    lamps = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(
                {"type": "Point", "coordinates": [114.83, -3.44]},
                ID_PJU="PJU-63.72.04-00009",
                JENIS="led",
                WATT_LAMPU=75,
                pole_height_m=9,
            )
        ],
    )
    good = run(
        "import", "lamps", str(lamps), "--column", "code=ID_PJU", "--column", "wattage=WATT_LAMPU"
    )
    assert good.exit_code == 0, good.output
    with city.connect() as connection:
        stored = connection.execute(text("SELECT code, wattage FROM lamp")).all()
    assert stored == [("PJU-63.72.04-00009", 75)]


def test_reimporting_the_shipped_boundaries_moves_nothing(seeded_engine: Engine) -> None:
    """The shipped kelurahan file, imported into the seeded city, keeps every lamp where it is."""
    before = _kelurahan_of(seeded_engine)
    report = import_boundaries(
        seeded_engine,
        level="kelurahan",
        path=INPUT_DIR / "kelurahan.geojson",
        write_report=False,
    )
    assert report.ok and len(report.updated) == 20 and not report.created, report.issues
    assert report.moved == {} and report.outside == {}
    assert sum(kinds["lamps"][1] for kinds in report.counts.values()) == 14_000
    assert _kelurahan_of(seeded_engine) == before
