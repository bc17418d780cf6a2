"""Bad files: every refused row is in the report, and nothing stored changes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.factories import add_lamp
from tests.io.helpers import feature, point, write_geojson, write_ogr

MESSY_CSV = """\
code;lamp_type;wattage;pole_height_m;status;lon;lat
PJU-63.72.04-00001;led;60;9,5;working;114,83;-3,44

PJU-63.72.04-00002;led;60;9;working;-3,4405;114,8305
PJU-63.72.04-00003;led;60;9;burning;114,831;-3,441
;led;60;9;working;114,832;-3,442
PJU-63.72.04-00005;led;enam puluh;9;working;114,833;-3,443
PJU-63.72.04-00006;led;60;9;out;114,834;-3,444
PJU-63.72.04-00006;sodium;100;9;out;114,835;-3,445
PJU-63.72.04-00099;led;60;9;working;114,836;-3,446
"""


def _state(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM lamp), (SELECT count(*) FROM lamp_event), "
                    "(SELECT count(*) FROM audit_log), (SELECT count(*) FROM cemetery)"
                )
            ).one()
        )


@pytest.fixture
def messy_csv(city: Engine, tmp_path: Path) -> Path:
    """The messy CSV, with lamp PJU-63.72.04-00099 already stored."""
    with city.begin() as conn:
        add_lamp(conn, code="PJU-63.72.04-00099", lon=114.81, lat=-3.45)
    path = tmp_path / "lamps.csv"
    path.write_text(MESSY_CSV)
    return path


MESSY_PROBLEMS = [
    (2, 4, "geometry", "coordinates look swapped (lat/lon)"),
    (3, 5, "status", "'burning' is not an allowed status"),
    (4, 6, "code", "is empty; a value is required"),
    (5, 7, "wattage", "'enam puluh' is not a number"),
    (6, 8, "code", "code 'PJU-63.72.04-00006' appears more than once in the file (rows 6, 7)"),
    (7, 9, "code", "code 'PJU-63.72.04-00006' appears more than once in the file (rows 6, 7)"),
    (8, 10, "code", "a lamp with code 'PJU-63.72.04-00099' already exists in the database"),
]


def test_messy_csv_is_reported_row_by_row_and_stores_nothing(city: Engine, messy_csv: Path) -> None:
    """Swapped lat/lon, unknown status, blank code, text wattage, duplicates: all reported."""
    before = _state(city)
    report = import_file(city, entity="lamps", path=messy_csv)
    assert [(i.row, i.line, i.field, i.problem) for i in report.issues] == MESSY_PROBLEMS
    assert (report.rows_read, report.imported, report.refused) == (8, 0, 7)
    assert "nothing was imported" in report.summary()
    assert "--skip-invalid to import the 1 valid row(s)" in report.summary()
    assert _state(city) == before
    status = next(i for i in report.issues if i.field == "status")
    assert status.allowed.startswith("working (Menyala), out (Mati), damaged (Rusak)")
    swapped = report.issues[0]
    assert (swapped.code, swapped.value) == ("PJU-63.72.04-00002", "-3.440500, 114.830500")
    with messy_csv.with_name("lamps.csv.report.csv").open(encoding="utf-8-sig") as written:
        rows = list(csv.DictReader(written))
    assert [(r["row"], r["line"], r["field"], r["problem"]) for r in rows] == [
        (str(row), str(line), field, problem) for row, line, field, problem in MESSY_PROBLEMS
    ]
    assert list(rows[0]) == [
        "row",
        "line",
        "code",
        "field",
        "value",
        "problem",
        "allowed",
        "severity",
    ]


def test_skip_invalid_imports_exactly_the_valid_rows(city: Engine, messy_csv: Path) -> None:
    """With skip_invalid the one valid row goes in, the report still lists the 7 refused."""
    report = import_file(city, entity="lamps", path=messy_csv, skip_invalid=True)
    assert (report.imported, report.refused, report.ok) == (1, 7, False)
    assert len(report.errors) == len(MESSY_PROBLEMS)
    with city.connect() as conn:
        codes = conn.execute(text("SELECT code, pole_height_m FROM lamp ORDER BY code")).all()
    assert [tuple(c) for c in codes] == [("PJU-63.72.04-00001", 9.5), ("PJU-63.72.04-00099", 9)]


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [
            [114.850, -3.450],
            [114.852, -3.448],
            [114.852, -3.450],
            [114.850, -3.448],
            [114.850, -3.450],
        ]
    ],
}
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [114.853, -3.450],
            [114.854, -3.450],
            [114.854, -3.449],
            [114.853, -3.449],
            [114.853, -3.450],
        ]
    ],
}


def test_invalid_geojson_rows_are_reported_and_nothing_stored(city: Engine, tmp_path: Path) -> None:
    """A self-intersecting outline says where; a point where a polygon belongs is refused."""
    before = _state(city)
    path = write_geojson(
        tmp_path / "tpu.geojson",
        [
            feature(BOWTIE, code="TPU02", name="TPU Bowtie", kind="muslim", capacity=10),
            feature(
                point(114.851, -3.449), code="TPU03", name="TPU Titik", kind="muslim", capacity=10
            ),
            feature(SQUARE, code="TPU04", name="TPU Baik", kind="general", capacity=10),
            feature(None, code="TPU05", name="TPU Tanpa Bentuk", kind="muslim", capacity=10),
        ],
    )
    report = import_file(city, entity="cemeteries", path=path)
    assert [(i.row, i.field, i.problem) for i in report.issues] == [
        (1, "geometry", "invalid geometry: self-intersection at 114.851000, -3.449000"),
        (2, "geometry", "is a Point"),
        (4, "geometry", "has no geometry"),
    ]
    assert report.issues[1].allowed == "a Polygon"
    assert (report.imported, report.refused) == (0, 3)
    assert _state(city) == before


def test_broken_json_is_one_file_level_problem(city: Engine, tmp_path: Path) -> None:
    """A truncated GeoJSON says it is not valid JSON and where; nothing is stored."""
    before = _state(city)
    path = tmp_path / "lamps.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [\n  {"type": "Feature",')
    report = import_file(city, entity="lamps", path=path)
    assert len(report.issues) == 1
    issue = report.issues[0]
    assert (issue.row, issue.field) == (None, "(file)")
    assert issue.problem.startswith("lamps.geojson is not valid JSON: Expecting")
    assert "line 2" in issue.problem
    assert report.imported == 0 and not report.ok
    assert _state(city) == before


def test_epsg_32750_file_is_reprojected_to_the_right_place(city: Engine, tmp_path: Path) -> None:
    """A GeoPackage in UTM 50S lands on the same lon/lat (to 1e-7°), said in the report."""
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 32750, always_xy=True).transform(114.83, -3.4401)
    path = write_ogr(
        tmp_path / "lamps_utm.gpkg",
        [{"code": "PJU-63.72.04-00001", "lamp_type": "led", "wattage": 60, "pole_height_m": 9}],
        [f"POINT ({x} {y})"],
        crs="EPSG:32750",
    )
    report = import_file(city, entity="lamps", path=path)
    assert report.ok and report.reprojected_from == "EPSG:32750"
    with city.connect() as conn:
        lon, lat, road = conn.execute(
            text("SELECT ST_X(geom), ST_Y(geom), road_id FROM lamp")
        ).one()
    assert (round(lon, 7), round(lat, 7), road) == (114.83, -3.4401, 1)


def test_crs_without_epsg_code_is_a_clear_error(city: Engine, tmp_path: Path) -> None:
    """A file in a home-made projection is refused with how to fix it."""
    custom = (
        "+proj=tmerc +lat_0=0 +lon_0=114.5 +k=0.9999 +x_0=200000 +y_0=1500000 "
        "+ellps=WGS84 +units=m +no_defs"
    )
    path = write_ogr(
        tmp_path / "lokal.gpkg", [{"code": "X"}], ["POINT (236000 1120000)"], crs=custom
    )
    report = import_file(city, entity="lamps", path=path)
    assert len(report.issues) == 1
    assert "without an EPSG code" in report.issues[0].problem
    assert "ogr2ogr -t_srs EPSG:4326" in report.issues[0].problem


def test_metres_in_a_lon_lat_csv_say_the_crs_is_wrong(city: Engine, tmp_path: Path) -> None:
    """UTM metres in lon/lat columns are not mistaken for a far-away place."""
    path = tmp_path / "lamps.csv"
    path.write_text(
        "code,lamp_type,wattage,pole_height_m,x,y\nPJU-63.72.04-00001,led,60,9,259345.2,9619488.1\n"
    )
    report = import_file(city, entity="lamps", path=path)
    assert [i.problem for i in report.issues] == [
        "coordinates are not degrees; the file's coordinate system is missing or wrong"
    ]


def test_unknown_references_and_missing_columns(city: Engine, tmp_path: Path) -> None:
    """A plot's unknown block and a musala's unknown TPU are named; a missing column is said."""
    plots = write_geojson(
        tmp_path / "petak.geojson",
        [
            feature(SQUARE, code="TPU09-Z-1-1", block_code="TPU09-Z", row_number=1, plot_number=1),
        ],
    )
    rooms = tmp_path / "musala.csv"
    rooms.write_text(
        "code,name,cemetery_code,status,lon,lat\nMSL-1,Musala,TPU77,planned,114.85,-3.449\n"
    )
    roads = tmp_path / "roads.csv"
    roads.write_text(
        'code,name,surface,wkt\nJL-1,Jl. Baru,aspal,"LINESTRING (114.81 -3.43, 114.82 -3.43)"\n'
    )
    assert [(i.field, i.problem) for i in import_file(city, entity="plots", path=plots).issues] == [
        ("block_code", "no cemetery block with code 'TPU09-Z'")
    ]
    assert [
        (i.field, i.problem) for i in import_file(city, entity="prayer-rooms", path=rooms).issues
    ] == [("cemetery_code", "no cemetery with code 'TPU77'")]
    missing = import_file(city, entity="roads", path=roads)
    assert [(i.row, i.field, i.problem) for i in missing.issues] == [
        (None, "road_class", "the column 'road_class' is missing")
    ]
    assert missing.issues[0].allowed.startswith("arteri (Arteri), kolektor (Kolektor)")
    assert missing.refused == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("lamps.docx", "x", "unknown file type '.docx'"),
        ("lamps.xlsx", "x", "lamps.xlsx cannot be read as a spreadsheet"),
        ("lamps.csv", "code,lon,lat\n", "has a header but no data rows"),
        ("lamps.csv", "code,wattage\nPJU-63.72.04-00001,60\n", "has no coordinates"),
        ("lamps.json", '{"lamps": []}', "is JSON but not a GeoJSON FeatureCollection"),
        ("lamps.geojson", '{"type": "FeatureCollection", "features": []}', "contains no features"),
    ],
)
def test_unreadable_files_are_named_with_the_reason(
    city: Engine, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    """Files that cannot be read at all give one file-level problem saying why."""
    path = tmp_path / name
    path.write_text(content)
    report = import_file(city, entity="lamps", path=path)
    assert [i.row for i in report.issues] == [None]
    assert expected in report.issues[0].problem


def test_geojson_with_a_2008_crs_member_is_reprojected(city: Engine, tmp_path: Path) -> None:
    """An old-style GeoJSON naming urn:ogc:def:crs:EPSG::32750 is read in metres and reprojected."""
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 32750, always_xy=True).transform(114.86, -3.4399)
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32750"}}
    path = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(
                point(x, y), code="PJU-63.72.05-00001", lamp_type="led", wattage=60, pole_height_m=9
            )
        ],
        crs=crs,
    )
    report = import_file(city, entity="lamps", path=path)
    assert report.ok and report.reprojected_from == "EPSG:32750"
    with city.connect() as conn:
        lon, lat = conn.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM lamp")).one()
    assert (round(lon, 7), round(lat, 7)) == (114.86, -3.4399)


def test_unreadable_geometry_is_reported_on_its_row(city: Engine, tmp_path: Path) -> None:
    """A polygon whose ring is not closed is refused on its own row, not as a missing shape."""
    open_ring = {
        "type": "Polygon",
        "coordinates": [[[114.853, -3.45], [114.854, -3.45], [114.854, -3.449]]],
    }
    path = write_geojson(
        tmp_path / "tpu.geojson",
        [
            feature(SQUARE, code="TPU04", name="TPU Baik", kind="general", capacity=10),
            feature(open_ring, code="TPU05", name="TPU Terbuka", kind="general", capacity=10),
        ],
    )
    report = import_file(city, entity="cemeteries", path=path)
    assert [(i.row, i.field, i.problem) for i in report.issues] == [
        (2, "geometry", "is not a valid GeoJSON geometry (an unclosed ring, too few points?)")
    ]


def test_report_as_data_for_an_api(city: Engine, messy_csv: Path) -> None:
    """The report converts to plain data (for a JSON answer) with the same rows."""
    data = import_file(city, entity="lamps", path=messy_csv, write_report=False).as_dict()
    assert (data["rows_read"], data["imported"], data["refused"]) == (8, 0, 7)
    assert [(i["row"], i["line"], i["field"]) for i in data["issues"]] == [
        (row, line, field) for row, line, field, _ in MESSY_PROBLEMS
    ]
    assert not messy_csv.with_name("lamps.csv.report.csv").exists()
