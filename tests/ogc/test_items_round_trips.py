"""What one items page costs in round trips: one statement, never planned with parallel workers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from api.dependencies import read_connection
from geo_assets.database import make_server_engine
from geo_assets.inventory.catalog import LAMPS
from geo_assets.inventory.features import list_features
from geo_assets.inventory.params import ListQuery
from geo_assets.settings import Settings
from tests.factories import add_lamp

# Settings under which PostgreSQL plans even a tiny table with parallel workers.
PARALLEL_EAGER = (
    "SET parallel_setup_cost = 0",
    "SET parallel_tuple_cost = 0",
    "SET min_parallel_table_scan_size = 0",
    "SET min_parallel_index_scan_size = 0",
    "SET max_parallel_workers_per_gather = 2",
)


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) SQLAlchemy sends on `engine` meanwhile."""
    sent: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _page(engine: Engine) -> tuple[Connection, list[tuple[str, Any]]]:
    with engine.begin() as conn:
        for n in range(1, 4):
            add_lamp(conn, code=f"PJU-63.72.04-0000{n}", lon=114.83 + n / 1000)
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    for setting in PARALLEL_EAGER:
        conn.execute(text(setting))
    with statements_sent(engine) as sent:
        page = list_features(
            connection=conn, resource=LAMPS, query=ListQuery(bbox=(114.0, -4.0, 116.0, -3.0))
        )
    assert (page.matched, page.returned) == (3, 3)
    return conn, sent


def test_a_page_is_one_statement(engine: Engine) -> None:
    """A page of features is read in one statement: no SET/RESET round trips around it."""
    conn, sent = _page(engine)
    conn.close()
    assert len(sent) == 1, [statement[:60] for statement, _ in sent]


def test_the_page_statement_is_never_planned_parallel(engine: Engine) -> None:
    """The statement a page sends keeps parallel workers off by itself (even where the planner
    would start them for any table), and leaves the connection's own setting alone."""
    conn, sent = _page(engine)
    with conn:
        statement, parameters = sent[-1]
        plan = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars().all()
        setting = conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar_one()
    assert not [line for line in plan if "Gather" in line], "\n".join(plan)
    assert setting == "2"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        # A page looks its features up by id rather than hashing the whole table (data in
        # memory or on SSD).
        ("random_page_cost", "1.1"),
        # JIT compilation added 47-111 ms to a bbox page at 1.4 M lamps.
        ("jit", "off"),
    ],
)
def test_server_connections_plan_for_pages(db_url: str, setting: str, value: str) -> None:
    """The web server's connections run with the planner settings its pages are built for."""
    server_engine = make_server_engine(Settings(database_url=db_url))
    try:
        with server_engine.connect() as conn:
            assert conn.execute(text(f"SHOW {setting}")).scalar_one() == value
    finally:
        server_engine.dispose()


def test_a_page_read_again_is_parsed_once_and_planned_for_its_bbox(db_url: str) -> None:
    """On the server's read connections a page statement run again is prepared (parsed once per
    connection) and still planned for each execution's own values, never by a generic plan."""
    server_engine = make_server_engine(Settings(database_url=db_url, db_pool_size=1))
    boxes = [(114.0, -4.0, 116.0, -3.0), (114.82, -3.45, 114.84, -3.43)]
    try:
        with read_connection(server_engine) as conn:
            for n in range(8):
                query = ListQuery(bbox=boxes[n % 2])
                list_features(connection=conn, resource=LAMPS, query=query)
            plans = conn.execute(
                text(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE '%json_agg%'"
                )
            ).all()
            mode = conn.execute(text("SHOW plan_cache_mode")).scalar_one()
    finally:
        server_engine.dispose()
    assert len(plans) == 1, plans
    generic, custom = plans[0]
    assert generic == 0 and custom >= 2
    assert mode == "force_custom_plan"  # however skewed the boxes, no generic plan later
