"""The embedded PostGIS cluster: a private PostgreSQL server in a data folder the app owns.

PostgreSQL refuses to run as root, so as root every server command runs as the `postgres`
system user (`runuser`), and the data folder is handed to that user. Who may log in, and how,
is in `geo_assets.embedded_access`: a password over TCP, the superuser on the socket only.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import psycopg

from geo_assets import embedded_access as access
from geo_assets.errors import EmbeddedClusterError

SERVER_USER = "postgres"
# A socket's path (folder + "/.s.PGSQL.<port>") must fit in sun_path: 108 bytes with its NUL.
UNIX_SOCKET_PATH_LIMIT = 107
POSTGIS_PACKAGE = "postgresql-{major}-postgis-3"


def find_pg_bindir(configured: Path | None = None) -> Path:
    """Folder of the PostgreSQL server binaries (initdb, pg_ctl, postgres)."""
    candidates: list[Path] = []
    if configured:
        candidates.append(Path(configured))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise EmbeddedClusterError(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with "
        "'apt-get install postgresql-15 postgresql-15-postgis-3', or set GEO_ASSETS_PG_BINDIR."
    )


def server_major_version(bindir: Path) -> str:
    """Major version of the server in `bindir`, e.g. '15'."""
    out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True)
    return out.stdout.split()[-1].split(".")[0] if out.returncode == 0 else "15"


def check_postgis_installed(bindir: Path) -> None:
    """Fail with the apt package to install when PostGIS is missing for this server."""
    out = subprocess.run([str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True)
    sharedir = Path(out.stdout.strip()) if out.returncode == 0 else Path("/usr/share/postgresql")
    if not (sharedir / "extension" / "postgis.control").exists():
        package = POSTGIS_PACKAGE.format(major=server_major_version(bindir))
        raise EmbeddedClusterError(
            f"PostGIS is not installed for the PostgreSQL server in {bindir}. "
            f"Install it with: apt-get install {package}"
        )


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@dataclass
class EmbeddedCluster:
    """A PostgreSQL cluster in `data_dir`, listening on 127.0.0.1:`port` and a socket inside it."""

    data_dir: Path
    port: int
    bindir: Path
    db_name: str = "geo_assets"
    durable: bool = True
    # Test clusters only: lets the app role clone and drop the per-test databases itself.
    app_can_create_databases: bool = False

    @property
    def as_root(self) -> bool:
        """True when this process is root, so the server must run as the `postgres` user."""
        return os.geteuid() == 0

    @property
    def log_file(self) -> Path:
        """The server's log, inside the data folder."""
        return self.data_dir / "server.log"

    @property
    def password_file(self) -> Path:
        """The app role's password, in pgpass format, mode 0600, owned by whoever started it."""
        return self.data_dir / access.PASSWORD_FILE

    @property
    def socket_dir(self) -> Path:
        """Folder of the server's Unix socket (mode 0700): the data folder when the path fits."""
        if len(f"{self.data_dir}/.s.PGSQL.{self.port}") <= UNIX_SOCKET_PATH_LIMIT:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"geo-assets-pg-{digest}"

    def url(self, database: str | None = None) -> str:
        """SQLAlchemy URL of a database in this cluster, as the app role with its password."""
        password = access.read_password(self.password_file)
        return (
            f"postgresql+psycopg://{access.APP_ROLE}:{password}@127.0.0.1:{self.port}/"
            f"{database or self.db_name}"
        )

    def connect_admin(self, database: str = "postgres", **kwargs: object) -> psycopg.Connection:
        """An autocommit connection as the bootstrap superuser, over the Unix socket."""
        options: dict = {
            "host": str(self.socket_dir),
            "port": self.port,
            "user": access.BOOTSTRAP_SUPERUSER,
            "dbname": database,
        }
        return psycopg.connect(**{**options, **kwargs}, autocommit=True)

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["runuser", "-u", SERVER_USER, "--", *args] if self.as_root else args
        result = subprocess.run(command, capture_output=True, text=True, cwd="/")
        if check and result.returncode != 0:
            message = (result.stderr or result.stdout).strip()
            raise EmbeddedClusterError(f"{Path(args[0]).name} failed: {message}")
        return result

    def is_initialised(self) -> bool:
        """True when the data folder holds a cluster."""
        return (self.data_dir / "PG_VERSION").exists()

    def is_running(self) -> bool:
        """True when the server of this data folder is up."""
        if not self.is_initialised():
            return False
        result = self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "status"], False)
        return result.returncode == 0

    def init(self) -> None:
        """Create the cluster (initdb) when the data folder holds none."""
        if self.is_initialised():
            return
        check_postgis_installed(self.bindir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.data_dir, SERVER_USER, SERVER_USER)
            if self._run(["test", "-w", str(self.data_dir)], check=False).returncode != 0:
                raise EmbeddedClusterError(
                    f"The data folder {self.data_dir} is not reachable by the '{SERVER_USER}' "
                    "user that runs PostgreSQL as root (a parent folder is closed to it). "
                    "Choose another folder with GEO_ASSETS_DATA_DIR, e.g. /var/lib/geo-assets."
                )
        self.data_dir.chmod(0o700)
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                access.BOOTSTRAP_SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        access.write_hba(self.data_dir)

    def _server_options(self) -> str:
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-p {self.port}",
            f"-c unix_socket_directories='{self.socket_dir}'",
            "-c unix_socket_permissions=0700",
            "-c password_encryption=scram-sha-256",
        ]
        if not self.durable:
            # Throwaway test clusters: crash safety is not worth the disk flushes.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        return " ".join(options)

    def _prepare_socket_dir(self) -> None:
        """Make the socket folder outside the data folder (long paths): 0700, the server's own."""
        folder = self.socket_dir
        if folder == self.data_dir:
            return
        owner = pwd.getpwnam(SERVER_USER).pw_uid if self.as_root else os.geteuid()
        try:
            folder.mkdir(mode=0o700)
            if self.as_root:
                os.chown(folder, owner, -1)
        except FileExistsError:
            pass
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != owner:
            raise EmbeddedClusterError(
                f"The socket folder {folder} exists but does not belong to the database server's "
                "user; remove it, or choose a shorter GEO_ASSETS_DATA_DIR."
            )
        folder.chmod(0o700)

    def start(self) -> bool:
        """Start the server (creating the cluster first); False when it was already running.

        A cluster made by an older geo-assets (trust logins, the app role as superuser) is
        upgraded in place: restarted, its superuser retired, its data handed to the app role.
        """
        self.init()
        upgrade = not access.hba_is_hardened(self.data_dir)
        if self.is_running():
            if not upgrade:
                return False
            self.stop()  # started with open access and maybe no socket: restart to upgrade
        if not port_is_free(self.port):
            raise EmbeddedClusterError(
                f"Port {self.port} on 127.0.0.1 is already in use by another program. "
                f"Choose another port, e.g. GEO_ASSETS_DB_PORT={self.port + 1} geo-assets db start "
                "(or put GEO_ASSETS_DB_PORT in .env)."
            )
        self._prepare_socket_dir()
        self._pg_ctl_start()
        if upgrade:
            self._upgrade_open_cluster()
        self._provision()
        return True

    def _pg_ctl_start(self) -> None:
        result = self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                self._server_options(),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=False,
        )
        if result.returncode != 0:
            raise EmbeddedClusterError(
                f"PostgreSQL did not start: {result.stderr.strip() or result.stdout.strip()}. "
                f"See {self.log_file}."
            )

    def _wait_for(self, connect: Callable[[], psycopg.Connection]) -> psycopg.Connection:
        deadline = time.monotonic() + 30
        while True:
            try:
                return connect()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _upgrade_open_cluster(self) -> None:
        """Retire the old superuser app role, then close the cluster with the new pg_hba."""
        access.retire_old_superuser(
            self.connect_admin,
            lambda: self._wait_for(partial(self.connect_admin, user="geo_assets")),
        )
        access.write_hba(self.data_dir)
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "reload"])

    def _provision(self) -> None:
        """App role with the password from its file, its database, PostGIS in it."""
        password = access.ensure_password_file(self.password_file)
        with self._wait_for(self.connect_admin) as admin:
            access.ensure_app_role(admin, password, createdb=self.app_can_create_databases)
            access.ensure_app_database(admin, self.db_name)
        # Test and bench clusters: databases the app role makes from template1 have PostGIS too.
        for database in [self.db_name] + (["template1"] if self.app_can_create_databases else []):
            with self.connect_admin(database) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        if not self.is_running():
            return False
        self._run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]
        )
        return True

    @property
    def location(self) -> str:
        """Where the cluster lives and listens, for messages."""
        return f"{self.data_dir} on 127.0.0.1:{self.port}"

    def status(self) -> str:
        """One line a person can read: initialised? running? where?"""
        if not self.is_initialised():
            return f"no cluster in {self.data_dir} (run 'geo-assets db start')"
        return f"{'running' if self.is_running() else 'stopped'}: {self.location}"


def cluster_from_settings(settings) -> EmbeddedCluster:  # noqa: ANN001 - Settings, avoids a cycle
    """The embedded cluster the settings describe."""
    return EmbeddedCluster(
        data_dir=Path(settings.data_dir).resolve(),
        port=settings.db_port,
        bindir=find_pg_bindir(settings.pg_bindir),
        db_name=settings.db_name,
    )
