"""A small known city for import/export tests.

Two kecamatan side by side (Banjarbaru Utara west of 114.84 E, Banjarbaru Selatan east of it),
one kelurahan each, two roads crossing at 114.82 E / 3.44 S, and a TPU with one block. The
`stock_city` adds lamps (imported), plots, an access road and prayer rooms.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from geo_assets.io.importer import import_file
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from tests.io.helpers import feature, point, write_geojson

BOUNDARIES_SQL = """
INSERT INTO kecamatan (id, code, name, geom) VALUES
  (1, '63.72.04', 'Banjarbaru Utara',
   ST_GeomFromText('MULTIPOLYGON(((114.80 -3.46, 114.84 -3.46, 114.84 -3.42, 114.80 -3.42,
                                   114.80 -3.46)))', 4326)),
  (2, '63.72.05', 'Banjarbaru Selatan',
   ST_GeomFromText('MULTIPOLYGON(((114.84 -3.46, 114.88 -3.46, 114.88 -3.42, 114.84 -3.42,
                                   114.84 -3.46)))', 4326));
INSERT INTO kelurahan (id, code, name, kecamatan_id, geom)
  SELECT id, code || '.100' || id, CASE id WHEN 1 THEN 'Mentaos' ELSE 'Sungai Besar' END, id, geom
  FROM kecamatan;
SELECT setval(pg_get_serial_sequence(t, 'id'), 10)
  FROM unnest(ARRAY['kecamatan', 'kelurahan']) t;
"""

ASSETS_SQL = """
INSERT INTO road (id, code, name, road_class, surface, width_m, geom) VALUES
  (1, 'JL-AYANI', 'Jl. Jenderal A. Yani', 'arteri', 'aspal', 14,
   ST_GeomFromText('LINESTRING(114.805 -3.44, 114.875 -3.44)', 4326)),
  (2, 'JL-MENTAOS', 'Jl. Mentaos', 'lokal', 'beton', 6,
   ST_GeomFromText('LINESTRING(114.82 -3.425, 114.82 -3.455)', 4326));
INSERT INTO cemetery (id, code, name, kind, capacity, gate_geom, geom) VALUES
  (1, 'TPU01', 'TPU Guntung Lua', 'muslim', 500,
   ST_GeomFromText('POINT(114.851 -3.448)', 4326),
   ST_GeomFromText('POLYGON((114.850 -3.450, 114.852 -3.450, 114.852 -3.448, 114.850 -3.448,
                             114.850 -3.450))', 4326));
INSERT INTO cemetery_block (id, code, cemetery_id, name, geom) VALUES
  (1, 'TPU01-A', 1, 'A',
   ST_GeomFromText('POLYGON((114.850 -3.450, 114.851 -3.450, 114.851 -3.449, 114.850 -3.449,
                             114.850 -3.450))', 4326));
SELECT setval(pg_get_serial_sequence(t, 'id'), 10)
  FROM unnest(ARRAY['road', 'cemetery', 'cemetery_block']) t;
"""

# Stored against RFC 7946 on purpose: plot 1 and TPU02's outline clockwise, TPU02's hole (a
# pond) counter-clockwise. Exports must turn them around.
STOCK_SQL = """
INSERT INTO cemetery (code, name, kind, capacity, geom) VALUES
  ('TPU02', 'TPU Kristen Mentaos', 'christian', 200,
   ST_GeomFromText('POLYGON((114.810 -3.430, 114.810 -3.426, 114.814 -3.426, 114.814 -3.430,
                             114.810 -3.430),
                            (114.811 -3.429, 114.812 -3.429, 114.812 -3.428, 114.811 -3.428,
                             114.811 -3.429))', 4326));
INSERT INTO plot (code, block_id, row_number, plot_number, status, geom) VALUES
  ('TPU01-A-1-1', 1, 1, 1, 'occupied',
   ST_GeomFromText('POLYGON((114.8500 -3.4500, 114.8500 -3.4498, 114.8502 -3.4498,
                             114.8502 -3.4500, 114.8500 -3.4500))', 4326)),
  ('TPU01-A-1-2', 1, 1, 2, 'available',
   ST_GeomFromText('POLYGON((114.8502 -3.4500, 114.8504 -3.4500, 114.8504 -3.4498,
                             114.8502 -3.4498, 114.8502 -3.4500))', 4326));
INSERT INTO access_road (code, name, cemetery_id, road_id, condition, surface, width_m,
                         planned_improvement, improvement_cost_idr, geom) VALUES
  ('AKS-TPU01', 'Jalan masuk TPU Guntung Lua', 1, 1, 'poor', 'kerikil', 4,
   'Pengaspalan 150 m', 225000000,
   ST_GeomFromText('LINESTRING(114.851 -3.44, 114.851 -3.448)', 4326));
INSERT INTO prayer_room (code, name, cemetery_id, status, capacity, estimated_cost_idr,
                         planned_year, geom) VALUES
  ('MSL-01', 'Musala Al-Ikhlas', 1, 'existing', 40, NULL, NULL,
   ST_GeomFromText('POINT(114.8525 -3.4485)', 4326)),
  ('MSL-02', 'Musala TPU Guntung Lua', 1, 'planned', 30, 350000000, 2026,
   ST_GeomFromText('POINT(114.8495 -3.4495)', 4326));
"""

LAMPS = [
    feature(
        point(114.8300, -3.4401),
        code="PJU-63.72.04-00001",
        lamp_type="led",
        wattage=60,
        pole_height_m=9,
        installed_on="2021-06-01",
    ),
    feature(
        point(114.8200, -3.4300),
        code="PJU-63.72.04-00002",
        lamp_type="sodium",
        wattage=150,
        pole_height_m=10.5,
        mounting="bracket",
    ),
    feature(
        point(114.8600, -3.4399),
        code="PJU-63.72.05-00001",
        lamp_type="led",
        wattage=90,
        pole_height_m=11,
        ownership="provinsi",
        power_billing="flat_rate",
    ),
]


def build_city(engine: Engine, *, assets: bool = True) -> None:
    """Store the boundaries and (unless `assets` is False) the roads and the TPU with a block."""
    with engine.begin() as conn:
        conn.execute(text(BOUNDARIES_SQL))
        if assets:
            conn.execute(text(ASSETS_SQL))


def stock_city(engine: Engine, folder: Path) -> Engine:
    """Add 3 imported lamps (one since reported out), plots, musala and an access road."""
    with engine.begin() as conn:
        conn.execute(text(STOCK_SQL))
    path = write_geojson(folder / "stock-lamps.geojson", LAMPS)
    assert import_file(engine, entity="lamps", path=path, write_report=False).ok
    with engine.begin() as conn:
        lamp_id = conn.execute(
            text("SELECT id FROM lamp WHERE code = 'PJU-63.72.04-00002'")
        ).scalar_one()
        record_lamp_events(
            conn, [NewLampEvent(lamp_id, "out", "field", datetime.now(UTC), note="mati")]
        )
    return engine
