"""A small known city for import/export tests: 2 kecamatan, 2 kelurahan, 2 roads, 1 TPU."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from tests.conftest import TEMPLATE, clone_database, drop_database

# Banjarbaru Utara (west half) and Banjarbaru Selatan (east half) of a 0.08° × 0.04° box.
CITY_SQL = """
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
  FROM unnest(ARRAY['kecamatan', 'kelurahan', 'road', 'cemetery', 'cemetery_block']) t;
"""


def build_city(engine: Engine) -> None:
    """Store the small city (boundaries, roads, one TPU with one block)."""
    with engine.begin() as conn:
        conn.execute(text(CITY_SQL))


@pytest.fixture
def city(engine: Engine) -> Engine:
    """This test's database with the small city stored (and no lamps)."""
    build_city(engine)
    return engine


@pytest.fixture
def other_city(cluster: EmbeddedCluster) -> Iterator[Engine]:
    """A second fresh database with the same small city, to import exported files into."""
    url = clone_database(cluster, TEMPLATE)
    engine = make_engine(url)
    build_city(engine)
    yield engine
    engine.dispose()
    drop_database(cluster, url)
