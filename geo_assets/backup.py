"""Backups: the database (`pg_dump -Fc`) and the media folder in one tar archive, and back.

The archive holds `manifest.json` (format, time, schema revision, rows per table, media
files), `database.dump` and `media/`. The dump and the row counts come from one snapshot, so
the manifest describes exactly what was dumped. A restore replaces the database's own objects
in one transaction (either the old data or the restored data, never a mix), checks the row
counts against the manifest, then puts the media folder in place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from geo_assets import __version__
from geo_assets.errors import BackupFailed, InvalidInput, NotEmpty

ARCHIVE_FORMAT = "geo-assets-backup"
ARCHIVE_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
# Tables whose rows are bookkeeping, not data: an empty database may hold them.
BOOKKEEPING_TABLES = frozenset({"public.alembic_version"})
EXTENSION_DATA = re.compile(r" TABLE DATA \S+ spatial_ref_sys ")

Progress = Callable[[str], None]

# Our own tables: every table outside the system schemas that no extension (PostGIS) owns.
OWN_TABLES_SQL = """
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS quoted,
       n.nspname || '.' || c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%'
   AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 2
"""

# Drops the database's own objects in schema public (not PostGIS's), before a restore.
WIPE_SQL = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT format('DROP %s IF EXISTS %s CASCADE',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                 ELSE 'TABLE' END, c.oid::regclass) AS statement
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
    UNION ALL
    SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('DROP TYPE IF EXISTS %s CASCADE', t.oid::regtype)
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r')
       AND t.typrelid = 0
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE item.statement;
  END LOOP;
END
$$;
"""


@dataclass
class BackupSummary:
    """What a backup or a restore moved."""

    path: Path
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    seconds: float = 0.0
    set_aside: Path | None = field(default=None)

    @property
    def rows(self) -> int:
        """Rows in all tables together."""
        return sum(self.tables.values())


def table_counts(connection: Connection) -> dict[str, int]:
    """Rows in each of the database's own tables, by `schema.table`."""
    counts = {}
    for quoted, name in connection.execute(text(OWN_TABLES_SQL)).all():
        # The names come from the catalogue and are quoted by quote_ident.
        counts[name] = connection.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one()
    return counts


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment that carries it."""
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string()
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` shows it
    return conninfo, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = "; ".join(lines[-3:]) or f"exit status {result.returncode}"
        raise BackupFailed(f"{Path(command[0]).name} failed: {reason}")


def _media_files(media_dir: Path) -> list[Path]:
    if not media_dir.is_dir():
        return []
    return sorted(path for path in media_dir.rglob("*") if path.is_file())


def create_backup(
    engine: Engine, *, out: Path, media_dir: Path, bindir: Path, progress: Progress | None = None
) -> BackupSummary:
    """Write the database and the media folder to the archive `out` (mode 0600)."""
    say = progress or (lambda step: None)
    started = time.monotonic()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    conninfo, env = _libpq(engine.url)
    with tempfile.TemporaryDirectory(prefix=".geo-assets-backup-", dir=out.parent) as work:
        dump = Path(work) / DUMP
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                say("counting rows")
                tables = table_counts(connection)
                revision = _revision(connection, tables)
                say("dumping the database (pg_dump)")
                _run(
                    [str(bindir / "pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(dump)]
                    + [f"--dbname={conninfo}"],
                    env,
                )
        say("adding the media folder")
        media = _media_files(media_dir)
        media_bytes = sum(path.stat().st_size for path in media)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "geo_assets_version": __version__,
            "schema_revision": revision,
            "tables": tables,
            "media": {"files": len(media), "bytes": media_bytes},
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=DUMP)
            for path in media:
                archive.add(path, arcname=f"{MEDIA}/{path.relative_to(media_dir).as_posix()}")
        partial.chmod(0o600)  # burial records and password hashes: the owner's eyes only
        os.replace(partial, out)
    return BackupSummary(
        path=out,
        tables=tables,
        media_files=len(media),
        media_bytes=media_bytes,
        seconds=time.monotonic() - started,
    )


def _revision(connection: Connection, tables: dict[str, int]) -> str | None:
    if "public.alembic_version" not in tables:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    """The archive's manifest, or an error saying the file is no geo-assets backup."""
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.load(member) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise InvalidInput(f"{path} is not a geo-assets backup (no {MANIFEST} in it).")
    if manifest.get("version") != ARCHIVE_VERSION:
        raise InvalidInput(
            f"{path} is a backup of format version {manifest.get('version')}; this geo-assets "
            f"reads version {ARCHIVE_VERSION}."
        )
    return manifest


