"""The read replica: `db start --replica`, reads from it through the API, writes on the primary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from geo_assets import migrate
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.embedded_replica import EmbeddedReplica, replica_from_settings
from geo_assets.settings import Settings
from tests.api.api_helpers import add_users, bearer, build_city
from tests.databases import free_port

CLI = [sys.executable, "-m", "cli.main"]


@dataclass
class Pair:
    """An embedded primary and its streaming replica, started by the CLI."""

    env: dict[str, str]
    primary_url: str
    replica_url: str
    replica: EmbeddedReplica


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env={**clean, **env}
    )


def _start(env: dict[str, str]) -> None:
    started = _cli(env, "db", "start", "--replica")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "GEO_ASSETS_READ_DATABASE_URL" in started.stdout


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    """A migrated primary with the small city and users, and its replica caught up."""
    root = Path(tempfile.mkdtemp(prefix="geo-assets-replica-"))
    root.chmod(0o755)  # as root, the servers run as `postgres` and must reach the folder
    settings = Settings(data_dir=root / "pg", db_port=free_port(), db_replica_port=free_port())
    env = {
        "GEO_ASSETS_DATA_DIR": str(settings.data_dir),
        "GEO_ASSETS_DB_PORT": str(settings.db_port),
        "GEO_ASSETS_DB_REPLICA_PORT": str(settings.db_replica_port),
    }
    replica = replica_from_settings(settings)
    try:
        # The primary is made here without fsync (fast migrations); the CLI copies it.
        primary = replica.source
        EmbeddedCluster(primary.data_dir, primary.port, primary.bindir, durable=False).start()
        engine = make_engine(primary.url())
        migrate.upgrade(engine)
        build_city(engine)
        add_users(engine)
        engine.dispose()
        _start(env)
        yield Pair(env, primary.url(), _cli(env, "db", "url", "--replica").stdout.strip(), replica)
    finally:
        _cli(env, "db", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _client(pair: Pair, max_lag: float = 0) -> TestClient:
    settings = Settings(
        database_url=pair.primary_url,
        read_database_url=pair.replica_url,
        read_max_lag_seconds=max_lag,
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _out_lamp_ids(client: TestClient) -> set[int]:
    page = client.get("/api/v1/lamps", params={"status": "out", "limit": 100})
    assert page.status_code == 200, page.text
    return {feature["id"] for feature in page.json()["features"]}


def _wait_for(condition, seconds: float = 20.0) -> bool:  # noqa: ANN001 - a callable
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_lists_read_from_the_replica_and_writes_go_to_the_primary(pair: Pair) -> None:
    """With replay paused, a new event and sign-in work (primary) but lists lag (replica)."""
    with _client(pair) as client, pair.replica.connect_admin() as replica_admin:
        assert _wait_for(lambda: 1 not in _out_lamp_ids(client) and bool(_out_lamp_ids(client)))
        replica_admin.execute("SELECT pg_wal_replay_pause()")
        try:
            staff = bearer(client, "staff")  # token written on the primary, checked there
            event = client.post("/api/v1/lamps/1/events", json={"to_status": "out"}, headers=staff)
            assert event.status_code == 201, event.text
            with psycopg.connect(pair.primary_url.replace("+psycopg", "")) as primary:
                status = primary.execute("SELECT status FROM lamp WHERE id = 1").fetchone()
            assert status == ("out",)
            time.sleep(0.5)
            assert 1 not in _out_lamp_ids(client)  # the paused replica still answers the list
            assert client.get("/api/v1/lamps/1").json()["properties"]["status"] == "working"
            assert client.get("/api/v1/stats", headers=staff).status_code == 200
        finally:
            replica_admin.execute("SELECT pg_wal_replay_resume()")
        assert _wait_for(lambda: 1 in _out_lamp_ids(client))


def test_reads_fall_back_to_the_primary_while_the_replica_lags(pair: Pair) -> None:
    """Past GEO_ASSETS_READ_MAX_LAG_SECONDS behind, lists come from the primary, then back."""
    with _client(pair, max_lag=1) as client, pair.replica.connect_admin() as replica_admin:
        staff = bearer(client, "staff")
        assert _wait_for(lambda: client.get("/health").json()["replica"]["serves_reads"])
        replica_admin.execute("SELECT pg_wal_replay_pause()")
        try:
            event = client.post("/api/v1/lamps/4/events", json={"to_status": "out"}, headers=staff)
            assert event.status_code == 201, event.text
            assert _wait_for(lambda: 4 in _out_lamp_ids(client))  # read on the primary
            assert client.get("/health").json()["replica"]["serves_reads"] is False
        finally:
            replica_admin.execute("SELECT pg_wal_replay_resume()")
        assert _wait_for(lambda: client.get("/health").json()["replica"]["serves_reads"])


def test_reads_fall_back_to_the_primary_while_the_replica_is_down(pair: Pair) -> None:
    """With the replica stopped, lists still answer (from the primary) and /health says so."""
    with _client(pair, max_lag=30) as client:
        pair.replica.stop()
        try:
            assert _wait_for(lambda: client.get("/api/v1/lamps").status_code == 200, 10)
            assert client.get("/api/v1/lamps/2").json()["properties"]["status"] == "out"
            health = client.get("/health").json()
            assert health["status"] == "degraded" and health["replica"]["reachable"] is False
        finally:
            _start(pair.env)


def test_read_engine_is_a_read_only_standby(pair: Pair) -> None:
    """The app's read engine is on the standby, in read-only sessions; /health reports it."""
    with _client(pair) as client:
        with client.app.state.read_engine.connect() as connection:  # type: ignore[attr-defined]
            row = connection.execute(
                text("SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only')")
            ).one()
        assert tuple(row) == (True, "on")
        replica = client.get("/health").json()["replica"]
    assert replica["configured"] is True and replica["reachable"] is True
    assert replica["standby"] is True and replica["lag_seconds"] >= 0
    plain = Settings(database_url=pair.primary_url)
    with TestClient(create_app(plain)) as client:
        assert client.get("/health").json()["replica"] == {"configured": False}


def test_replication_stays_off_tcp(pair: Pair) -> None:
    """Nobody streams WAL over TCP, and the app role cannot write on the replica."""
    port = pair.replica.source.port
    with pytest.raises(psycopg.OperationalError, match="pg_hba.conf"):
        psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", replication="true"
        )
    with (
        psycopg.connect(pair.replica_url.replace("+psycopg", "")) as replica,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        replica.execute("UPDATE lamp SET wattage = 1")


def test_db_stop_stops_primary_and_replica(pair: Pair) -> None:
    """`db status` shows both servers; `db stop` stops both; `db start --replica` restarts both."""
    status = _cli(pair.env, "db", "status")
    assert status.returncode == 0 and "replica running" in status.stdout, status.stdout
    stopped = _cli(pair.env, "db", "stop")
    assert "replica stopped" in stopped.stdout and "\nstopped" in stopped.stdout, stopped.stdout
    status = _cli(pair.env, "db", "status")
    assert status.returncode == 3 and "replica stopped" in status.stdout
    assert not pair.replica.is_running() and not pair.replica.source.is_running()
    _start(pair.env)
    assert pair.replica.is_running() and pair.replica.lag_seconds() is not None
