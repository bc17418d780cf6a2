"""A small known city for the map tests: 1 kecamatan, 2 kelurahan, 2 roads, 60 lamps, 2 TPU.

Lamp statuses are set the only way they may be, by events (`record_lamp_events`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from geoalchemy2.shape import from_shape
from shapely.geometry import LineString, MultiPolygon, Point, box
from sqlalchemy import Engine

from geo_assets.database import session_scope
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models import (
    AccessRoad,
    Cemetery,
    CemeteryBlock,
    Kecamatan,
    Kelurahan,
    Lamp,
    Plot,
    PrayerRoom,
    Road,
)

LAMP_COUNT = 60
# Lamp number -> status after its events (every other lamp stays `working`, with no event).
STATUS_OF = {
    1: "out",
    2: "out",
    3: "out",
    4: "out",
    5: "out",
    6: "damaged",
    7: "damaged",
    8: "damaged",
    9: "in_repair",
    10: "in_repair",
    11: "planned",
    12: "decommissioned",
}
STATUS_COUNTS = {
    "working": 48,
    "out": 5,
    "damaged": 3,
    "in_repair": 2,
    "planned": 1,
    "decommissioned": 1,
}
FIRST_EVENT = datetime(2024, 5, 3, 6, 20, tzinfo=UTC)  # 14:20 WITA
PLOT_STATUSES = ["available"] * 4 + ["reserved"] * 3 + ["occupied"] * 4 + ["unusable"]


def lamp_code(number: int) -> str:
    """The code of lamp `number` (1-based)."""
    return f"PJU-63.72.04-{number:05d}"


def _g(shape, srid: int = 4326):
    return from_shape(shape, srid=srid)


def _areas(session) -> tuple[Road, Road]:
    kecamatan = Kecamatan(
        code="63.72.04",
        name="Banjarbaru Utara",
        official_area_km2=24.4,
        geom=_g(MultiPolygon([box(114.80, -3.46, 114.86, -3.42)])),
    )
    session.add(kecamatan)
    session.flush()
    session.add_all(
        [
            Kelurahan(
                code="63.72.04.1003",
                name="Komet",
                kecamatan_id=kecamatan.id,
                geom=_g(MultiPolygon([box(114.80, -3.46, 114.83, -3.42)])),
            ),
            Kelurahan(
                code="63.72.04.1002",
                name="Mentaos",
                kecamatan_id=kecamatan.id,
                geom=_g(MultiPolygon([box(114.83, -3.46, 114.86, -3.42)])),
            ),
        ]
    )
    yani = Road(
        code="R-001",
        name="Jl. Jenderal A. Yani",
        road_class="arteri",
        surface="aspal",
        width_m=14,
        geom=_g(LineString([(114.80, -3.44), (114.86, -3.44)])),
    )
    komet = Road(
        code="R-002",
        name="Jl. Komet Raya",
        road_class="lokal",
        surface="aspal",
        width_m=6,
        geom=_g(LineString([(114.84, -3.46), (114.84, -3.42)])),
    )
    session.add_all([yani, komet])
    session.flush()
    return yani, komet


def _lamps(session, yani: Road, komet: Road) -> list[Lamp]:
    lamps = []
    for number in range(1, LAMP_COUNT + 1):
        if number <= 48:  # every ~33 m on the arterial, west part only: the east part is dark
            road, point = yani, Point(114.80 + 0.0003 * number, -3.44)
        else:  # sparse on the local road
            road, point = komet, Point(114.84, -3.455 + 0.0025 * (number - 48))
        lamps.append(
            Lamp(
                code=lamp_code(number),
                road_id=road.id,
                lamp_type="led",
                wattage=60 if number % 2 else 90,
                pole_height_m=9,
                geom=_g(point),
            )
        )
    session.add_all(lamps)
    session.flush()
    return lamps


def _cemeteries(session) -> None:
    tpu = Cemetery(
        code="TPU-01",
        name="TPU Guntung Lua",
        kind="muslim",
        manager="Dinas Perkim",
        capacity=500,
        gate_geom=_g(Point(114.8115, -3.4385)),
        geom=_g(box(114.8100, -3.4395, 114.8130, -3.4385)),
    )
    other = Cemetery(
        code="TPU-02",
        name="TPU Kristen Mentaos",
        kind="christian",
        capacity=200,
        geom=_g(box(114.8500, -3.4550, 114.8515, -3.4540)),
    )
    session.add_all([tpu, other])
    session.flush()
    block = CemeteryBlock(
        code="TPU-01-A",
        cemetery_id=tpu.id,
        name="Blok A",
        geom=_g(box(114.8101, -3.4394, 114.8111, -3.4389)),
    )
    session.add(block)
    session.flush()
    for index, status in enumerate(PLOT_STATUSES):
        row, number = divmod(index, 4)
        x, y = 114.8102 + number * 0.00003, -3.4393 + row * 0.00002
        session.add(
            Plot(
                code=f"TPU-01-A-{row + 1}-{number + 1}",
                block_id=block.id,
                row_number=row + 1,
                plot_number=number + 1,
                status=status,
                geom=_g(box(x, y, x + 0.00002, y + 0.00001)),
            )
        )
    session.add_all(
        [
            AccessRoad(
                code="AR-01",
                name="Jalan masuk TPU Guntung Lua",
                cemetery_id=tpu.id,
                condition="good",
                surface="beton",
                width_m=4,
                geom=_g(LineString([(114.8115, -3.4400), (114.8115, -3.4385)])),
            ),
            AccessRoad(
                code="AR-02",
                name="Jalan tanah TPU Mentaos",
                cemetery_id=other.id,
                condition="impassable",
                surface="tanah",
                width_m=3,
                planned_improvement="Pengaspalan 150 m",
                improvement_cost_idr=450_000_000,
                geom=_g(LineString([(114.8400, -3.4545), (114.8500, -3.4545)])),
            ),
            PrayerRoom(
                code="MUS-01",
                name="Musala Al-Ikhlas",
                cemetery_id=tpu.id,
                status="existing",
                capacity=40,
                geom=_g(Point(114.8135, -3.4390)),
            ),
            PrayerRoom(
                code="MUS-02",
                name="Musala rencana Mentaos",
                cemetery_id=other.id,
                status="planned",
                estimated_cost_idr=350_000_000,
                planned_year=2027,
                geom=_g(Point(114.8517, -3.4545)),
            ),
        ]
    )


def load_small_city(engine: Engine) -> None:
    """Insert the small city into an empty migrated database."""
    with session_scope(engine) as session:
        yani, komet = _areas(session)
        lamps = _lamps(session, yani, komet)
        _cemeteries(session)
        ids = [lamp.id for lamp in lamps]
    events = [
        NewLampEvent(ids[number - 1], status, "field", FIRST_EVENT + timedelta(hours=number))
        for number, status in STATUS_OF.items()
    ]
    with engine.begin() as connection:
        record_lamp_events(connection, events)
