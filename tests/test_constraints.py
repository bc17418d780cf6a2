"""The database itself refuses bad values: vocabularies, geometry types, SRIDs, codes."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DataError, IntegrityError, InternalError

SQUARE = (
    "SRID=4326;MULTIPOLYGON(((114.82 -3.46,114.84 -3.46,114.84 -3.44,114.82 -3.44,114.82 -3.46)))"
)
LAMP = """
    INSERT INTO lamp (code, lamp_type, wattage, pole_height_m, status, geom)
    VALUES (:code, :lamp_type, :wattage, 9, :status, ST_GeomFromEWKT(:geom))
"""
GOOD = {
    "code": "PJU-63.72.04-00001",
    "lamp_type": "led",
    "wattage": 60,
    "status": "working",
    "geom": "SRID=4326;POINT(114.83 -3.45)",
}


@pytest.fixture
def area(engine: Engine) -> int:
    """One kecamatan and one kelurahan covering a small square; returns the kelurahan id."""
    with engine.begin() as conn:
        kec = conn.execute(
            text(
                "INSERT INTO kecamatan (code, name, geom) VALUES ('63.72.04', 'Banjarbaru Utara', "
                "ST_GeomFromEWKT(:g)) RETURNING id"
            ),
            {"g": SQUARE},
        ).scalar_one()
        return conn.execute(
            text(
                "INSERT INTO kelurahan (code, name, kecamatan_id, geom) VALUES "
                "('63.72.04.1002', 'Mentaos', :k, ST_GeomFromEWKT(:g)) RETURNING id"
            ),
            {"k": kec, "g": SQUARE},
        ).scalar_one()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "burning"),
        ("lamp_type", "halogen"),
        ("wattage", 0),
        ("code", "PJU-1"),
        ("geom", "SRID=4326;LINESTRING(114.83 -3.45,114.84 -3.45)"),
        ("geom", "SRID=32750;POINT(250000 9620000)"),
    ],
)
def test_lamp_refuses_bad_values(engine: Engine, field: str, value: object) -> None:
    """A lamp with an unknown vocabulary value, bad code, wrong geometry type or SRID is refused."""
    with pytest.raises((IntegrityError, DataError, InternalError)), engine.begin() as conn:
        conn.execute(text(LAMP), {**GOOD, field: value})


def test_duplicate_code_refused(engine: Engine) -> None:
    """Two lamps cannot share a code."""
    with engine.begin() as conn:
        conn.execute(text(LAMP), GOOD)
    with pytest.raises(IntegrityError, match="uq_lamp_code"), engine.begin() as conn:
        conn.execute(text(LAMP), GOOD)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("road", "road_class", "highway"),
        ("road", "surface", "gold"),
        ("plot", "status", "sold"),
        ("access_road", "condition", "bad"),
        ("prayer_room", "status", "dreamt"),
        ("app_user", "role", "king"),
        ("cemetery", "kind", "pet"),
        ("service_request", "status", "pending"),
        ("lamp_event", "source", "rumour"),
    ],
)
def test_every_vocabulary_is_checked(engine: Engine, table: str, column: str, value: str) -> None:
    """Each vocabulary column has a CHECK constraint naming it."""
    with engine.connect() as conn:
        definition = conn.execute(
            text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :name"),
            {"name": f"ck_{table}_{column}"},
        ).scalar_one()
    assert column in definition and value not in definition


def test_invalid_polygon_refused(engine: Engine) -> None:
    """A self-intersecting (bow-tie) cemetery outline is refused by the database."""
    bow_tie = (
        "SRID=4326;POLYGON((114.80 -3.45,114.81 -3.44,114.81 -3.45,114.80 -3.44,114.80 -3.45))"
    )
    with pytest.raises(IntegrityError, match="ck_cemetery_geom_valid"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cemetery (code, name, kind, capacity, geom) "
                "VALUES ('TPU-99', 'Uji', 'general', 0, ST_GeomFromEWKT(:g))"
            ),
            {"g": bow_tie},
        )


def test_kelurahan_derived_from_position(engine: Engine, area: int) -> None:
    """A lamp stored inside a kelurahan gets that kelurahan; moved outside, it gets none."""
    with engine.begin() as conn:
        conn.execute(text(LAMP), GOOD)
        assert conn.execute(text("SELECT kelurahan_id FROM lamp")).scalar_one() == area
        conn.execute(text("UPDATE lamp SET geom = ST_SetSRID(ST_MakePoint(114.7, -3.5), 4326)"))
        assert conn.execute(text("SELECT kelurahan_id FROM lamp")).scalar_one() is None


def test_audit_records_actor_before_and_after(engine: Engine, area: int) -> None:
    """Every write lands in the audit log with the actor and the row before/after."""
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('geo_assets.actor', 'siti', true)"))
        conn.execute(text(LAMP), GOOD)
        conn.execute(text("UPDATE lamp SET wattage = 90"))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, action, before ->> 'wattage', after ->> 'wattage' FROM audit_log "
                "WHERE table_name = 'lamp' ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("siti", "insert", None, "60"),
        ("siti", "update", "60", "90"),
    ]


def test_updated_at_moves_on_update(engine: Engine, area: int) -> None:
    """updated_at is set by the database on every update."""
    with engine.begin() as conn:
        conn.execute(text(LAMP), GOOD)
    with engine.begin() as conn:
        conn.execute(text("UPDATE lamp SET wattage = 90"))
        created, updated = conn.execute(text("SELECT created_at, updated_at FROM lamp")).one()
    assert updated > created


def _plot(conn, status: str) -> int:  # noqa: ANN001 - a SQLAlchemy connection
    box = (
        "SRID=4326;POLYGON((114.83 -3.45,114.8301 -3.45,114.8301 -3.4499,"
        "114.83 -3.4499,114.83 -3.45))"
    )
    conn.execute(
        text(
            "INSERT INTO cemetery (code, name, kind, capacity, geom) "
            "VALUES ('TPU-01', 'Uji', 'general', 2, ST_GeomFromEWKT(:g)) ON CONFLICT DO NOTHING"
        ),
        {"g": box},
    )
    conn.execute(
        text(
            "INSERT INTO cemetery_block (code, cemetery_id, name, geom) "
            "VALUES ('TPU-01-A', 1, 'A', ST_GeomFromEWKT(:g)) ON CONFLICT DO NOTHING"
        ),
        {"g": box},
    )
    return conn.execute(
        text(
            "INSERT INTO plot (code, block_id, row_number, plot_number, status, geom) "
            "VALUES (:code, 1, 1, :n, :status, ST_GeomFromEWKT(:g)) RETURNING id"
        ),
        {"code": f"TPU-01-A-1-{status}", "n": len(status), "status": status, "g": box},
    ).scalar_one()


def test_burial_occupies_its_plot(engine: Engine) -> None:
    """An interment in a reserved plot makes it occupied; an unusable plot takes none."""
    with engine.begin() as conn:
        reserved, unusable = _plot(conn, "reserved"), _plot(conn, "unusable")
        conn.execute(
            text(
                "INSERT INTO interment (plot_id, deceased_name, buried_on) "
                "VALUES (:p, 'Ahmad', '2024-02-11')"
            ),
            {"p": reserved},
        )
        assert (
            conn.execute(
                text("SELECT status FROM plot WHERE id = :p"), {"p": reserved}
            ).scalar_one()
            == "occupied"
        )
    with pytest.raises(IntegrityError, match="unusable"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO interment (plot_id, deceased_name, buried_on) "
                "VALUES (:p, 'Budi', '2024-02-11')"
            ),
            {"p": unusable},
        )
