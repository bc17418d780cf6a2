"""Shared by the API tests: a small city, users of every role, clients and table snapshots."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets import auth
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.settings import Settings

ROLES = ("admin", "staff", "crew", "planner")
T0 = datetime(2025, 1, 10, 19, 0, tzinfo=UTC)
TABLES = (
    "kecamatan",
    "kelurahan",
    "road",
    "lamp",
    "lamp_event",
    "cemetery",
    "cemetery_block",
    "plot",
    "interment",
    "access_road",
    "prayer_room",
    "service_request",
    "app_user",
    "access_token",
    "audit_log",
)


def _square(x0: float, y0: float, x1: float, y1: float) -> str:
    return (
        f"ST_GeomFromText('MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},"
        f"{x0} {y0})))', 4326)"
    )


def _box(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4326)"


CITY_SQL = f"""
INSERT INTO kecamatan (code, name, geom) VALUES
  ('63.72.04', 'Banjarbaru Utara', {_square(114.80, -3.46, 114.85, -3.42)}),
  ('63.72.05', 'Banjarbaru Selatan', {_square(114.85, -3.46, 114.90, -3.42)});
INSERT INTO kelurahan (code, name, kecamatan_id, geom) VALUES
  ('63.72.04.1002', 'Mentaos', 1, {_square(114.80, -3.46, 114.85, -3.42)}),
  ('63.72.05.1001', 'Sungai Besar', 2, {_square(114.85, -3.46, 114.90, -3.42)});
INSERT INTO road (code, name, road_class, surface, width_m, geom) VALUES
  ('JL-0001', 'Jl. Jenderal A. Yani', 'arteri', 'aspal', 12,
   ST_GeomFromText('LINESTRING(114.81 -3.44, 114.89 -3.44)', 4326)),
  ('JL-0002', 'Jl. Mistar Cokrokusumo', 'lokal', 'beton', 6,
   ST_GeomFromText('LINESTRING(114.83 -3.45, 114.83 -3.43)', 4326));
INSERT INTO lamp (code, road_id, lamp_type, wattage, pole_height_m, ownership, geom) VALUES
  ('PJU-63.72.04-00001', 1, 'led', 60, 9, 'pemkot', ST_SetSRID(ST_MakePoint(114.82, -3.44), 4326)),
  ('PJU-63.72.04-00002', 1, 'led', 90, 9, 'pemkot', ST_SetSRID(ST_MakePoint(114.83, -3.44), 4326)),
  ('PJU-63.72.04-00003', 2, 'sodium', 150, 11, 'pln',
   ST_SetSRID(ST_MakePoint(114.83, -3.445), 4326)),
  ('PJU-63.72.05-00001', 1, 'led', 60, 9, 'pemkot', ST_SetSRID(ST_MakePoint(114.86, -3.44), 4326)),
  ('PJU-63.72.05-00002', 1, 'mercury', 250, 11, 'provinsi',
   ST_SetSRID(ST_MakePoint(114.87, -3.44), 4326));
INSERT INTO cemetery (code, name, kind, capacity, gate_geom, geom) VALUES
  ('TPU-01', 'TPU Guntung Manggis', 'muslim', 100,
   ST_SetSRID(ST_MakePoint(114.8315, -3.4500), 4326),
   {_box(114.830, -3.450, 114.833, -3.447)});
INSERT INTO cemetery_block (code, cemetery_id, name, geom) VALUES
  ('TPU-01-A', 1, 'Blok A', {_box(114.830, -3.450, 114.833, -3.447)});
INSERT INTO plot (code, block_id, row_number, plot_number, status, geom) VALUES
  ('TPU-01-A-1-1', 1, 1, 1, 'occupied', {_box(114.8300, -3.4500, 114.8301, -3.4499)}),
  ('TPU-01-A-1-2', 1, 1, 2, 'available', {_box(114.8301, -3.4500, 114.8302, -3.4499)});
INSERT INTO interment (plot_id, deceased_name, died_on, buried_on, heir_name, heir_phone) VALUES
  (1, 'Ahmad Fauzi', '2024-02-10', '2024-02-11', 'Siti Aminah', '0812-5555-0101');
INSERT INTO access_road (code, name, cemetery_id, condition, surface, geom) VALUES
  ('AKS-01', 'Jalan masuk TPU Guntung Manggis', 1, 'poor', 'tanah',
   ST_GeomFromText('LINESTRING(114.8315 -3.4500, 114.8315 -3.4440)', 4326));
INSERT INTO prayer_room (code, name, cemetery_id, status, capacity, geom) VALUES
  ('MSL-01', 'Musala TPU Guntung Manggis', 1, 'existing', 40,
   ST_SetSRID(ST_MakePoint(114.8318, -3.4495), 4326)),
  ('MSL-02', 'Musala rencana', NULL, 'planned', 30, ST_SetSRID(ST_MakePoint(114.86, -3.45), 4326));
INSERT INTO service_request (service_code, description, lon, lat, geom, requested_at, lamp_id,
                             email, phone, first_name)
VALUES ('streetlight_out', 'Lampu mati', 114.8201, -3.4401,
        ST_SetSRID(ST_MakePoint(114.8201, -3.4401), 4326), '2025-01-11T20:00:00+00', 1,
        'warga@example.org', '0813-0000-0000', 'Rina');
"""


def build_city(engine: Engine) -> None:
    """Two kecamatan, roads, five lamps with history, one TPU with everything, a request."""
    with engine.begin() as conn:
        conn.execute(text(CITY_SQL))
        record_lamp_events(
            conn,
            [NewLampEvent(lamp_id, "working", "import", T0) for lamp_id in range(1, 6)]
            + [
                NewLampEvent(2, "out", "field", T0.replace(day=12)),
                NewLampEvent(5, "damaged", "staff", T0.replace(day=13)),
            ],
        )


def password_for(role: str) -> str:
    """The test password of the user named after `role`."""
    return f"{role}-secret-pass"


def add_users(engine: Engine) -> None:
    """One user per role, named after it, through the accounts module."""
    with engine.begin() as conn:
        for role in ROLES:
            auth.create_user(
                connection=conn, username=role, role=role, password=password_for(role), actor="test"
            )


def make_client(db_url: str, **settings: object) -> TestClient:
    """A TestClient on a new app for `db_url` (use as a context manager)."""
    return TestClient(
        create_app(Settings(database_url=db_url, **settings)), raise_server_exceptions=False
    )


def snapshot(engine: Engine) -> dict[str, object]:
    """A digest and count of every row of every table, to show that nothing changed."""
    with engine.connect() as conn:
        return {
            table: tuple(
                conn.execute(
                    text(
                        f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)), count(*) "
                        f"FROM {table} t"
                    )
                ).one()
            )
            for table in TABLES
        }


def bearer(client: TestClient, role: str) -> dict[str, str]:
    """Sign in as the user of `role` through the token endpoint; the Authorization header."""
    response = client.post(
        "/api/v1/auth/token", data={"username": role, "password": password_for(role)}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