def _refuse_unless_empty(engine: Engine, media_dir: Path, path: Path) -> None:
    with engine.connect() as connection:
        held = {
            name: count
            for name, count in table_counts(connection).items()
            if count and name not in BOOKKEEPING_TABLES
        }
    media = _media_files(media_dir)
    if held or media:
        what = [f"{sum(held.values()):,} rows in {len(held)} tables"] if held else []
        what += [f"{len(media):,} files in {media_dir}"] if media else []
        raise NotEmpty(
            f"The database is not empty ({' and '.join(what)}). Restoring replaces all of it "
            f"with the backup; to do so, run again with --force: geo-assets restore {path} --force"
        )


def restore_backup(
    engine: Engine,
    *,
    archive_path: Path,
    media_dir: Path,
    bindir: Path,
    force: bool = False,
    progress: Progress | None = None,
) -> BackupSummary:
    """Load the archive into the database and the media folder; refuse full ones unless forced."""
    say = progress or (lambda step: None)
    started = time.monotonic()
    if not archive_path.is_file():
        raise InvalidInput(f"{archive_path} does not exist or is not a file.")
    media_dir = media_dir.resolve()
    with tarfile.open(archive_path) as archive:
        manifest = read_manifest(archive, archive_path)
        if not force:
            _refuse_unless_empty(engine, media_dir, archive_path)
        media_dir.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(
            prefix=".geo-assets-restore-", dir=media_dir.parent
        ) as work:
            say("unpacking the archive")
            archive.extractall(work, filter="data")  # refuses absolute paths, .., links out
            say("loading the database (pg_restore)")
            _load_database(engine, Path(work) / DUMP, bindir)
            with engine.connect() as connection:
                tables = table_counts(connection)
            if tables != manifest["tables"]:
                differ = sorted(
                    name
                    for name in set(tables) | set(manifest["tables"])
                    if tables.get(name) != manifest["tables"].get(name)
                )
                raise BackupFailed(
                    f"The restored row counts differ from the backup's manifest in {differ}; "
                    "the archive may be damaged."
                )
            say("putting the media folder in place")
            set_aside = _replace_media(Path(work) / MEDIA, media_dir)
    return BackupSummary(
        path=archive_path,
        tables=tables,
        media_files=manifest["media"]["files"],
        media_bytes=manifest["media"]["bytes"],
        seconds=time.monotonic() - started,
        set_aside=set_aside,
    )


def _load_database(engine: Engine, dump: Path, bindir: Path) -> None:
    """Wipe the database's own objects and load the dump, in one transaction (psql)."""
    conninfo, env = _libpq(engine.url)
    engine.dispose()  # no pooled connection of ours may hold locks on what is dropped
    script = dump.with_suffix(".sql")
    listing = dump.with_suffix(".list")
    _run([str(bindir / "pg_restore"), "-l", "-f", str(listing), str(dump)], env)
    # PostGIS's spatial_ref_sys belongs to the extension's owner: the restoring role may not
    # write it (it holds the standard systems only; the app adds none).
    entries = listing.read_text().splitlines(keepends=True)
    listing.write_text("".join(line for line in entries if not EXTENSION_DATA.search(line)))
    # PostGIS stays as it is (created by the server's superuser); ownership and grants go to
    # whoever restores; the extension's comment would need its owner.
    _run(
        [
            str(bindir / "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--no-tablespaces",
        ]
        + ["-L", str(listing), "-f", str(script), str(dump)],
        env,
    )
    wipe = dump.with_name("wipe.sql")
    wipe.write_text(WIPE_SQL)
    _run(
        [str(bindir / "psql"), "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
        + ["-f", str(wipe), "-f", str(script), f"--dbname={conninfo}"],
        env,
    )


def _replace_media(restored: Path, media_dir: Path) -> Path | None:
    """Move the restored media into place; a non-empty old folder is kept beside it."""
    restored.mkdir(exist_ok=True)
    set_aside = None
    if media_dir.exists():
        if _media_files(media_dir):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            set_aside = media_dir.with_name(f"{media_dir.name}.before-restore-{stamp}")
            os.replace(media_dir, set_aside)
        else:
            shutil.rmtree(media_dir)
    os.replace(restored, media_dir)
    return set_aside
