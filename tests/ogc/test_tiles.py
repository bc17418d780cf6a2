"""OGC API – Tiles: lamp and basemap vector tiles, empty tiles, ETags and merged cells."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.settings import Settings
from geo_assets.tiles.matrix import tile_of
from tests.factories import add_lamp
from tests.ogc.tiles_city import SHARED_STATUSES, STREET_LAT, build_tiles_city, shared_cell_point

MVT = "application/vnd.mapbox-vector-tile"
LAMP_PROPERTIES = {"id", "code", "status", "lamp_type", "wattage"}
IN_TILE_SQL = """
SELECT id, code, status, lamp_type, wattage FROM lamp
WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(:z, :x, :y, margin => :margin))
"""


@pytest.fixture
def city_url(engine: Engine, db_url: str) -> str:
    """This test's database, holding the small tiles city."""
    build_tiles_city(engine)
    return db_url


def lamp_tile_url(z: int, lon: float, lat: float) -> str:
    """The lamps tile of zoom z holding (lon, lat)."""
    x, y = tile_of(z, lon, lat)
    return f"/ogc/collections/lamps/tiles/WebMercatorQuad/{z}/{y}/{x}"


def decode(body: bytes) -> dict[str, Any]:
    """The layers of a vector tile."""
    return mapbox_vector_tile.decode(body)


def lamps_in_sql(city: Engine, z: int, lon: float, lat: float, margin: float) -> set[tuple]:
    """(id, code, status, lamp_type, wattage) of the lamps PostGIS finds in that tile."""
    x, y = tile_of(z, lon, lat)
    with city.connect() as conn:
        rows = conn.execute(text(IN_TILE_SQL), {"z": z, "x": x, "y": y, "margin": margin})
        return {tuple(row) for row in rows}


def tile_lamps(body: bytes) -> set[tuple]:
    """(id, code, status, lamp_type, wattage) of the lamp features in a tile."""
    features = decode(body)["lamps"]["features"]
    assert all(set(f["properties"]) | {"id"} == LAMP_PROPERTIES for f in features)
    return {
        (f["id"], *(f["properties"][k] for k in ("code", "status", "lamp_type", "wattage")))
        for f in features
    }


def test_lamp_tile_holds_the_lamps_postgis_finds_with_their_statuses(
    client: TestClient, city: Engine
) -> None:
    """A zoom-16 lamp tile decodes to exactly the lamps in its envelope, with their statuses."""
    response = client.get(lamp_tile_url(16, 114.83, STREET_LAT))
    assert response.status_code == 200
    assert response.headers["content-type"] == MVT
    expected = lamps_in_sql(city, 16, 114.83, STREET_LAT, margin=64 / 4096)
    assert len(expected) >= 3
    assert tile_lamps(response.content) == expected


def test_tile_with_nothing_in_it_answers_204(client: TestClient) -> None:
    """Tiles away from every feature answer 204 No Content, lamps and basemap alike."""
    far = lamp_tile_url(16, 100.0, 10.0)
    assert client.get(far).status_code == 204
    assert client.get(far.replace("collections/lamps/", "")).status_code == 204


