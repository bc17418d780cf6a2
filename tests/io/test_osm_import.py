"""`geo-assets import osm`: an OpenStreetMap extract of the sample city's centre, stored once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets.errors import Conflict, InvalidInput
from geo_assets.io.osm_store import import_osm
from tests.io.helpers import count
from tests.io.osm_fixture import (
    EXPECTED_CEMETERIES,
    EXPECTED_LAMPS,
    EXPECTED_ROADS,
    EXPECTED_SKIPS,
    build_extract,
)

TABLES = ("road", "lamp", "cemetery", "prayer_room")


def _counts(engine: Engine) -> dict[str, int]:
    return {table: count(engine, table) for table in TABLES}


def _rows(engine: Engine, sql: str) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(text(sql))}


@pytest.fixture
def extract_file(seeded_engine: Engine, tmp_path: Path) -> Path:
    """The extract, written into this test's folder."""
    return build_extract(seeded_engine).write(tmp_path / "banjarbaru-centre.osm")


def test_import_counts_created_and_skipped(seeded_engine: Engine, extract_file: Path) -> None:
    """Every drivable road, lamp, cemetery and muslim place of worship is created; the rest
    is skipped with its reason."""
    before = _counts(seeded_engine)
    report = import_osm(seeded_engine, path=extract_file)
    created = {kind: counts.created for kind, counts in report.counts.items()}
    assert created == {"roads": 9, "lamps": 7, "cemeteries": 5, "prayer-rooms": 2}
    skipped = {kind: dict(report.counts[kind].skipped) for kind in EXPECTED_SKIPS}
    assert skipped == EXPECTED_SKIPS
    after = _counts(seeded_engine)
    assert {t: after[t] - before[t] for t in TABLES} == {
        "road": 9,
        "lamp": 7,
        "cemetery": 5,
        "prayer_room": 2,
    }
    assert "roads: 9 created, 0 updated, 0 unchanged, 7 skipped (1 cycleway," in report.lines()[0]


def test_roads_get_class_surface_lit_and_name(seeded_engine: Engine, extract_file: Path) -> None:
    """Highway → road class, surface → our surfaces (defaults when absent), lit and names kept."""
    import_osm(seeded_engine, path=extract_file)
    roads = _rows(
        seeded_engine,
        "SELECT osm_id, road_class, surface, lit, name, code FROM road WHERE osm_id IS NOT NULL",
    )
    assert {osm_id: row[:3] for osm_id, row in roads.items()} == EXPECTED_ROADS
    assert roads["w101"][3] == "Jl. Jenderal A. Yani"
    assert roads["w103"][3] == 'Gg. "Melati" & <Mawar> \\ 2'
    assert roads["w104"][3] == "Jalan Tanpa nama (OSM w104)"
    codes = sorted(row[4] for row in roads.values())
    assert all(code.startswith("JLN-") for code in codes) and len(set(codes)) == 9


def test_lamps_get_type_defaults_codes_and_kelurahan(
    seeded_engine: Engine, extract_file: Path
) -> None:
    """light:method → lamp type; wattage, height, mounting and owner from tags or defaults; codes
    numbered after the kecamatan's last; kelurahan the one the lamp stands in."""
    with seeded_engine.connect() as conn:
        last = conn.execute(
            text("SELECT max(split_part(code, '-', 3)::int) FROM lamp")
        ).scalar_one()
    import_osm(seeded_engine, path=extract_file)
    lamps = _rows(
        seeded_engine,
        """SELECT l.osm_id, l.lamp_type, l.wattage, l.pole_height_m, l.mounting, l.ownership,
                  l.code, k.code, l.kelurahan_id = (SELECT id FROM kelurahan x
                                                    WHERE ST_Covers(x.geom, l.geom)),
                  l.installed_on::text, l.osm_version, l.status
           FROM lamp l JOIN kelurahan ku ON ku.id = l.kelurahan_id
           JOIN kecamatan k ON k.id = ku.kecamatan_id
           WHERE l.osm_id IS NOT NULL""",
    )
    assert {osm_id: row[:5] for osm_id, row in lamps.items()} == EXPECTED_LAMPS
    for osm_id, row in lamps.items():
        code, district, in_kelurahan = row[5:8]
        assert code.startswith(f"PJU-{district}-") and in_kelurahan, osm_id
        assert int(code.rsplit("-", 1)[1]) <= last + 7
        assert row[9:] == (2, "working")
    assert lamps["n301"][8] == "2021-06-01"
    with seeded_engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT count(*) FROM lamp_event e JOIN lamp l ON l.id = e.lamp_id "
                "WHERE l.osm_id IS NOT NULL AND e.source = 'import' AND e.to_status = 'working'"
            )
        ).scalar_one()
    assert events == 7


