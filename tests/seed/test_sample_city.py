"""The seeded Banjarbaru sample city (SPEC §4) looks like the real city and holds together."""

from __future__ import annotations

import json
import re

import shapely
from shapely.geometry import shape
from sqlalchemy import Engine, text

from geo_assets import vocab
from geo_assets.seed.inputs import INPUT_DIR

KELURAHAN = {  # SPEC §4: code -> (name, centroid lon, lat)
    "63.72.02.1003": ("Landasan Ulin Timur", 114.7415, -3.4702),
    "63.72.02.1004": ("Guntung Payung", 114.7813, -3.4364),
    "63.72.02.1005": ("Guntung Manggis", 114.7744, -3.4756),
    "63.72.02.1006": ("Syamsudin Noor", 114.7564, -3.4211),
    "63.72.03.1001": ("Palam", 114.7858, -3.4981),
    "63.72.03.1002": ("Bangkal", 114.8100, -3.5160),
    "63.72.03.1003": ("Sungai Tiung", 114.8473, -3.5215),
    "63.72.03.1004": ("Cempaka", 114.8734, -3.5061),
    "63.72.04.1001": ("Loktabat Utara", 114.8032, -3.4329),
    "63.72.04.1002": ("Mentaos", 114.8349, -3.4336),
    "63.72.04.1003": ("Komet", 114.8374, -3.4408),
    "63.72.04.1004": ("Sungai Ulin", 114.8782, -3.4558),
    "63.72.05.1001": ("Sungai Besar", 114.8469, -3.4565),
    "63.72.05.1002": ("Loktabat Selatan", 114.8174, -3.4581),
    "63.72.05.1003": ("Kemuning", 114.8272, -3.4599),
    "63.72.05.1004": ("Guntung Paikat", 114.8356, -3.4535),
    "63.72.06.1001": ("Landasan Ulin Barat", 114.7003, -3.4333),
    "63.72.06.1002": ("Landasan Ulin Tengah", 114.7239, -3.4645),
    "63.72.06.1003": ("Landasan Ulin Utara", 114.7270, -3.4121),
    "63.72.06.1004": ("Landasan Ulin Selatan", 114.6962, -3.4835),
}
KECAMATAN = {
    "63.72.02": ("Landasan Ulin", 92.4),
    "63.72.03": ("Cempaka", 146.7),
    "63.72.04": ("Banjarbaru Utara", 24.4),
    "63.72.05": ("Banjarbaru Selatan", 22.0),
    "63.72.06": ("Liang Anggang", 85.9),
}
SHAPE_KM2 = {  # area of the shipped polygons (data/banjarbaru/kecamatan.geojson), geodesic
    "63.72.02": 74.03,
    "63.72.03": 114.54,
    "63.72.04": 26.83,
    "63.72.05": 15.00,
    "63.72.06": 74.73,
}
VOCABULARY_COLUMNS = [
    ("lamp", "status", vocab.LAMP_STATUS),
    ("lamp", "lamp_type", vocab.LAMP_TYPE),
    ("lamp", "mounting", vocab.MOUNTING),
    ("lamp", "ownership", vocab.OWNERSHIP),
    ("lamp", "power_billing", vocab.POWER_BILLING),
    ("road", "road_class", vocab.ROAD_CLASS),
    ("road", "surface", vocab.ROAD_SURFACE),
    ("plot", "status", vocab.PLOT_STATUS),
    ("access_road", "condition", vocab.ROAD_CONDITION),
    ("prayer_room", "status", vocab.PRAYER_ROOM_STATUS),
    ("lamp_event", "source", vocab.EVENT_SOURCE),
    ("service_request", "status", vocab.REQUEST_STATUS),
    ("service_request", "work_state", vocab.WORK_STATE),
    ("service_request", "resolution", vocab.RESOLUTION),
]


