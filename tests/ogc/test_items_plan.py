"""How item pages are read: features built for the page only, a bbox page read in id order from
its index, a capped count, JIT off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.dialects import postgresql

from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.features import list_features, page_statement, query_parameters
from geo_assets.inventory.params import ListQuery
from tests.factories import add_lamp

# Lamps numbered as the seed numbers them, kecamatan after kecamatan: the first WEST in the west
# of the city, the last EAST in a small area in the east (on a 97 x 89 grid, 11 m apart).
WEST, EAST = 3_000, 2_000
CLUSTERED_LAMPS = """
INSERT INTO lamp (code, lamp_type, wattage, pole_height_m, geom)
SELECT 'PJU-63.72.04-' || lpad(n::text, 5, '0'), 'led', 60, 9,
       ST_SetSRID(ST_MakePoint(CASE WHEN n <= :west THEN 114.70 ELSE 114.85 END
                               + (n % 97) * 0.0001, -3.45 + (n % 89) * 0.0001), 4326)
FROM generate_series(1, :total) AS n
"""
EAST_BOX = (114.849, -3.451, 114.861, -3.44)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _analyzed_plan(conn: Connection, query: ListQuery) -> dict[str, Any]:
    statement = page_statement(LAMPS, query, privileged=False)
    compiled = statement.compile(dialect=postgresql.dialect())
    raw = conn.exec_driver_sql(
        f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}",
        {**compiled.params, **query_parameters(query)},
    ).scalar_one()
    return (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]


def _rows_read(node: dict[str, Any]) -> int:
    """Rows a plan node's scans produced or threw away."""
    return sum(
        n["Actual Rows"] * n["Actual Loops"] + n.get("Rows Removed by Filter", 0)
        for n in _nodes(node)
        if "Scan" in n["Node Type"]
    )


def test_bbox_page_reads_only_its_own_lamps(engine: Engine) -> None:
    """A bbox page of lamps numbered after the rest reads about its own rows, not all before it."""
    with engine.begin() as conn:
        conn.execute(text(CLUSTERED_LAMPS), {"west": WEST, "total": WEST + EAST})
        conn.execute(text("ANALYZE lamp"))
    with engine.connect() as conn:
        for offset in (0, EAST - 15):
            query = ListQuery(bbox=EAST_BOX, limit=10, offset=offset)
            (limit,) = [n for n in _nodes(_analyzed_plan(conn, query)) if n["Node Type"] == "Limit"]
            assert not [n for n in _nodes(limit) if "Sort" in n["Node Type"]], limit
            assert _rows_read(limit) <= offset + 10 + 5, limit
            page = list_features(connection=conn, resource=LAMPS, query=query)
            ids = [feature["id"] for feature in json.loads(page.features)]
            assert ids == list(range(WEST + offset + 1, WEST + offset + 11))
            assert (page.matched, page.returned) == (EAST, 10)


def test_capped_count_of_a_bbox_counts_what_st_intersects_finds(engine: Engine) -> None:
    """Lamps on a bbox's edges are counted, lamps a hair outside are not, as ST_Intersects says."""
    x0, y0, x1, y1 = 114.8, -3.45, 114.81, -3.44
    hair = 1e-9  # far below the float4 boxes of the GiST index: only the exact test tells
    points = [(x0, y0), (x1, y1), (x0, -3.445), (114.805, y1), (114.805, -3.445)]
    points += [(x0 - hair, -3.445), (x1 + hair, -3.445), (114.805, y0 - hair), (114.805, y1 + hair)]
    with engine.begin() as conn:
        for n, (lon, lat) in enumerate(points, start=1):
            add_lamp(conn, code=f"PJU-63.72.04-{n:05d}", lon=lon, lat=lat)
    with engine.connect() as conn:
        for cap in (None, 100):
            query = ListQuery(bbox=(x0, y0, x1, y1), limit=2, count_cap=cap)
            page = list_features(connection=conn, resource=LAMPS, query=query)
            assert (page.matched, page.returned) == (5, 2), cap


def test_page_builds_features_only_for_the_rows_it_returns(engine: Engine) -> None:
    """No JSON is built under the page's LIMIT/OFFSET: skipped rows cost no feature."""
    query = ListQuery(bbox=(114.0, -4.0, 116.0, -3.0), limit=100, offset=700_000)
    statement = page_statement(LAMPS, query, privileged=False)
    compiled = statement.compile(dialect=postgresql.dialect())
    with engine.connect() as conn:
        raw = conn.exec_driver_sql(
            f"EXPLAIN (VERBOSE, FORMAT JSON) {compiled}",
            {**compiled.params, **query_parameters(query)},
        ).scalar_one()
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    limits = [node for node in _nodes(plan) if node["Node Type"] == "Limit"]
    assert limits
    for limit in limits:
        assert "json_build_object" not in json.dumps(limit), limit.get("Output")


def test_count_cap_leaves_matched_out_above_it(engine: Engine) -> None:
    """numberMatched is exact up to the cap, None above it but on the last page."""
    with engine.begin() as conn:
        for n in range(1, 4):
            add_lamp(conn, code=f"PJU-63.72.04-0000{n}", lon=114.83 + n / 1000)
    with engine.connect() as conn:
        exact = list_features(connection=conn, resource=LAMPS, query=ListQuery(count_cap=3))
        over = list_features(connection=conn, resource=LAMPS, query=ListQuery(limit=2, count_cap=2))
        last = ListQuery(limit=2, offset=2, count_cap=2)
        tail = list_features(connection=conn, resource=LAMPS, query=last)
    assert (exact.matched, exact.returned) == (3, 3)
    assert (over.matched, over.returned) == (None, 2)
    assert (tail.matched, tail.returned) == (3, 1)  # the last page knows the total uncounted
    assert len(json.loads(over.features)) == 2
