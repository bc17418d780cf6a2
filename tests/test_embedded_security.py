"""The embedded cluster lets in only the app, with its password, and never as superuser."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from geo_assets.embedded import EmbeddedCluster, find_pg_bindir
from geo_assets.embedded_access import RETIRED_SUPERUSER
from tests.databases import free_port


def _scratch_root(prefix: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)  # as root, the server runs as `postgres` and must reach the folder
    return root


@pytest.fixture(scope="module")
def city_cluster() -> Iterator[EmbeddedCluster]:
    """A cluster set up as `geo-assets db start` sets one up (no test allowances)."""
    root = _scratch_root("geo-assets-locked-")
    cluster = EmbeddedCluster(root / "pg", free_port(), find_pg_bindir(), db_name="city")
    cluster.start()
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


def _tcp(cluster: EmbeddedCluster, **kwargs: object) -> psycopg.Connection:
    """Connect over TCP, ignoring any PGPASSFILE the test run set."""
    options: dict = {"host": "127.0.0.1", "port": cluster.port, "dbname": cluster.db_name}
    return psycopg.connect(**{**options, "passfile": os.devnull, **kwargs}, connect_timeout=10)


def _psql_as_other_user(cluster: EmbeddedCluster, *args: str) -> subprocess.CompletedProcess:
    """Run psql without any password, as `nobody` when root (else as this user)."""
    psql = [str(cluster.bindir / "psql"), "-w", "-X", "-c", "SELECT 1", *args]
    prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    env = {"PATH": os.environ["PATH"], "PGPASSFILE": os.devnull, "PGCONNECT_TIMEOUT": "10"}
    return subprocess.run(
        [*prefix, *psql], capture_output=True, text=True, env=env, cwd="/", timeout=60
    )


def test_tcp_login_without_the_password_is_refused(city_cluster: EmbeddedCluster) -> None:
    """Over 127.0.0.1 the app role needs its password; a wrong one is refused too."""
    with pytest.raises(psycopg.OperationalError, match="password"):
        _tcp(city_cluster, user="geo_assets")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _tcp(city_cluster, user="geo_assets", password="guess")


def test_other_os_user_gets_in_neither_by_tcp_nor_socket(city_cluster: EmbeddedCluster) -> None:
    """Another local user reaches neither the app role nor the superuser, by TCP or socket."""
    for user in ("geo_assets", "postgres"):
        tcp = _psql_as_other_user(
            city_cluster, "-h", "127.0.0.1", "-p", str(city_cluster.port), "-U", user, "city"
        )
        assert tcp.returncode != 0 and "1 row" not in tcp.stdout, tcp.stdout
    if os.geteuid() == 0:  # only root can be someone else: the socket is this user's own
        socket = _psql_as_other_user(
            city_cluster,
            *("-h", str(city_cluster.socket_dir), "-p", str(city_cluster.port)),
            *("-U", "postgres", "city"),
        )
        assert socket.returncode != 0 and "Permission denied" in socket.stderr, socket.stderr


def test_superuser_is_refused_over_tcp(city_cluster: EmbeddedCluster) -> None:
    """The bootstrap superuser cannot log in over TCP, whatever it sends."""
    with pytest.raises(psycopg.OperationalError, match="rejects connection"):
        _tcp(city_cluster, user="postgres", password="anything")


def test_app_role_with_its_password_is_no_superuser(city_cluster: EmbeddedCluster) -> None:
    """With the password file the app gets in, owns its database, and cannot run programs."""
    url = city_cluster.url().replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url, autocommit=True) as conn:
        flags = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'geo_assets'"
        ).fetchone()
        assert flags == (False, False, False)
        owner = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
        assert owner == "geo_assets"
        assert conn.execute(
            "SELECT extname FROM pg_extension WHERE extname = 'postgis'"
        ).fetchone()[0]
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("COPY (SELECT 1) TO PROGRAM 'id'")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("CREATE ROLE intruder SUPERUSER LOGIN")


def test_password_file_is_0600_and_socket_folder_0700(city_cluster: EmbeddedCluster) -> None:
    """The password file is readable by its owner alone; the socket folder is closed."""
    assert stat.S_IMODE(city_cluster.password_file.stat().st_mode) == 0o600
    assert city_cluster.password_file.stat().st_uid == os.geteuid()
    assert stat.S_IMODE(city_cluster.socket_dir.stat().st_mode) == 0o700
    assert (city_cluster.socket_dir / f".s.PGSQL.{city_cluster.port}").is_socket()


def test_long_data_path_puts_a_private_socket_folder_in_tmp() -> None:
    """A data folder too long for a socket path gets a 0700 socket folder of the server's own."""
    root = _scratch_root("geo-assets-long-")
    deep = root / ("x" * 60) / ("y" * 60)
    deep.mkdir(parents=True)
    for folder in (deep.parent, deep):
        folder.chmod(0o755)
    cluster = EmbeddedCluster(deep / "pg", free_port(), find_pg_bindir())
    try:
        cluster.start()
        assert cluster.socket_dir.parent == Path(tempfile.gettempdir())
        assert stat.S_IMODE(cluster.socket_dir.lstat().st_mode) == 0o700
        with cluster.connect_admin(cluster.db_name) as admin:
            assert admin.execute("SELECT current_user").fetchone()[0] == "postgres"
    finally:
        cluster.stop()
        shutil.rmtree(cluster.socket_dir, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


def _old_style_cluster(cluster: EmbeddedCluster) -> None:
    """Make a cluster the way geo-assets did before: trust logins, the app role as superuser."""
    cluster.data_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(cluster.data_dir, "postgres", "postgres")
    cluster.data_dir.chmod(0o700)
    initdb = [str(cluster.bindir / "initdb"), "-D", str(cluster.data_dir), "-U", "geo_assets"]
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *initdb, "--auth=trust"], check=True, capture_output=True, cwd="/")
    options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -c unix_socket_directories=''"
    pg_ctl = [str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data_dir), "-o", options]
    log = ["-l", str(cluster.data_dir / "server.log")]
    subprocess.run([*prefix, *pg_ctl, *log, "-w", "start"], check=True, capture_output=True)
    trust = {"host": "127.0.0.1", "port": cluster.port, "user": "geo_assets"}
    with psycopg.connect(**trust, dbname="postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE city")
    with psycopg.connect(**trust, dbname="city", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
        conn.execute("CREATE TABLE spot (id serial PRIMARY KEY, geom geometry(Point, 4326))")
        conn.execute("CREATE FUNCTION two() RETURNS int LANGUAGE sql AS 'SELECT 2'")
        conn.execute("INSERT INTO spot (geom) VALUES (ST_MakePoint(114.8, -3.4))")


def test_open_cluster_from_an_older_version_is_closed_at_start() -> None:
    """`db start` on an old trust/superuser cluster hands its data to a locked-down app role."""
    root = _scratch_root("geo-assets-upgrade-")
    cluster = EmbeddedCluster(root / "pg", free_port(), find_pg_bindir(), db_name="city")
    try:
        _old_style_cluster(cluster)  # left running, as an older `make run` would
        assert cluster.start() is True
        with pytest.raises(psycopg.OperationalError):
            _tcp(cluster, user="geo_assets")
        url = cluster.url().replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url) as conn:
            conn.execute("INSERT INTO spot (geom) VALUES (ST_MakePoint(114.9, -3.5))")
            assert conn.execute("SELECT count(*), max(two()) FROM spot").fetchone() == (2, 2)
            is_superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = 'geo_assets'"
            assert conn.execute(is_superuser).fetchone()[0] is False
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("COPY (SELECT 1) TO PROGRAM 'id'")
        with cluster.connect_admin() as admin:
            retired = admin.execute(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (RETIRED_SUPERUSER,)
            ).fetchone()
        assert retired == (False,)
        assert cluster.stop() and cluster.start() is True  # and it starts again as usual
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_upgrade_interrupted_after_the_rename_finishes_at_next_start() -> None:
    """An upgrade stopped half-way (old superuser renamed, no app role yet) completes later."""
    root = _scratch_root("geo-assets-upgrade-again-")
    cluster = EmbeddedCluster(root / "pg", free_port(), find_pg_bindir(), db_name="city")
    try:
        _old_style_cluster(cluster)
        trust = {"host": "127.0.0.1", "port": cluster.port, "dbname": "postgres"}
        with psycopg.connect(**trust, user="geo_assets", autocommit=True) as old:
            old.execute("CREATE ROLE postgres SUPERUSER LOGIN")
        with psycopg.connect(**trust, user="postgres", autocommit=True) as admin:
            admin.execute(f"ALTER ROLE geo_assets RENAME TO {RETIRED_SUPERUSER}")
        assert cluster.start() is True
        url = cluster.url().replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*), max(two()) FROM spot").fetchone() == (1, 2)
            owner = "SELECT tableowner FROM pg_tables WHERE tablename = 'spot'"
            assert conn.execute(owner).fetchone() == ("geo_assets",)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
