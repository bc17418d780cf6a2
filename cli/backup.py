"""`geo-assets backup` and `geo-assets restore`: the database and the media folder, one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import console, friendly_errors, open_engine, progress_bar


def _counts_table(title: str, tables: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in tables.items():
        table.add_row(name.removeprefix("public."), f"{count:,}")
    return table


@friendly_errors
def backup_command(
    out: Annotated[
        Path, typer.Option("-o", "--output", help="The archive to write (e.g. backup.tar).")
    ],
) -> None:
    """Write the database (pg_dump -Fc) and the media folder to one archive.

    The archive also holds manifest.json with the row count of every table. It holds
    personal data (burial records, password hashes): it is written with mode 0600.
    """
    from geo_assets.backup import create_backup
    from geo_assets.embedded import find_pg_bindir
    from geo_assets.settings import get_settings

    settings = get_settings()
    engine = open_engine(settings)
    with progress_bar() as bar:
        task = bar.add_task("backing up", total=None)
        summary = create_backup(
            engine,
            out=out,
            media_dir=settings.media_dir,
            bindir=find_pg_bindir(settings.pg_bindir),
            progress=lambda step: bar.update(task, description=step),
        )
    engine.dispose()
    console.print(_counts_table(f"backup of {engine.url.database}", summary.tables))
    console.print(
        f"wrote {summary.path}: {summary.rows:,} rows in {len(summary.tables)} tables, "
        f"{summary.media_files:,} media files ({summary.media_bytes / 1e6:.1f} MB) "
        f"in {summary.seconds:.1f} s",
        highlight=False,
    )


@friendly_errors
def restore_command(
    archive: Annotated[Path, typer.Argument(help="An archive written by `geo-assets backup`.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a database that holds data (and set an old media folder aside).",
        ),
    ] = False,
) -> None:
    """Load a backup into an empty database and put its media folder in place.

    A database that holds data is refused unless --force is given; then its tables are
    replaced in one transaction, and a non-empty media folder is kept as
    MEDIA.before-restore-<time>. Row counts are checked against the backup's manifest.
    """
    from geo_assets.backup import restore_backup
    from geo_assets.embedded import find_pg_bindir
    from geo_assets.settings import get_settings

    settings = get_settings()
    engine = open_engine(settings)
    database = engine.url.database
    with progress_bar() as bar:
        task = bar.add_task("restoring", total=None)
        summary = restore_backup(
            engine,
            archive_path=archive,
            media_dir=settings.media_dir,
            bindir=find_pg_bindir(settings.pg_bindir),
            force=force,
            progress=lambda step: bar.update(task, description=step),
        )
    engine.dispose()
    console.print(_counts_table(f"restored into {database}", summary.tables))
    console.print(
        f"restored {archive}: {summary.rows:,} rows in {len(summary.tables)} tables (as in "
        f"its manifest), {summary.media_files:,} media files in {settings.media_dir}, "
        f"in {summary.seconds:.1f} s",
        highlight=False,
    )
    if summary.set_aside:
        console.print(f"the previous media folder is kept in {summary.set_aside}", highlight=False)
