"""A streaming read replica of the embedded cluster, beside it on the same machine.

`geo-assets db start --replica` copies the running primary with `pg_basebackup -R` into a data
folder of its own (DATA_DIR + "-replica") and starts it on its own port as a hot standby. It
keeps the primary's security: the copy brings the same pg_hba rules and roles (the app role logs
in with the same password over TCP, the superuser only over the replica's own 0700 socket), and
WAL streams as the bootstrap superuser over the primary's Unix socket, never over TCP.
"""

from __future__ import annotations

import os
import pwd
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from geo_assets import embedded_access as access
from geo_assets.embedded import (
    SERVER_USER,
    EmbeddedCluster,
    cluster_from_settings,
    port_is_free,
)
from geo_assets.errors import EmbeddedClusterError

REPLICA_SUFFIX = "-replica"
# Read on the replica: is it a standby, and how far behind the primary's last commit is it.
LAG_QUERY = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
                ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END
"""


@dataclass
class EmbeddedReplica(EmbeddedCluster):
    """A hot standby of `primary` in `data_dir`, listening on 127.0.0.1:`port`."""

    primary: EmbeddedCluster | None = None

    @property
    def source(self) -> EmbeddedCluster:
        """The primary this replica copies."""
        if self.primary is None:
            raise EmbeddedClusterError("A replica needs its primary cluster.")
        return self.primary

    @property
    def password_file(self) -> Path:
        """The primary's password file: the app role and its password are the same here."""
        return self.source.password_file

    def init(self) -> None:
        """Copy the running primary (`pg_basebackup -R`) when the data folder holds no cluster."""
        if self.is_initialised():
            return
        primary = self.source
        if not primary.is_running():
            raise EmbeddedClusterError(
                f"The primary is not running ({primary.status()}); start it first: "
                "geo-assets db start"
            )
        self._allow_replication(primary)
        self._make_data_dir()
        with _readable_by_server(primary.password_file, primary.as_root):
            self._base_backup(primary)
        # The replica uses the primary's password file (a copy would be a second one to keep),
        # and its own socket: the primary's socket lock file came along in the copy.
        (self.data_dir / access.PASSWORD_FILE).unlink(missing_ok=True)
        for lock in self.data_dir.glob(".s.PGSQL.*.lock"):
            lock.unlink()

    def _base_backup(self, primary: EmbeddedCluster) -> None:
        self._run(
            [
                str(self.bindir / "pg_basebackup"),
                "--pgdata",
                str(self.data_dir),
                "--host",
                str(primary.socket_dir),
                "--port",
                str(primary.port),
                "--username",
                access.BOOTSTRAP_SUPERUSER,
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-password",
            ]
        )

    def start(self) -> bool:
        """Copy the primary (first time) and start the standby; False when already running."""
        if not self.is_running() and not port_is_free(self.port):
            raise EmbeddedClusterError(
                f"Port {self.port} on 127.0.0.1, the read replica's, is already in use by "
                f"another program. Choose another, e.g. GEO_ASSETS_DB_REPLICA_PORT={self.port + 1}"
                " geo-assets db start --replica (or put it in .env)."
            )
        return super().start()

    def _allow_replication(self, primary: EmbeddedCluster) -> None:
        """Let the superuser stream WAL over the primary's socket (clusters made before)."""
        if access.hba_allows_replication(primary.data_dir):
            return
        access.write_hba(primary.data_dir)
        self._run([str(self.bindir / "pg_ctl"), "-D", str(primary.data_dir), "reload"])

    def _make_data_dir(self) -> None:
        """An empty 0700 folder the server's user owns (pg_basebackup writes into it)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if any(self.data_dir.iterdir()):
            raise EmbeddedClusterError(
                f"The replica's data folder {self.data_dir} is not empty and holds no cluster; "
                "remove it, then run geo-assets db start --replica again."
            )
        if self.as_root:
            shutil.chown(self.data_dir, SERVER_USER, SERVER_USER)
        self.data_dir.chmod(0o700)

    def _provision(self) -> None:
        """Nothing to create on a standby: wait until it accepts connections."""
        self._wait_for(self.connect_admin).close()

    def lag_seconds(self) -> float | None:
        """Seconds of replay lag behind the primary (0 when caught up); None when not a standby."""
        with self.connect_admin() as admin:
            row = admin.execute(LAG_QUERY).fetchone()
        if row is None or not row[0]:
            return None
        return float(row[1] or 0.0)

    def status(self) -> str:
        """One line a person can read: initialised? running? where? how far behind?"""
        if not self.is_initialised():
            return f"no replica in {self.data_dir} (run 'geo-assets db start --replica')"
        if not self.is_running():
            return f"replica stopped: {self.location}"
        lag = self.lag_seconds()
        behind = "not a standby" if lag is None else f"{lag:.1f} s behind the primary"
        return f"replica running: {self.location} ({behind})"


@contextmanager
def _readable_by_server(password_file: Path, as_root: bool) -> Iterator[None]:
    """Let the server's user read the primary's password file while the base backup runs.

    The backup is read by the primary's server, which copies every file of its data folder and
    fails on one it cannot open; as root that file belongs to root (mode 0600). The server's
    user is the cluster's superuser anyway, so lending it the app role's password for the copy
    gives nothing away; root still reads the file meanwhile, and it is given back afterwards.
    """
    info = password_file.stat() if as_root and password_file.exists() else None
    if info is None:
        yield
        return
    os.chown(password_file, pwd.getpwnam(SERVER_USER).pw_uid, -1)
    try:
        yield
    finally:
        os.chown(password_file, info.st_uid, info.st_gid)


def replica_from_settings(settings) -> EmbeddedReplica:  # noqa: ANN001 - Settings, avoids a cycle
    """The embedded replica beside the embedded cluster the settings describe."""
    primary = cluster_from_settings(settings)
    return EmbeddedReplica(
        data_dir=primary.data_dir.with_name(primary.data_dir.name + REPLICA_SUFFIX),
        port=settings.db_replica_port or primary.port + 1,
        bindir=primary.bindir,
        db_name=primary.db_name,
        primary=primary,
    )
