"""The embedded PostGIS cluster: start, stop, restart with data kept, clear errors."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from geo_assets.embedded import EmbeddedCluster, check_postgis_installed, find_pg_bindir
from geo_assets.errors import EmbeddedClusterError
from tests.databases import free_port


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A folder the `postgres` user can reach (the cluster runs as that user under root)."""
    root = Path(tempfile.mkdtemp(prefix="geo-assets-embedded-"))
    root.chmod(0o755)
    yield root
    cluster = EmbeddedCluster(root / "pg", 1, find_pg_bindir())
    cluster.stop()


def test_restart_keeps_data(scratch: Path) -> None:
    """Data written before a stop is there after the next start, with PostGIS enabled."""
    cluster = EmbeddedCluster(scratch / "pg", free_port(), find_pg_bindir(), db_name="city")
    assert cluster.start() is True
    assert cluster.start() is False  # already running
    conninfo = cluster.url("city").replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(conninfo) as conn:
        conn.execute("CREATE TABLE kept (geom geometry(Point, 4326))")
        conn.execute("INSERT INTO kept VALUES (ST_SetSRID(ST_MakePoint(114.83, -3.44), 4326))")
    assert cluster.stop() is True
    assert "stopped" in cluster.status()
    cluster.start()
    with psycopg.connect(conninfo) as conn:
        assert conn.execute("SELECT ST_AsText(geom) FROM kept").fetchone() == (
            "POINT(114.83 -3.44)",
        )
    cluster.stop()


def test_runs_server_as_postgres_when_root(scratch: Path) -> None:
    """As root the data folder belongs to the `postgres` user and has mode 700."""
    cluster = EmbeddedCluster(scratch / "pg", free_port(), find_pg_bindir())
    cluster.start()
    info = (scratch / "pg").stat()
    cluster.stop()
    assert stat.S_IMODE(info.st_mode) == 0o700
    if os.geteuid() == 0:
        import pwd

        assert pwd.getpwuid(info.st_uid).pw_name == "postgres"


def test_busy_port_names_port_and_how_to_choose(scratch: Path) -> None:
    """Starting on a port another program holds says which port and how to pick another."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        cluster = EmbeddedCluster(scratch / "pg", port, find_pg_bindir())
        with pytest.raises(EmbeddedClusterError) as caught:
            cluster.start()
    message = str(caught.value)
    assert f"Port {port}" in message and "GEO_ASSETS_DB_PORT" in message


def test_missing_postgis_names_the_apt_package(tmp_path: Path) -> None:
    """A server without PostGIS is refused with the package that provides it."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (tmp_path / "share" / "extension").mkdir(parents=True)
    fake_pg_config = bindir / "pg_config"
    fake_pg_config.write_text(f"#!/bin/sh\necho {tmp_path / 'share'}\n")
    fake_pg_config.chmod(0o755)
    (bindir / "postgres").write_text("#!/bin/sh\necho 'postgres (PostgreSQL) 15.18'\n")
    (bindir / "postgres").chmod(0o755)
    with pytest.raises(EmbeddedClusterError, match="apt-get install postgresql-15-postgis-3"):
        check_postgis_installed(bindir)
