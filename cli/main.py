"""`geo-assets`: the command line of the inventory."""

from __future__ import annotations

import typer

from cli import apikeys, backup, db, maps, report, seed, transfer, users
from cli.common import console, friendly_errors, open_engine

app = typer.Typer(
    help="geo-assets: street lights (PJU) and cemeteries (TPU) of Banjarbaru.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("seed")(seed.seed_command)
app.add_typer(users.app, name="users")
app.add_typer(apikeys.app, name="apikeys")
app.command("map")(maps.write_maps)
app.add_typer(report.app, name="report")
app.command("import")(transfer.import_command)
app.command("export")(transfer.export_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)


@app.command("migrate")
@friendly_errors
def migrate_database() -> None:
    """Apply the Alembic migrations up to the newest schema."""
    from geo_assets import migrate

    engine = open_engine()
    migrate.upgrade(engine)
    console.print(f"database at revision {migrate.current_revision(engine)}")


@app.command("serve")
@friendly_errors
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port to listen on (default 8000)."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Server processes; each has its own database pool (GEO_ASSETS_DB_POOL_SIZE).",
    ),
) -> None:
    """Serve the API and maps; the embedded database is started if needed."""
    import uvicorn

    from geo_assets.settings import get_settings

    settings = get_settings()
    open_engine(settings).dispose()
    # By name, so that geo_assets itself never imports the web stack.
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
    )


if __name__ == "__main__":
    app()