def test_etag_revalidates_and_a_status_change_shows_on_the_next_fetch(
    client: TestClient, city: Engine
) -> None:
    """If-None-Match gives 304 until a lamp's status changes; then a new ETag and the status."""
    url = lamp_tile_url(16, 114.83, STREET_LAT)
    first = client.get(url)
    etag = first.headers["etag"]
    assert "no-cache" in first.headers["cache-control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    lamp_id, code, *_ = sorted(tile_lamps(first.content))[0]
    with city.begin() as conn:
        record_lamp_events(conn, [NewLampEvent(lamp_id, "damaged", "field", datetime.now(UTC))])
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    statuses = {row[1]: row[2] for row in tile_lamps(changed.content)}
    assert statuses[code] == "damaged"


def test_basemap_tile_has_kecamatan_kelurahan_and_roads(client: TestClient) -> None:
    """The own-data basemap tile carries layers kecamatan, kelurahan and roads with names."""
    x, y = tile_of(14, 114.83, STREET_LAT)
    response = client.get(f"/ogc/tiles/WebMercatorQuad/14/{y}/{x}")
    assert response.status_code == 200
    layers = decode(response.content)
    assert set(layers) == {"kecamatan", "kelurahan", "roads"}
    roads = {f["properties"]["code"]: f["properties"] for f in layers["roads"]["features"]}
    assert roads["JL-0001"] == {"code": "JL-0001", "name": "Jl. A. Yani", "road_class": "arteri"}
    assert layers["kelurahan"]["features"][0]["properties"]["name"] == "Mentaos"
    assert layers["kecamatan"]["features"][0]["properties"]["code"] == "63.72.04"


@pytest.fixture
def merging_client(city_url: str) -> Iterator[TestClient]:
    """The app with `tile_detail_limit=0`: every lamp tile below zoom 15 shows merged cells."""
    app = create_app(Settings(database_url=city_url, tile_detail_limit=0))
    with TestClient(app) as test_client:
        yield test_client


def merged_cells(client: TestClient, z: int, lon: float, lat: float) -> list[dict[str, Any]]:
    """The properties of the merged cells of the lamp tile of zoom z holding (lon, lat)."""
    response = client.get(lamp_tile_url(z, lon, lat))
    return [f["properties"] for f in decode(response.content)["lamps"]["features"]]


def test_low_zoom_merged_cells_keep_counts_and_the_worst_status(
    merging_client: TestClient, city: Engine
) -> None:
    """At zooms 12 to 14 the cells' counts add up to the lamps in the tile, and the cell of
    the three close lamps says 3 and their worst status (damaged)."""
    lon, lat = shared_cell_point()
    for z in (12, 13, 14):
        cells = merged_cells(merging_client, z, lon, lat)
        assert sum(cell["count"] for cell in cells) == len(lamps_in_sql(city, z, lon, lat, 0))
        shared = [cell for cell in cells if cell["count"] == len(SHARED_STATUSES)]
        assert shared == [{"count": 3, "status": "damaged"}]


def test_merged_cells_follow_inserts_updates_moves_and_deletes(
    merging_client: TestClient, city: Engine
) -> None:
    """The cell counts (kept by triggers) stay exact through a new lamp, a status change, a
    move and a delete, and the worst status of a cell follows its lamps."""
    lon, lat = shared_cell_point()
    with city.begin() as conn:
        added = add_lamp(conn, code="PJU-63.72.04-00200", lon=lon, lat=lat, status="out")
        conn.execute(text("UPDATE lamp SET status = 'working' WHERE status = 'damaged'"))
        conn.execute(
            text("UPDATE lamp SET geom = ST_Translate(geom, 0.0004, 0) WHERE code LIKE '%0001_'")
        )
        conn.execute(text("DELETE FROM lamp WHERE code = 'PJU-63.72.04-00102'"))  # an 'out' one
    for z in (12, 14):
        cells = merged_cells(merging_client, z, lon, lat)
        assert sum(cell["count"] for cell in cells) == len(lamps_in_sql(city, z, lon, lat, 0))
    shared = [c for c in merged_cells(merging_client, 12, lon, lat) if c["count"] == 3]
    assert shared == [{"count": 3, "status": "out"}]  # working, working (was damaged), new out
    with city.begin() as conn:
        conn.execute(text("DELETE FROM lamp WHERE id = :id"), {"id": added})
    shared = [c for c in merged_cells(merging_client, 12, lon, lat) if c["count"] == 2]
    assert shared == [{"count": 2, "status": "working"}]


def test_sparse_low_zoom_tiles_show_each_lamp(client: TestClient, city: Engine) -> None:
    """Below zoom 15 a tile with fewer lamps than the detail limit shows each with its code."""
    lon, lat = shared_cell_point()
    response = client.get(lamp_tile_url(12, lon, lat))
    assert tile_lamps(response.content) == lamps_in_sql(city, 12, lon, lat, margin=64 / 4096)


def test_service_request_tiles_carry_no_personal_data(client: TestClient) -> None:
    """A service-request tile has its public tile properties only, no reporter's contact."""
    x, y = tile_of(16, 114.83, STREET_LAT)
    response = client.get(f"/ogc/collections/service-requests/tiles/WebMercatorQuad/16/{y}/{x}")
    features = decode(response.content)["service-requests"]["features"]
    assert [set(f["properties"]) for f in features] == [{"service_code", "status"}]
    assert b"warga@example.com" not in response.content
