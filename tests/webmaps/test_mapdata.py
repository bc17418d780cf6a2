"""geo_assets.mapdata: what the maps read from PostGIS, on the small known city."""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine

from geo_assets import mapdata
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.models import METRIC_SRID
from tests.webmaps.small_city import LAMP_COUNT, STATUS_COUNTS, lamp_code


def test_lamps_carry_road_kelurahan_status_and_last_event(city: Engine) -> None:
    """Every lamp comes back with its road and kelurahan names, status and last event time."""
    lamps = mapdata.read_lamps(city)
    assert len(lamps) == LAMP_COUNT and lamps.crs.to_epsg() == 4326
    assert lamps["status"].value_counts().to_dict() == STATUS_COUNTS
    first = lamps.set_index("code").loc[lamp_code(1)]
    assert (first.road_name, first.kelurahan_name, first.status) == (
        "Jl. Jenderal A. Yani",
        "Komet",
        "out",
    )
    assert first.last_event_at == datetime(2024, 5, 3, 7, 20, tzinfo=UTC)
    assert pd.isna(lamps.set_index("code").loc[lamp_code(30), "last_event_at"])


def test_lamps_near_cemeteries_are_those_within_the_distance(city: Engine) -> None:
    """Exactly the lamps within 150 m (measured in metres) of a cemetery outline are returned."""
    near = mapdata.read_lamps_near_cemeteries(city, distance_m=150)
    lamps = mapdata.read_lamps(city).to_crs(METRIC_SRID)
    outlines = mapdata.read_cemeteries(city).to_crs(METRIC_SRID)
    distance = lamps.geometry.apply(lambda p: outlines.distance(p).min())
    expected = set(lamps.loc[distance <= 150, "code"])
    assert set(near["code"]) == expected and 0 < len(expected) < LAMP_COUNT


def test_cemeteries_count_plots_by_state(city: Engine) -> None:
    """A TPU row carries its capacity and how many plots are in each state."""
    tpu = mapdata.read_cemeteries(city).set_index("code").loc["TPU-01"]
    assert (
        tpu.capacity,
        tpu.plots_total,
        tpu.plots_available,
        tpu.plots_reserved,
        tpu.plots_occupied,
        tpu.plots_unusable,
    ) == (500, 12, 4, 3, 4, 1)
    assert len(mapdata.read_plots(city)) == 12
    assert set(mapdata.read_access_roads(city)["condition"]) == {"good", "impassable"}
    assert set(mapdata.read_prayer_rooms(city)["status"]) == {"existing", "planned"}


def test_context_frames_are_lon_lat(city: Engine) -> None:
    """Boundaries and roads come back as GeoDataFrames in EPSG:4326."""
    for frame in (
        mapdata.read_kecamatan(city),
        mapdata.read_kelurahan(city),
        mapdata.read_roads(city),
        mapdata.read_blocks(city),
    ):
        assert isinstance(frame, gpd.GeoDataFrame) and frame.crs.to_epsg() == 4326 and len(frame)


def test_data_version_changes_when_a_lamp_changes(city: Engine) -> None:
    """The cache key of the status map moves when a lamp's status changes, and only then."""
    tables = mapdata.MAP_TABLES["status"]
    before = mapdata.data_version(city, tables=tables)
    assert mapdata.data_version(city, tables=tables) == before
    lamp_id = int(mapdata.read_lamps(city).set_index("code").loc[lamp_code(30), "id"])
    with city.begin() as connection:
        record_lamp_events(connection, [NewLampEvent(lamp_id, "out", "field", datetime.now(UTC))])
    assert mapdata.data_version(city, tables=tables) != before
