"""Import of every entity from GeoJSON, GeoPackage, Shapefile and CSV into the small city."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.factories import add_lamp
from tests.io.helpers import feature, point, write_geojson, write_ogr

LAMP_ROWS = [
    {
        "code": "PJU-63.72.04-00001",
        "lamp_type": "led",
        "wattage": 60,
        "pole_height_m": 9.0,
        "power_billing": "flat_rate",
        "status": "out",
    },
    {
        "code": "PJU-63.72.05-00001",
        "lamp_type": "sodium",
        "wattage": 150,
        "pole_height_m": 10.5,
        "power_billing": "metered",
        "status": "working",
    },
]
LAMP_WKTS = ["POINT (114.83 -3.4401)", "POINT (114.86 -3.455)"]


def _lamps(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text("""
            SELECT l.code, l.status, l.road_id, k.name, l.wattage, l.pole_height_m,
                   l.power_billing, round(ST_X(l.geom)::numeric, 6)::float,
                   round(ST_Y(l.geom)::numeric, 6)::float
            FROM lamp l LEFT JOIN kelurahan k ON k.id = l.kelurahan_id ORDER BY l.code
        """)
            )
        ]


EXPECTED_LAMPS = [
    ("PJU-63.72.04-00001", "out", 1, "Mentaos", 60, 9.0, "flat_rate", 114.83, -3.4401),
    ("PJU-63.72.05-00001", "working", None, "Sungai Besar", 150, 10.5, "metered", 114.86, -3.455),
]


def test_lamps_from_geojson_get_road_kelurahan_and_import_event(
    city: Engine, tmp_path: Path
) -> None:
    """GeoJSON lamps get the trigger's kelurahan, nearest road, an import event, one audit row."""
    path = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(point(114.83, -3.4401), **LAMP_ROWS[0]),
            feature(point(114.86, -3.455), **LAMP_ROWS[1]),
        ],
    )
    report = import_file(city, entity="lamps", path=path, actor="tester")
    assert (report.ok, report.imported, report.rows_read) == (True, 2, 2)
    assert _lamps(city) == EXPECTED_LAMPS
    assert [(i.row, i.field, i.severity) for i in report.warnings] == [(2, "road_code", "warning")]
    with city.connect() as conn:
        events = conn.execute(
            text(
                "SELECT l.code, e.from_status, e.to_status, e.source, e.actor, "
                "e.occurred_at = l.status_changed_at "
                "FROM lamp_event e JOIN lamp l ON l.id = e.lamp_id ORDER BY l.code"
            )
        ).all()
        audit = conn.execute(
            text(
                "SELECT actor, action, after FROM audit_log "
                "WHERE table_name IN ('lamp', 'lamp_event')"
            )
        ).all()
    assert [tuple(e) for e in events] == [
        ("PJU-63.72.04-00001", None, "out", "import", "tester", True),
        ("PJU-63.72.05-00001", None, "working", "import", "tester", True),
    ]
    assert [tuple(a) for a in audit] == [
        ("tester", "bulk", {"summary": "import lamps from lamps.geojson", "rows": 2})
    ]
    assert path.with_name("lamps.geojson.report.csv").exists()


def test_lamps_from_geopackage_with_multipoints(city: Engine, tmp_path: Path) -> None:
    """A GeoPackage of one-part MultiPoints (as QGIS often saves) imports as points."""
    wkts = [wkt.replace("POINT (", "MULTIPOINT ((").replace(")", "))") for wkt in LAMP_WKTS]
    path = write_ogr(tmp_path / "lamps.gpkg", LAMP_ROWS, wkts, layer="pju")
    report = import_file(city, entity="lamps", path=path)
    assert report.imported == 2, report.issues
    assert _lamps(city) == EXPECTED_LAMPS


