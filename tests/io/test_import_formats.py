"""Import of lamps, roads and cemetery data from GeoJSON, GeoPackage, Shapefile and CSV."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from tests.io.helpers import feature, point, write_geojson


def test_lamps_from_geojson_get_road_kelurahan_and_import_event(
    city: Engine, tmp_path: Path
) -> None:
    """Lamps land with the kelurahan the trigger derives, the nearest road, and one import event."""
    path = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(
                point(114.83, -3.4401),
                code="PJU-63.72.04-00001",
                lamp_type="led",
                wattage=60,
                pole_height_m=9,
                status="out",
            ),
            feature(
                point(114.86, -3.4550),
                code="PJU-63.72.05-00001",
                lamp_type="sodium",
                wattage=150,
                pole_height_m=10.5,
            ),
        ],
    )
    report = import_file(city, entity="lamps", path=path)
    assert report.ok, report.issues
    assert report.imported == 2
    with city.connect() as conn:
        rows = conn.execute(
            text("""
            SELECT l.code, l.status, l.road_id, k.name, e.source, e.to_status
            FROM lamp l JOIN kelurahan k ON k.id = l.kelurahan_id
            JOIN lamp_event e ON e.lamp_id = l.id ORDER BY l.code
        """)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("PJU-63.72.04-00001", "out", 1, "Mentaos", "import", "out"),
        ("PJU-63.72.05-00001", "working", None, "Sungai Besar", "import", "working"),
    ]
    assert [i.field for i in report.warnings] == ["road_code"]
    with city.connect() as conn:
        audit = conn.execute(
            text("SELECT actor, after FROM audit_log WHERE table_name = 'lamp' OR action = 'bulk'")
        ).all()
    assert [tuple(a) for a in audit] == [
        ("import", {"summary": "import lamps from lamps.geojson", "rows": 2})
    ]
