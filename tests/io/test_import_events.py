"""Imports write first events set-based (the events `record_lamp_events` writes) and hold
the garbage collector only while they run."""

from __future__ import annotations

import gc
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from geo_assets.io.importer import import_file
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from tests.io.helpers import feature, point, write_geojson

LAMP = {"lamp_type": "led", "wattage": 60, "pole_height_m": 9.0}
EVENT_COLUMNS = (
    "e.from_status, e.to_status, e.note, e.photo, e.source, e.actor, e.occurred_at, "
    "e.service_request_id, l.status, l.status_changed_at, l.version"
)


def _events(conn: Connection, codes: list[str]) -> list[tuple]:
    """Each lamp's events (with its row's status, time and version) in event order."""
    rows = conn.execute(
        text(
            f"SELECT l.code, {EVENT_COLUMNS}, e.idempotency_key, e.lamp_id "  # noqa: S608 - constant
            "FROM lamp_event e JOIN lamp l ON l.id = e.lamp_id "
            "WHERE l.code = ANY(:codes) ORDER BY e.id"
        ),
        {"codes": codes},
    ).all()
    return [tuple(row) for row in rows]


def _copy_lamps_the_old_way(conn: Connection, imported: list[tuple]) -> list[str]:
    """Insert twins of the imported lamps and record their first events one batch at a time,
    through `record_lamp_events`, as the importer did before; returns the twins' codes."""
    events = []
    codes = []
    for row in imported:
        code = row[0].replace("PJU-63.72.04", "PJU-63.72.06")
        twin = conn.execute(
            text(
                "INSERT INTO lamp (code, status, status_changed_at, lamp_type, wattage, "
                "pole_height_m, geom) SELECT :code, status, status_changed_at, lamp_type, "
                "wattage, pole_height_m, geom FROM lamp "
                "WHERE code = :original RETURNING id"
            ),
            {"code": code, "original": row[0]},
        ).scalar_one()
        key = row[-2].rsplit("-", 1)[0] + f"-{twin}"
        events.append(
            NewLampEvent(
                twin, row[2], row[5], row[7], note=row[3], actor=row[6], idempotency_key=key
            )
        )
        codes.append(code)
    record_lamp_events(conn, events)
    return codes


def test_imported_lamps_first_events_equal_what_record_lamp_events_writes(
    city: Engine, tmp_path: Path
) -> None:
    """Every imported lamp gets one event from no status to its own, note, actor, time and key
    `import-<run>-<id>`, in id order, its row untouched: the same as `record_lamp_events`."""
    path = write_geojson(
        tmp_path / "lamps.geojson",
        [
            feature(point(114.83, -3.4401), code="PJU-63.72.04-00001", status="out", **LAMP),
            feature(point(114.831, -3.4402), code="PJU-63.72.04-00002", **LAMP),
            feature(point(114.832, -3.4403), code="PJU-63.72.04-00003", status="damaged", **LAMP),
        ],
    )
    assert import_file(city, entity="lamps", path=path, actor="tester").imported == 3
    with city.begin() as conn:
        imported = _events(conn, ["PJU-63.72.04-00001", "PJU-63.72.04-00002", "PJU-63.72.04-00003"])
        twins = _events(conn, _copy_lamps_the_old_way(conn, imported))
    assert [row[1:-2] for row in imported] == [row[1:-2] for row in twins]
    assert [row[2] for row in imported] == ["out", "working", "damaged"]
    assert imported[0][3] == "imported from lamps.geojson"
    assert [row[-1] for row in imported] == sorted(row[-1] for row in imported)
    run = imported[0][-2].rsplit("-", 1)[0]
    assert [row[-2] for row in imported] == [f"{run}-{row[-1]}" for row in imported]
    assert run.startswith("import-")


def test_import_leaves_the_garbage_collector_as_it_found_it(city: Engine, tmp_path: Path) -> None:
    """The collector, held while a file is read and stored, is on again after a clean import and
    after a refused one; held by the caller, it stays held."""
    good = write_geojson(
        tmp_path / "good.geojson",
        [feature(point(114.83, -3.4401), code="PJU-63.72.04-00001", **LAMP)],
    )
    bad = write_geojson(tmp_path / "bad.geojson", [feature(point(114.83, -3.4401), code="x")])
    assert import_file(city, entity="lamps", path=good, write_report=False).imported == 1
    assert gc.isenabled()
    assert import_file(city, entity="lamps", path=bad, write_report=False).imported == 0
    assert gc.isenabled()
    gc.disable()
    try:
        import_file(city, entity="lamps", path=bad, write_report=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
