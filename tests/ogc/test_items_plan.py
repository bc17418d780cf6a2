"""How item pages are read: features built for the page only, a capped count, JIT off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.dialects import postgresql

from geo_assets.database import make_server_engine
from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.features import list_features, page_statement, query_parameters
from geo_assets.inventory.params import ListQuery
from geo_assets.settings import Settings
from tests.factories import add_lamp


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


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


def test_server_connections_run_without_jit(db_url: str) -> None:
    """The web server's connections have JIT compilation turned off."""
    server_engine = make_server_engine(Settings(database_url=db_url))
    try:
        with server_engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        server_engine.dispose()