@pytest.mark.filterwarnings("ignore:Normalized/laundered field name")
def test_lamps_from_shapefile_with_truncated_names(city: Engine, tmp_path: Path) -> None:
    """A Shapefile (names cut to 10 characters: pole_heigh, power_bill) imports, also zipped."""
    path = write_ogr(tmp_path / "lamps.shp", LAMP_ROWS, LAMP_WKTS)
    archive = tmp_path / "lamps.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in tmp_path.glob("lamps.*"):
            if part.suffix != ".zip":
                zipped.write(part, part.name)
    report = import_file(city, entity="lamps", path=path)
    assert report.imported == 2, report.issues
    assert report.ignored_columns == []
    assert _lamps(city) == EXPECTED_LAMPS
    with city.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    again = import_file(city, entity="lamps", path=archive)
    assert [i.problem for i in again.errors][:1] == [
        "a lamp with code 'PJU-63.72.04-00001' already exists in the database"
    ]


def test_lamps_from_indonesian_csv_get_generated_codes(city: Engine, tmp_path: Path) -> None:
    """A `;` CSV with decimal commas, Indonesian headers and labels, and no codes gets PJU codes."""
    with city.begin() as conn:
        add_lamp(conn, code="PJU-63.72.05-00041", lon=114.87, lat=-3.43)
    path = tmp_path / "pju.csv"
    path.write_text(
        "Bujur;Lintang;Jenis;Daya;Tinggi_Tiang;Kondisi\n"
        "114,8300;-3,4401;LED;60;9,5;Menyala\n"
        "\n"
        "114,8600;-3,4400;Sodium (SON);150;10;Mati\n"
        "114,8610;-3,4400;led;90;11;rusak\n",
        encoding="utf-8",
    )
    report = import_file(city, entity="lamps", path=path)
    assert report.ok, report.issues
    with city.connect() as conn:
        rows = conn.execute(
            text("SELECT code, lamp_type, pole_height_m, status FROM lamp ORDER BY code")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("PJU-63.72.04-00001", "led", 9.5, "working"),
        ("PJU-63.72.05-00041", "led", 9.0, "working"),
        ("PJU-63.72.05-00042", "sodium", 10.0, "out"),
        ("PJU-63.72.05-00043", "led", 11.0, "damaged"),
    ]


def test_roads_cemeteries_and_blocks(bare_city: Engine, tmp_path: Path) -> None:
    """Roads (GeoJSON), a cemetery with its gate (GeoPackage) and a block (CSV with WKT) import."""
    roads = write_geojson(
        tmp_path / "roads.geojson",
        [
            feature(
                {"type": "LineString", "coordinates": [[114.805, -3.44], [114.875, -3.44]]},
                code="JL-AYANI",
                name="Jl. Jenderal A. Yani",
                road_class="Arteri",
                surface="aspal",
                width_m=14,
            ),
        ],
    )
    cemeteries = write_ogr(
        tmp_path / "tpu.gpkg",
        [
            {
                "kode": "TPU01",
                "nama": "TPU Guntung Lua",
                "jenis": "Muslim",
                "kapasitas": 500,
                "gate_lon": 114.851,
                "gate_lat": -3.448,
            }
        ],
        ["POLYGON ((114.85 -3.45, 114.852 -3.45, 114.852 -3.448, 114.85 -3.448, 114.85 -3.45))"],
    )
    blocks = tmp_path / "blok.csv"
    blocks.write_text(
        'code,cemetery_code,name,wkt\nTPU01-A,TPU01,A,"POLYGON ((114.85 -3.45, '
        '114.851 -3.45, 114.851 -3.449, 114.85 -3.449, 114.85 -3.45))"\n'
    )
    for entity, path in (("roads", roads), ("cemeteries", cemeteries), ("blocks", blocks)):
        report = import_file(bare_city, entity=entity, path=path)
        assert (report.ok, report.imported) == (True, 1), report.issues
    with bare_city.connect() as conn:
        stored = conn.execute(
            text("""
            SELECT r.road_class, round(ST_Length(r.geom::geography)), c.kind, c.capacity,
                   ST_AsText(c.gate_geom), b.code, b.cemetery_id = c.id
            FROM road r, cemetery c, cemetery_block b
        """)
        ).one()
    assert tuple(stored) == (
        "arteri",
        7778,
        "muslim",
        500,
        "POINT(114.851 -3.448)",
        "TPU01-A",
        True,
    )