def test_cemetery_kind_from_religion(seeded_engine: Engine, extract_file: Path) -> None:
    """landuse=cemetery and amenity=grave_yard (ways and a relation) become TPU with their kind."""
    import_osm(seeded_engine, path=extract_file)
    cemeteries = _rows(
        seeded_engine,
        "SELECT osm_id, kind, code, capacity, name FROM cemetery WHERE osm_id IS NOT NULL",
    )
    assert {osm_id: row[0] for osm_id, row in cemeteries.items()} == EXPECTED_CEMETERIES
    assert all(row[1].startswith("TPU-") and row[2] > 1000 for row in cemeteries.values())
    assert cemeteries["r405"][3] == "Bong Cina"


def test_only_muslim_places_of_worship(seeded_engine: Engine, extract_file: Path) -> None:
    """A musala node and a mosque building become prayer rooms; a church and a temple do not."""
    import_osm(seeded_engine, path=extract_file)
    rooms = _rows(
        seeded_engine,
        "SELECT osm_id, name, status, capacity, code FROM prayer_room WHERE osm_id IS NOT NULL",
    )
    assert {osm_id: row[:3] for osm_id, row in rooms.items()} == {
        "n501": ("Musala Al-Ikhlas", "existing", 40),
        "w502": ("Masjid Al-Munawwarah", "existing", None),
    }
    assert all(row[3].startswith("MSL-") for row in rooms.values())


def test_reimport_updates_instead_of_duplicating(
    seeded_engine: Engine, extract_file: Path, tmp_path: Path
) -> None:
    """The same extract again changes nothing; with a road renamed, that road is updated in
    place (same code) and every count of rows stays."""
    import_osm(seeded_engine, path=extract_file)
    after_first = _counts(seeded_engine)
    codes = _rows(seeded_engine, "SELECT osm_id, code FROM road WHERE osm_id IS NOT NULL")
    again = import_osm(seeded_engine, path=extract_file)
    assert {kind: (c.created, c.updated) for kind, c in again.counts.items()} == {
        kind: (0, 0) for kind in again.counts
    }
    assert again.counts["roads"].unchanged == 9 and again.counts["lamps"].unchanged == 7
    renamed = build_extract(seeded_engine, w101="Jl. Ahmad Yani").write(tmp_path / "v2.osm")
    report = import_osm(seeded_engine, path=renamed)
    assert (report.counts["roads"].created, report.counts["roads"].updated) == (0, 1)
    assert _counts(seeded_engine) == after_first
    roads = _rows(seeded_engine, "SELECT osm_id, name, code FROM road WHERE osm_id IS NOT NULL")
    assert roads["w101"] == ("Jl. Ahmad Yani", codes["w101"][0])


def test_lamps_linked_to_the_nearest_road(seeded_engine: Engine, extract_file: Path) -> None:
    """Each lamp of the extract gets the road nearest to it (within 30 m): here its OSM road."""
    report = import_osm(seeded_engine, path=extract_file)
    linked = _rows(
        seeded_engine,
        """SELECT l.osm_id, r.osm_id,
                  l.road_id = (SELECT n.id FROM road n
                               ORDER BY ST_Distance(n.geom::geography, l.geom::geography)
                               LIMIT 1)
           FROM lamp l LEFT JOIN road r ON r.id = l.road_id WHERE l.osm_id IS NOT NULL""",
    )
    assert all(nearest for _, nearest in linked.values())
    assert {osm_id: row[0] for osm_id, row in linked.items()} == {
        "n301": "w101",
        "n302": "w102",
        "n303": "w103",
        "n304": "w104",
        "n305": "w105",
        "n306": "w106",
        "n307": "w107",
    }
    assert (report.lamps_on_a_road, report.lamps_without_road) == (7, 0)


