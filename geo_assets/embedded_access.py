"""Who may enter the embedded cluster: pg_hba rules, the app role, its password file.

Over TCP (127.0.0.1) only password logins (scram-sha-256) are accepted, and the app role
`geo_assets` owns its database but is no superuser. The bootstrap superuser `postgres` has no
password: it logs in over the Unix socket alone, whose folder is 0700 and belongs to the server's
OS user, so only that user (and root) can reach it; a read replica (`db start --replica`) streams
WAL as that superuser over the same socket, never over TCP. The app role's password is generated at
`db start` and kept in a pgpass-format file of mode 0600 inside the data folder.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from geo_assets.errors import EmbeddedClusterError

APP_ROLE = "geo_assets"
BOOTSTRAP_SUPERUSER = "postgres"
PASSWORD_FILE = "geo_assets.pgpass"
# Older geo-assets made the app role the bootstrap superuser; an upgrade renames it to this.
RETIRED_SUPERUSER = "geo_assets_retired_superuser"
HBA_MARKER = "# geo-assets: scram-sha-256 over TCP, superuser on the Unix socket only"
HBA_RULES = f"""{HBA_MARKER}
# Written by geo-assets at `db start`; edits are replaced on an upgrade only.
# The socket folder is mode 0700 and belongs to the server's OS user: only that user (and
# root) reach it, so the bootstrap superuser needs no password there.
# TYPE  DATABASE  USER       ADDRESS       METHOD
local   all       {BOOTSTRAP_SUPERUSER}                  trust
local   replication {BOOTSTRAP_SUPERUSER}                trust
host    all       {BOOTSTRAP_SUPERUSER}   127.0.0.1/32  reject
host    all       {BOOTSTRAP_SUPERUSER}   ::1/128       reject
host    all       all        127.0.0.1/32  scram-sha-256
host    all       all        ::1/128       scram-sha-256
"""


def hba_is_hardened(data_dir: Path) -> bool:
    """True when the cluster's pg_hba.conf is the one geo-assets writes (not `trust`)."""
    hba = data_dir / "pg_hba.conf"
    return hba.exists() and hba.read_text().startswith(HBA_MARKER)


def hba_allows_replication(data_dir: Path) -> bool:
    """True when the superuser may stream WAL over the socket (`db start --replica`)."""
    hba = data_dir / "pg_hba.conf"
    return hba.exists() and f"local   replication {BOOTSTRAP_SUPERUSER}" in hba.read_text()


def write_hba(data_dir: Path) -> None:
    """Replace the cluster's pg_hba.conf with the geo-assets rules (keeps owner and mode)."""
    (data_dir / "pg_hba.conf").write_text(HBA_RULES)


def read_password(password_file: Path) -> str:
    """The app role's password from its pgpass file, or an error saying what to do."""
    try:
        info = password_file.stat()
        text = password_file.read_text()
    except FileNotFoundError:
        raise EmbeddedClusterError(
            f"The embedded database's password file {password_file} is missing. Restart the "
            "cluster to make a new one: geo-assets db stop && geo-assets db start"
        ) from None
    except PermissionError:
        raise EmbeddedClusterError(
            f"The embedded database's password file {password_file} is readable only by the user "
            "who started the cluster; run geo-assets as that user."
        ) from None
    if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.geteuid():
        password_file.chmod(0o600)  # libpq ignores a pgpass file others can read
    for line in text.splitlines():
        fields = line.split(":")
        if len(fields) == 5 and fields[3] == APP_ROLE:
            return fields[4]
    raise EmbeddedClusterError(
        f"{password_file} holds no password for '{APP_ROLE}'. Delete it and restart the "
        "cluster to make a new one: geo-assets db stop && geo-assets db start"
    )


def ensure_password_file(password_file: Path) -> str:
    """The app role's password, generated and written (mode 0600) when the file is missing."""
    if password_file.exists():
        return read_password(password_file)
    password = secrets.token_urlsafe(32)  # [A-Za-z0-9_-]: safe in a URL and in pgpass
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(f"127.0.0.1:*:*:{APP_ROLE}:{password}\n")
        out.flush()
        os.fsync(out.fileno())
    return password


