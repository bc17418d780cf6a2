"""A city of many lamps in seconds: copies of the stored lamps, jittered, under new codes.

For measuring exports at scale (bench_io, the streaming tests) without seeding a whole city:
one INSERT … SELECT in PostgreSQL. Each copy keeps its original's attributes, road and
kelurahan (so the per-row kelurahan trigger has nothing to do) and moves up to ~5 m; the
audit trigger is switched off for the transaction, as bulk imports do.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

# Codes PJU-99.<nn>.00-<nnnnn>: a prefix holds 99,999 numbers; 99 is no kecamatan of the city.
# Numbers start at the count of lamps stored, so a second call never repeats a code.
COPY_LAMPS_SQL = """
INSERT INTO lamp (code, road_id, kelurahan_id, lamp_type, wattage, pole_height_m, mounting,
                  ownership, power_billing, installed_on, status, status_changed_at, geom)
SELECT format('PJU-99.%s.00-%s', lpad((n / 99999)::text, 2, '0'),
              lpad((n % 99999 + 1)::text, 5, '0')),
       road_id, kelurahan_id, lamp_type, wattage, pole_height_m, mounting, ownership,
       power_billing, installed_on, status, status_changed_at,
       ST_Translate(geom, (random() - 0.5) * 0.0001, (random() - 0.5) * 0.0001)
FROM (
    SELECT row_number() OVER () - 1 + :stored AS n, l.*
    FROM generate_series(1, :rounds) AS r CROSS JOIN lamp AS l
) AS copies
WHERE n < :stored + :wanted
"""


def add_lamp_copies(engine: Engine, wanted: int) -> int:
    """Add `wanted` copies of the stored lamps (cycling through them); returns the lamp count."""
    with engine.begin() as connection:
        stored = connection.execute(text("SELECT count(*) FROM lamp")).scalar_one()
        if stored == 0:
            raise ValueError("no lamps to copy: seed or import some first")
        connection.execute(text("SET LOCAL geo_assets.audit = 'off'"))
        rounds = -(-wanted // stored)
        connection.execute(
            text(COPY_LAMPS_SQL), {"rounds": rounds, "wanted": wanted, "stored": stored}
        )
        connection.execute(text("ANALYZE lamp"))
        return connection.execute(text("SELECT count(*) FROM lamp")).scalar_one()