@pytest.mark.parametrize("suffix", [".shp", ".csv"])
def test_plots_take_block_row_and_number_from_their_code(
    city: Engine, tmp_path: Path, suffix: str
) -> None:
    """Plots with only a code and an outline get block, row and number from the code."""
    wkt = (
        "POLYGON ((114.8500 -3.4500, 114.8502 -3.4500, 114.8502 -3.4498, 114.8500 -3.4498, "
        "114.8500 -3.4500))"
    )
    if suffix == ".csv":
        path = tmp_path / "petak.csv"
        path.write_text(f'code,status,wkt\nTPU01-A-3-12,terisi,"{wkt}"\n')
    else:
        path = write_ogr(
            tmp_path / "petak.shp", [{"code": "TPU01-A-3-12", "status": "occupied"}], [wkt]
        )
    report = import_file(city, entity="plots", path=path)
    assert report.ok, report.issues
    with city.connect() as conn:
        plot = conn.execute(
            text("SELECT block_id, row_number, plot_number, status FROM plot")
        ).one()
    assert tuple(plot) == (1, 3, 12, "occupied")


def test_access_roads_and_prayer_rooms_reference_their_cemetery(
    city: Engine, tmp_path: Path
) -> None:
    """An access road (GeoJSON) and musala (CSV with lon/lat) are linked by cemetery/road code."""
    access = write_geojson(
        tmp_path / "akses.geojson",
        [
            feature(
                {"type": "LineString", "coordinates": [[114.851, -3.44], [114.851, -3.448]]},
                code="AKS-TPU01",
                name="Jalan masuk",
                cemetery_code="TPU01",
                road_code="JL-AYANI",
                condition="tidak dapat dilalui",
                surface="tanah",
                improvement_cost_idr="225.000.000",
            ),
        ],
    )
    musala = tmp_path / "musala.csv"
    musala.write_text(
        "code;name;cemetery_code;status;capacity;estimated_cost_idr;planned_year;"
        "longitude;latitude\n"
        "MSL-01;Musala Al-Ikhlas;TPU01;planned;40;350.000.000;2026;114,8525;-3,4485\n"
        "MSL-02;Musala Kota;;existing;;;;114,83;-3,43\n"
    )
    assert import_file(city, entity="access-roads", path=access).ok
    assert import_file(city, entity="prayer-rooms", path=musala).ok
    with city.connect() as conn:
        road = conn.execute(
            text("SELECT condition, cemetery_id, road_id, improvement_cost_idr FROM access_road")
        ).one()
        rooms = conn.execute(
            text(
                "SELECT code, cemetery_id, status, estimated_cost_idr, planned_year "
                "FROM prayer_room ORDER BY code"
            )
        ).all()
    assert tuple(road) == ("impassable", 1, 1, 225_000_000)
    assert [tuple(r) for r in rooms] == [
        ("MSL-01", 1, "planned", 350_000_000, 2026),
        ("MSL-02", None, "existing", None, None),
    ]


def test_three_dimensional_points_are_stored_flat(city: Engine, tmp_path: Path) -> None:
    """GPS files with a height ([lon, lat, z]) import as 2D points at the same place."""
    path = write_geojson(
        tmp_path / "gps.geojson",
        [
            feature({"type": "Point", "coordinates": [114.83, -3.4401, 27.5]}, **LAMP_ROWS[0]),
            feature(point(114.86, -3.455), **LAMP_ROWS[1]),
        ],
    )
    assert import_file(city, entity="lamps", path=path).ok
    assert _lamps(city) == EXPECTED_LAMPS
