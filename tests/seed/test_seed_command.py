"""Seeding: refuses a full database, `replace` rebuilds the same city, the CLI scales it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets.database import make_engine
from geo_assets.errors import NotEmpty
from geo_assets.seed import seed_city

DIGESTS = {
    "kelurahan": "code || encode(ST_AsEWKB(geom), 'hex')",
    "road": "code || name || road_class || surface || encode(ST_AsEWKB(geom), 'hex')",
    "lamp": "code || status || lamp_type || wattage || encode(ST_AsEWKB(geom), 'hex')",
    "lamp_event": "idempotency_key || to_status || coalesce(from_status, '') || occurred_at",
    "service_request": "id || service_code || status || work_state || requested_at",
    "plot": "code || status || encode(ST_AsEWKB(geom), 'hex')",
    "interment": "plot_id || deceased_name || buried_on",
    "prayer_room": "code || status || encode(ST_AsEWKB(geom), 'hex')",
}


def _digest(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {
            table: connection.execute(
                text(f"SELECT md5(string_agg({expression}, ',' ORDER BY id)) FROM {table}")
            ).scalar_one()
            for table, expression in DIGESTS.items()
        }


@contextmanager
def _copy_of(cluster, template: str) -> Iterator[Engine]:  # noqa: ANN001 - the cluster fixture
    """An engine on a throwaway copy of `template`."""
    name = f"seed_copy_{os.getpid()}"
    admin = psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="geo_assets", dbname="postgres", autocommit=True
    )
    with admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    engine = make_engine(cluster.url(name))
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(
            host="127.0.0.1",
            port=cluster.port,
            user="geo_assets",
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_full_database_is_refused_and_replace_rebuilds_the_same_city(
    cluster, seeded_template: str, seeded_engine: Engine
) -> None:
    """Seeding a full database names --replace and changes nothing; replace gives equal rows."""
    before = _digest(seeded_engine)
    with pytest.raises(NotEmpty, match="--replace"):
        seed_city(seeded_engine)
    assert _digest(seeded_engine) == before
    summary = seed_city(seeded_engine, replace=True)
    assert summary.lamps == 14_000
    with _copy_of(cluster, seeded_template) as other:
        assert _digest(seeded_engine) == _digest(other)  # two seeded databases, same seed
    with seeded_engine.connect() as connection:
        audit = connection.execute(
            text("SELECT action, actor, count(*) FROM audit_log GROUP BY 1, 2")
        ).all()
    assert ("bulk", "seed", 2) in audit
    assert not [row for row in audit if row[0] != "bulk"]


def test_cli_seeds_twice_the_lamps_at_scale_2_and_refuses_a_second_run(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`seed --scale 2` gives 28,000 lamps with history as at scale 1; again asks for --replace;
    `--if-empty` does nothing."""
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", db_url)
    runner = CliRunner()
    result = runner.invoke(app, ["seed", "--scale", "2", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "28,000" in result.output
    with engine.connect() as connection:
        lamps, codes, orphans = connection.execute(
            text("SELECT count(*), count(DISTINCT code), count(*) - count(kelurahan_id) FROM lamp")
        ).one()
    assert (lamps, codes, orphans) == (28_000, 28_000, 0)
    with engine.connect() as connection:
        events, without_history, requests = connection.execute(
            text("""
            SELECT (SELECT count(*) FROM lamp_event),
                   (SELECT count(*) FROM lamp l
                    WHERE NOT EXISTS (SELECT FROM lamp_event e WHERE e.lamp_id = l.id)),
                   (SELECT count(*) FROM service_request)
        """)
        ).one()
    assert without_history == 0
    assert 2.0 < events / lamps < 2.7  # 2.33 at scale 1
    assert 2 * 4_000 < requests < 2 * 5_000  # 4,460 at scale 1
    again = runner.invoke(app, ["seed"])
    assert again.exit_code == 1
    assert "--replace" in again.output
    quiet = runner.invoke(app, ["seed", "--if-empty"])  # what `make run` does on every start
    assert quiet.exit_code == 0 and "not seeding" in quiet.output
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM lamp")).scalar_one() == 28_000