def ensure_app_role(admin: psycopg.Connection, password: str, *, createdb: bool) -> None:
    """Create or fix the app role: may log in with `password`, never a superuser."""
    # The SCRAM verifier is computed here, so the password itself never reaches the server
    # (nor its log, should statement logging be on).
    verifier = admin.pgconn.encrypt_password(
        password.encode(), APP_ROLE.encode(), b"scram-sha-256"
    ).decode()
    attributes = "LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS " + (
        "CREATEDB" if createdb else "NOCREATEDB"
    )
    exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
    statement = "ALTER ROLE {} " if exists else "CREATE ROLE {} "
    admin.execute(
        sql.SQL(statement + attributes + " PASSWORD {}").format(
            sql.Identifier(APP_ROLE), sql.Literal(verifier)
        )
    )


def ensure_app_database(admin: psycopg.Connection, name: str) -> None:
    """Create the app database owned by the app role (or hand an existing one to it)."""
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    template = "ALTER DATABASE {} OWNER TO {}" if exists else "CREATE DATABASE {} OWNER {}"
    admin.execute(sql.SQL(template).format(sql.Identifier(name), sql.Identifier(APP_ROLE)))


def retire_old_superuser(
    connect_admin: Callable[..., psycopg.Connection], connect_old: Callable[[], psycopg.Connection]
) -> list[str]:
    """Upgrade a cluster an older geo-assets made: the app role was its bootstrap superuser.

    `connect_admin(database)` opens a socket connection as `postgres`, `connect_old()` one as
    the old superuser `geo_assets` (only needed while `postgres` does not exist). The old role
    is renamed and may no longer log in; its databases and their objects (not PostGIS's own)
    go to a new, unprivileged app role, finished by `ensure_app_role` afterwards. Safe to run
    again after an interruption. Returns the databases handed over.
    """
    try:
        admin = connect_admin("postgres")
    except psycopg.OperationalError:  # no `postgres` role yet: the old superuser makes it
        with connect_old() as old:
            old.execute(
                sql.SQL("CREATE ROLE {} SUPERUSER LOGIN").format(
                    sql.Identifier(BOOTSTRAP_SUPERUSER)
                )
            )
        admin = connect_admin("postgres")
    with admin:
        if _role_flag(admin, APP_ROLE, "rolsuper") and not _role_flag(
            admin, RETIRED_SUPERUSER, "rolsuper"
        ):
            admin.execute(
                sql.SQL("ALTER ROLE {} RENAME TO {}").format(
                    sql.Identifier(APP_ROLE), sql.Identifier(RETIRED_SUPERUSER)
                )
            )
        if _role_flag(admin, RETIRED_SUPERUSER, "rolcanlogin"):
            admin.execute(
                sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(RETIRED_SUPERUSER))
            )
        if _role_flag(admin, APP_ROLE, "rolcanlogin") is None:
            admin.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                    sql.Identifier(APP_ROLE)
                )
            )
        retired = _role_flag(admin, RETIRED_SUPERUSER, "rolsuper") is not None
        databases = [
            row[0]
            for row in admin.execute(
                "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"
            )
            if retired
        ]
        for name in databases:
            ensure_app_database(admin, name)
    for name in databases:
        with connect_admin(name) as conn:
            conn.execute(HAND_OVER_OBJECTS)
    return databases


def _role_flag(admin: psycopg.Connection, role: str, flag: str) -> bool | None:
    """A pg_roles flag of `role` (`flag` is one of our constants); None when there is no role."""
    row = admin.execute(
        sql.SQL("SELECT {} FROM pg_roles WHERE rolname = %s").format(sql.Identifier(flag)),
        (role,),
    ).fetchone()
    return None if row is None else bool(row[0])


# Every schema, table, view, sequence, routine and type the old superuser owned in one
# database goes to the app role, except what belongs to an extension (PostGIS keeps its owner)
# and sequences owned by a column (they follow their table).
HAND_OVER_OBJECTS = f"""
DO $$
DECLARE
  old oid := '{RETIRED_SUPERUSER}'::regrole;
  item record;
BEGIN
  FOR item IN
    SELECT format('ALTER SCHEMA %I OWNER TO {APP_ROLE}', nspname) AS statement
      FROM pg_namespace n
     WHERE nspowner = old AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                          AND d.objid = n.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO {APP_ROLE}',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                 ELSE 'TABLE' END, c.oid::regclass)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relowner = old AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO {APP_ROLE}', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.proowner = old AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO {APP_ROLE}', t.oid::regtype)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typowner = old AND t.typtype IN ('e', 'd', 'r') AND t.typrelid = 0
       AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE item.statement;
  END LOOP;
END
$$
"""