def test_a_broken_file_stores_nothing(seeded_engine: Engine, extract_file: Path) -> None:
    """A truncated extract is refused with a message naming the file, and nothing is stored."""
    before = _counts(seeded_engine)
    broken = extract_file.with_name("broken.osm")
    content = extract_file.read_bytes()
    broken.write_bytes(content[: len(content) * 2 // 3])
    with pytest.raises(InvalidInput, match="broken.osm could not be read as OpenStreetMap"):
        import_osm(seeded_engine, path=broken)
    assert _counts(seeded_engine) == before


def test_a_refused_row_rolls_back_the_whole_import(
    seeded_engine: Engine, extract_file: Path
) -> None:
    """When the database refuses the last rows written (lamps), the roads, cemeteries and
    prayer rooms already written are rolled back too: one transaction."""
    before = _counts(seeded_engine)
    with seeded_engine.begin() as conn:
        conn.execute(
            text("""
                CREATE FUNCTION refuse_lamp() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'no lamps today' USING ERRCODE = 'check_violation'; END $$;
                CREATE TRIGGER refuse_lamp BEFORE INSERT ON lamp
                    FOR EACH ROW EXECUTE FUNCTION refuse_lamp();
            """)
        )
    with pytest.raises(Conflict, match="nothing was stored: no lamps today"):
        import_osm(seeded_engine, path=extract_file)
    assert _counts(seeded_engine) == before


def test_pbf_extract_imports_like_xml(seeded_engine: Engine, extract_file: Path) -> None:
    """The same extract as .osm.pbf (converted by osmium) gives the same features."""
    osmium = shutil.which("osmium")
    assert osmium, "osmium-tool is a test dependency (Makefile TEST_PACKAGES)"
    pbf = extract_file.with_name("banjarbaru-centre.osm.pbf")
    subprocess.run([osmium, "cat", str(extract_file), "-o", str(pbf)], check=True)
    report = import_osm(seeded_engine, path=pbf)
    created = {kind: counts.created for kind, counts in report.counts.items()}
    assert created == {"roads": 9, "lamps": 7, "cemeteries": 5, "prayer-rooms": 2}
    roads = _rows(seeded_engine, "SELECT osm_id, road_class, surface, lit FROM road")
    assert {osm_id: row for osm_id, row in roads.items() if osm_id in EXPECTED_ROADS} == (
        EXPECTED_ROADS
    )


def test_cli_prints_the_summary_and_audits(
    seeded_engine: Engine, seeded_url: str, extract_file: Path
) -> None:
    """`geo-assets import osm FILE` prints per-kind counts and leaves one audit row per table."""
    env = {"GEO_ASSETS_DATABASE_URL": seeded_url, "COLUMNS": "250"}
    result = CliRunner().invoke(app, ["import", "osm", str(extract_file)], env=env)
    assert result.exit_code == 0, result.output
    assert "lamps: 7 created, 0 updated, 0 unchanged, 1 skipped (1 outside the city)" in (
        result.output
    )
    assert "prayer-rooms: 2 created" in result.output
    assert "(1 religion=christian, 1 religion=hindu)" in result.output
    with seeded_engine.connect() as conn:
        audit = conn.execute(
            text(
                "SELECT table_name, after->>'rows', actor FROM audit_log "
                "WHERE action = 'bulk' AND after->>'summary' LIKE 'import osm from %'"
            )
        ).all()
    assert sorted((t, n) for t, n, _ in audit) == [
        ("cemetery", "5"),
        ("lamp", "7"),
        ("prayer_room", "2"),
        ("road", "9"),
    ]
    assert all(actor.startswith("cli:") for *_, actor in audit)


def test_cli_refuses_a_file_that_is_not_osm(seeded_url: str, tmp_path: Path) -> None:
    """A GeoJSON given to `import osm` is refused with a message saying what to give."""
    path = tmp_path / "lamps.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    env = {"GEO_ASSETS_DATABASE_URL": seeded_url, "COLUMNS": "250"}
    result = CliRunner().invoke(app, ["import", "osm", str(path)], env=env)
    assert result.exit_code == 1
    assert "not an OpenStreetMap file: use .osm (XML) or .osm.pbf" in result.output