def _one(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def _rows(engine: Engine, sql: str) -> list:
    with engine.connect() as connection:
        return connection.execute(text(sql)).all()


def test_exactly_14000_lamps_each_on_a_road_and_in_a_kelurahan(seeded_engine: Engine) -> None:
    """14,000 lamps, each within 5 m of its road, in a kelurahan of the kecamatan in its code."""
    row = _rows(
        seeded_engine,
        """
        SELECT count(*), count(road_id), count(kelurahan_id), count(DISTINCT l.code),
               max(ST_Distance(l.geom::geography, r.geom::geography)),
               count(*) FILTER (WHERE substr(l.code, 5, 8) <> c.code)
        FROM lamp l
        LEFT JOIN road r ON r.id = l.road_id
        LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
        LEFT JOIN kecamatan c ON c.id = k.kecamatan_id
    """,
    )[0]
    total, with_road, with_kelurahan, codes, farthest, wrong_kecamatan = row
    assert (total, with_road, with_kelurahan, codes) == (14_000, 14_000, 14_000, 14_000)
    assert farthest < 5.0
    assert wrong_kecamatan == 0
    codes = [r[0] for r in _rows(seeded_engine, "SELECT code FROM lamp ORDER BY id LIMIT 50")]
    assert all(re.fullmatch(r"PJU-63\.72\.0[2-6]-\d{5}", code) for code in codes)


def test_every_vocabulary_value_is_present(seeded_engine: Engine) -> None:
    """Each vocabulary column uses every one of its values, so every map legend has data."""
    for table, column, vocabulary in VOCABULARY_COLUMNS:
        found = {r[0] for r in _rows(seeded_engine, f"SELECT DISTINCT {column} FROM {table}")}
        assert found - {None} == set(vocabulary), (table, column)


def test_the_real_kecamatan_and_kelurahan(seeded_engine: Engine) -> None:
    """The 5 kecamatan and 20 kelurahan of SPEC §4, valid, around their centroids, sized right."""
    kecamatan = _rows(
        seeded_engine,
        """
        SELECT code, name, official_area_km2, ST_Area(geom::geography) / 1e6, ST_IsValid(geom),
               ST_Area(ST_SymDifference(geom, (SELECT ST_Union(k.geom) FROM kelurahan k
                                               WHERE k.kecamatan_id = c.id))::geography)
        FROM kecamatan c ORDER BY code
    """,
    )
    assert {r.code: r.name for r in kecamatan} == {c: v[0] for c, v in KECAMATAN.items()}
    for code, _, official, area, valid, difference in kecamatan:
        assert valid and difference < 50.0, code  # m²: the kecamatan is its kelurahan together
        assert official == KECAMATAN[code][1]
        assert abs(area - SHAPE_KM2[code]) < 0.05, (code, area)
    kelurahan = _rows(
        seeded_engine,
        """
        SELECT k.code, k.name, c.code AS kecamatan, ST_IsValid(k.geom), k.geom
        FROM kelurahan k JOIN kecamatan c ON c.id = k.kecamatan_id ORDER BY k.code
    """,
    )
    assert {r.code: r.name for r in kelurahan} == {c: v[0] for c, v in KELURAHAN.items()}
    assert all(r.code.startswith(r.kecamatan + ".") and r[3] for r in kelurahan)
    overlap = _one(
        seeded_engine,
        """
        SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
        FROM kelurahan a JOIN kelurahan b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
    """,
    )
    # m²: neighbours share borders, they do not overlap; what remains is the floating-point
    # shadow of vertices rounded to 1e-6° lying on a neighbour's edge (sub-decimetre slivers).
    assert overlap < 20.0
    with seeded_engine.connect() as connection:
        for code, (_, lon, lat) in KELURAHAN.items():
            inside = connection.execute(
                text(
                    "SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) "
                    "FROM kelurahan WHERE code = :code"
                ),
                {"lon": lon, "lat": lat, "code": code},
            )
            assert inside.scalar_one(), code
    extent = _rows(
        seeded_engine,
        """
        SELECT ST_XMin(e), ST_XMax(e), ST_YMin(e), ST_YMax(e),
               ST_Area(ST_Transform(u, 32750)) / 1e6
        FROM (SELECT ST_Union(geom) AS u, ST_Extent(geom)::geometry AS e FROM kecamatan) s
    """,
    )[0]
    assert extent[0] >= 114.674 and extent[1] <= 114.909
    assert extent[2] >= -3.570 and extent[3] <= -3.376
    assert 300 < extent[4] < 310  # the Kemendagri 2022 polygons measure 305 km² together


def test_jalan_a_yani_is_the_arterial_and_roads_are_sound(seeded_engine: Engine) -> None:
    """Jl. Jenderal A. Yani is the arterial past the airport; every road is valid, coded, inside."""
    yani = _rows(
        seeded_engine,
        """
        SELECT road_class, ST_Length(geom::geography),
               ST_Distance(geom::geography,
                           ST_SetSRID(ST_MakePoint(114.763, -3.442), 4326)::geography)
        FROM road WHERE name = 'Jl. Jenderal A. Yani'
    """,
    )
    assert yani and {r[0] for r in yani} == {"arteri"}
    assert sum(r[1] for r in yani) > 15_000
    assert min(r[2] for r in yani) < 600
    bad = _one(
        seeded_engine,
        """
        SELECT count(*) FROM road
        WHERE NOT ST_IsValid(geom) OR GeometryType(geom) <> 'LINESTRING'
           OR code !~ '^JLN-[0-9]{4,}$'
           OR NOT ST_CoveredBy(geom, (SELECT ST_Union(geom) FROM kecamatan))
    """,
    )
    assert bad == 0
    density = _rows(
        seeded_engine,
        """
        SELECT c.name, sum(ST_Length(ST_Intersection(r.geom, c.geom)::geography))
                       / (ST_Area(c.geom::geography) / 1e6) AS m_per_km2
        FROM kecamatan c JOIN road r ON ST_Intersects(r.geom, c.geom)
        GROUP BY c.id ORDER BY m_per_km2 DESC
    """,
    )
    assert {density[0][0], density[1][0]} == {"Banjarbaru Utara", "Banjarbaru Selatan"}


def test_status_comes_from_history(seeded_engine: Engine) -> None:
    """Each lamp's status is its newest event's; history runs 2023-2024 with a realistic mix."""
    mismatched = _one(
        seeded_engine,
        """
        SELECT count(*) FROM lamp l
        WHERE l.status <> (SELECT e.to_status FROM lamp_event e WHERE e.lamp_id = l.id
                           ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)
    """,
    )
    assert mismatched == 0
    first_sources = {
        r[0]
        for r in _rows(
            seeded_engine,
            """
        SELECT DISTINCT ON (lamp_id) source FROM lamp_event ORDER BY lamp_id, occurred_at, id
    """,
        )
    }
    assert first_sources <= {"system", "import"}
    years = {
        r[0]
        for r in _rows(
            seeded_engine,
            """
        SELECT DISTINCT extract(year FROM occurred_at AT TIME ZONE 'Asia/Makassar')::int
        FROM lamp_event WHERE to_status IN ('out', 'damaged')
        UNION
        SELECT DISTINCT extract(year FROM requested_at AT TIME ZONE 'Asia/Makassar')::int
        FROM service_request
    """,
        )
    }
    assert years == {2023, 2024}
    share = dict(
        _rows(
            seeded_engine,
            """
        SELECT status, count(*) / 14000.0 FROM lamp GROUP BY status
    """,
        )
    )
    assert share["working"] > 0.9
    assert 0.01 < share["out"] + share["damaged"] < 0.06
    assert (
        _one(
            seeded_engine,
            "SELECT count(*) FROM lamp_event WHERE idempotency_key NOT LIKE 'seed-42-PJU-%'",
        )
        == 0
    )


def test_service_requests_are_consistent_work_orders(seeded_engine: Engine) -> None:
    """Requests have a 72 h due time, consistent states, lie near their lamp, link to events."""
    broken = _one(
        seeded_engine,
        """
        SELECT count(*) FROM service_request s LEFT JOIN lamp l ON l.id = s.lamp_id
        WHERE s.due_at <> s.requested_at + interval '72 hours'
           OR (s.status = 'closed') <> (s.closed_at IS NOT NULL)
           OR (s.status = 'closed') <> (s.work_state = 'closed')
           OR (s.status = 'closed' AND s.resolution IS NULL)
           OR (s.resolved_at IS NULL) <> (s.work_state NOT IN ('resolved', 'closed'))
           OR s.description IS NULL OR s.agency_responsible IS NULL
           OR (s.service_code LIKE 'streetlight%') <> (s.lamp_id IS NOT NULL)
           OR ST_Distance(s.geom::geography, l.geom::geography) > 50
           OR s.lon <> ST_X(s.geom) OR s.lat <> ST_Y(s.geom)
    """,
    )
    assert broken == 0
    linked, in_sla, repairs = _rows(
        seeded_engine,
        """
        SELECT (SELECT count(DISTINCT service_request_id) FROM lamp_event),
               count(*) FILTER (WHERE resolved_at <= due_at), count(*)
        FROM service_request WHERE resolution = 'fixed'
    """,
    )[0]
    assert linked > 1000
    assert 0.6 < in_sla / repairs < 0.95


def test_cemeteries_blocks_plots_and_musala(seeded_engine: Engine) -> None:
    """≥ 10 TPU with coded blocks and plots, burials, reachable gates, and musala to plan for."""
    tpu = _rows(
        seeded_engine,
        """
        SELECT c.code, c.kind, c.capacity, count(p.id) AS plots,
               count(p.id) FILTER (WHERE p.status = 'available') AS available,
               ST_Distance(c.gate_geom::geography, ST_Boundary(c.geom)::geography) AS gate_off
        FROM cemetery c JOIN cemetery_block b ON b.cemetery_id = c.id
        JOIN plot p ON p.block_id = b.id GROUP BY c.id ORDER BY c.code
    """,
    )
    assert len(tpu) >= 10
    assert {"muslim", "christian", "general"} <= {r.kind for r in tpu}
    assert all(r.capacity == r.plots and r.gate_off < 0.5 for r in tpu)
    bad_codes = _one(
        seeded_engine,
        """
        SELECT count(*) FROM plot p JOIN cemetery_block b ON b.id = p.block_id
        JOIN cemetery c ON c.id = b.cemetery_id
        WHERE p.code !~ '^TPU-[0-9]{2}-[A-Z]+-[0-9]{2}-[0-9]{2}$'
           OR b.code <> c.code || '-' || split_part(p.code, '-', 3)
           OR NOT ST_CoveredBy(p.geom, b.geom) OR NOT ST_CoveredBy(b.geom, c.geom)
    """,
    )
    assert bad_codes == 0
    assert _one(seeded_engine, "SELECT count(*) FROM plot WHERE status = 'occupied'") == _one(
        seeded_engine, "SELECT count(DISTINCT plot_id) FROM interment"
    )
    years_left = dict(
        _rows(
            seeded_engine,
            """
        SELECT c.code, count(*) FILTER (WHERE p.status = 'available')
               / greatest((SELECT count(*) FROM interment i JOIN plot q ON q.id = i.plot_id
                          JOIN cemetery_block d ON d.id = q.block_id
                          WHERE d.cemetery_id = c.id AND i.buried_on >= '2020-01-01') / 5.0, 1)
        FROM cemetery c JOIN cemetery_block b ON b.cemetery_id = c.id
        JOIN plot p ON p.block_id = b.id GROUP BY c.id
    """,
        )
    )
    assert min(years_left.values()) < 5 < max(years_left.values())
    access = _rows(
        seeded_engine,
        """
        SELECT a.condition, a.improvement_cost_idr, a.planned_improvement,
               ST_Distance(ST_StartPoint(a.geom)::geography, c.gate_geom::geography),
               ST_Distance(ST_EndPoint(a.geom)::geography, r.geom::geography)
        FROM access_road a JOIN cemetery c ON c.id = a.cemetery_id JOIN road r ON r.id = a.road_id
    """,
    )
    assert len(access) == len(tpu)
    for condition, cost, plan, gate_gap, road_gap in access:
        assert gate_gap < 0.5 and road_gap < 0.5
        assert (cost is not None and plan is not None) == (condition in ("poor", "impassable"))
    far = _one(
        seeded_engine,
        """
        SELECT count(*) FROM cemetery c
        WHERE NOT EXISTS (SELECT 1 FROM prayer_room m WHERE m.status = 'existing'
                          AND ST_DWithin(m.geom::geography, c.gate_geom::geography, 500))
    """,
    )
    assert far >= 2
    with_tpu, without_tpu = _rows(
        seeded_engine,
        """
        SELECT count(cemetery_id), count(*) - count(cemetery_id) FROM prayer_room
    """,
    )[0]
    assert with_tpu > 0 and without_tpu > 0


def test_boundaries_are_the_shipped_official_files(seeded_engine: Engine) -> None:
    """Every stored kecamatan and kelurahan polygon is exactly the one in data/banjarbaru/."""
    for table in ("kecamatan", "kelurahan"):
        with (INPUT_DIR / f"{table}.geojson").open(encoding="utf-8") as handle:
            shipped = {
                f["properties"]["code"]: (f["properties"]["name"], shape(f["geometry"]))
                for f in json.load(handle)["features"]
            }
        stored = {
            code: (name, shapely.from_wkb(bytes(wkb)))
            for code, name, wkb in _rows(
                seeded_engine, f"SELECT code, name, ST_AsBinary(geom) FROM {table}"
            )
        }
        assert stored.keys() == shipped.keys()
        for code, (name, geometry) in stored.items():
            assert name == shipped[code][0]
            assert shapely.equals_exact(geometry, shipped[code][1], tolerance=1e-12), code


def test_every_seeded_feature_lies_in_the_kelurahan_it_names(seeded_engine: Engine) -> None:
    """Lamps, roads, TPU (whole outline), musala and requests all lie in their real kelurahan."""
    outside = _rows(
        seeded_engine,
        """
        WITH city AS (SELECT ST_Union(geom) AS geom FROM kelurahan)
        SELECT 'lamp', l.code FROM lamp l
        LEFT JOIN kelurahan k ON k.id = l.kelurahan_id
        LEFT JOIN kecamatan c ON c.id = k.kecamatan_id
        WHERE k.id IS NULL OR NOT ST_Within(l.geom, k.geom) OR NOT ST_Within(l.geom, c.geom)
           OR substr(l.code, 5, 8) <> c.code
        UNION ALL
        SELECT 'road', r.code FROM road r, city
        WHERE NOT ST_CoveredBy(r.geom, city.geom)
        UNION ALL
        SELECT 'cemetery', t.code FROM cemetery t
        WHERE NOT EXISTS (SELECT 1 FROM kelurahan k JOIN kecamatan c ON c.id = k.kecamatan_id
                          WHERE ST_Within(t.geom, k.geom) AND ST_Covers(k.geom, t.gate_geom)
                            AND ST_Within(t.geom, c.geom)
                            AND t.address LIKE '%, ' || k.name || ', Banjarbaru')
        UNION ALL
        SELECT 'access road', a.code FROM access_road a, city
        WHERE NOT ST_CoveredBy(a.geom, city.geom)
        UNION ALL
        SELECT 'musala', m.code FROM prayer_room m, city
        WHERE NOT ST_Within(m.geom, city.geom)
           OR (m.cemetery_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM kelurahan k JOIN cemetery t ON t.id = m.cemetery_id
               WHERE ST_Within(m.geom, k.geom) AND ST_Within(t.geom, k.geom)))
        UNION ALL
        SELECT 'request', s.id::text FROM service_request s
        JOIN lamp l ON l.id = s.lamp_id JOIN kelurahan k ON k.id = l.kelurahan_id
        WHERE s.address_string NOT LIKE '%, ' || k.name || ', Banjarbaru'
           OR NOT ST_Within(s.geom, (SELECT geom FROM city))
    """,
    )
    assert outside == []
