"""The database itself refuses bad values: vocabularies, geometry types, SRIDs, codes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DataError, IntegrityError, InternalError

from tests.factories import (
    add_block,
    add_cemetery,
    add_interment,
    add_kecamatan,
    add_kelurahan,
    add_lamp,
    add_plot,
)

SQUARE = (
    "SRID=4326;MULTIPOLYGON(((114.82 -3.46,114.84 -3.46,114.84 -3.44,114.82 -3.44,114.82 -3.46)))"
)
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
        kec = add_kecamatan(conn, code="63.72.04", name="Banjarbaru Utara", geom=SQUARE)
        return add_kelurahan(
            conn, code="63.72.04.1002", name="Mentaos", kecamatan_id=kec, geom=SQUARE
        )


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
        add_lamp(conn, **{**GOOD, field: value})


def test_duplicate_code_refused(engine: Engine) -> None:
    """Two lamps cannot share a code."""
    with engine.begin() as conn:
        add_lamp(conn, **GOOD)
    with pytest.raises(IntegrityError, match="uq_lamp_code"), engine.begin() as conn:
        add_lamp(conn, **GOOD)


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
        add_cemetery(conn, code="TPU-99", geom=bow_tie)


def test_kelurahan_derived_from_position(engine: Engine, area: int) -> None:
    """A lamp stored inside a kelurahan gets that kelurahan; moved outside, it gets none."""
    with engine.begin() as conn:
        add_lamp(conn, **GOOD)
        assert conn.execute(text("SELECT kelurahan_id FROM lamp")).scalar_one() == area
        conn.execute(text("UPDATE lamp SET geom = ST_SetSRID(ST_MakePoint(114.7, -3.5), 4326)"))
        assert conn.execute(text("SELECT kelurahan_id FROM lamp")).scalar_one() is None


def test_audit_records_actor_before_and_after(engine: Engine, area: int) -> None:
    """Every write lands in the audit log with the actor and the row before/after."""
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('geo_assets.actor', 'siti', true)"))
        add_lamp(conn, **GOOD)
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
        add_lamp(conn, **GOOD)
    with engine.begin() as conn:
        conn.execute(text("UPDATE lamp SET wattage = 90"))
        created, updated = conn.execute(text("SELECT created_at, updated_at FROM lamp")).one()
    assert updated > created


def _plots(conn: Connection, *statuses: str) -> list[int]:
    """One TPU with one block, and a plot in each of `statuses`."""
    box = (
        "SRID=4326;POLYGON((114.83 -3.45,114.8301 -3.45,114.8301 -3.4499,"
        "114.83 -3.4499,114.83 -3.45))"
    )
    cemetery = add_cemetery(conn, code="TPU-01", capacity=2, geom=box)
    block = add_block(conn, cemetery_id=cemetery, code="TPU-01-A", geom=box)
    return [
        add_plot(
            conn,
            block_id=block,
            code=f"TPU-01-A-1-{status}",
            plot_number=len(status),
            status=status,
            geom=box,
        )
        for status in statuses
    ]


def test_burial_occupies_its_plot(engine: Engine) -> None:
    """An interment in a reserved plot makes it occupied; an unusable plot takes none."""
    with engine.begin() as conn:
        reserved, unusable = _plots(conn, "reserved", "unusable")
        add_interment(conn, plot_id=reserved, deceased_name="Ahmad", buried_on=date(2024, 2, 11))
        assert (
            conn.execute(
                text("SELECT status FROM plot WHERE id = :p"), {"p": reserved}
            ).scalar_one()
            == "occupied"
        )
    with pytest.raises(IntegrityError, match="unusable"), engine.begin() as conn:
        add_interment(conn, plot_id=unusable, deceased_name="Budi", buried_on=date(2024, 2, 11))
