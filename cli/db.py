"""`geo-assets db start|stop|status|url`: the embedded PostGIS cluster."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cli.common import console, friendly_errors, open_engine

if TYPE_CHECKING:
    from geo_assets.embedded import EmbeddedCluster

app = typer.Typer(
    help="Start, stop and inspect the embedded PostGIS cluster.", no_args_is_help=True
)


def _embedded_cluster() -> EmbeddedCluster:
    from geo_assets.embedded import cluster_from_settings
    from geo_assets.settings import get_settings

    return cluster_from_settings(get_settings())


def _external_notice() -> bool:
    from geo_assets.settings import get_settings

    settings = get_settings()
    if settings.embedded:
        return False
    engine = open_engine(settings)
    console.print(
        f"GEO_ASSETS_DATABASE_URL is set: using the PostGIS at "
        f"{engine.url.host}:{engine.url.port or 5432}/{engine.url.database}; "
        "no embedded cluster is started.",
        highlight=False,
    )
    return True


@app.command("start")
@friendly_errors
def start_database() -> None:
    """Create (first time) and start the embedded cluster, with the PostGIS extension."""
    if _external_notice():
        return
    cluster = _embedded_cluster()
    started = cluster.start()
    console.print(
        f"{'started' if started else 'already running'}: {cluster.location}", highlight=False
    )
    console.print(
        f"password of the 'geo_assets' role: {cluster.password_file} (mode 0600); "
        "'geo-assets db url' prints the full URL",
        highlight=False,
    )


@app.command("stop")
@friendly_errors
def stop_database() -> None:
    """Stop the embedded cluster; its data stays in the data folder."""
    if _external_notice():
        return
    cluster = _embedded_cluster()
    console.print("stopped" if cluster.stop() else "was not running: " + cluster.status())


@app.command("status")
@friendly_errors
def database_status() -> None:
    """Say whether the embedded cluster exists and runs, and where."""
    if _external_notice():
        return
    cluster = _embedded_cluster()
    console.print(cluster.status(), highlight=False)
    if not cluster.is_running():
        raise typer.Exit(3)


@app.command("url")
@friendly_errors
def database_url_command() -> None:
    """Print the SQLAlchemy URL every command uses, password included.

    The embedded database's password is read from DATA_DIR/geo_assets.pgpass (mode 0600,
    readable only by the user who started the cluster). For psql:
    PGPASSFILE=data/postgres/geo_assets.pgpass psql -h 127.0.0.1 -p 54329 -U geo_assets
    """
    from geo_assets.database import database_url
    from geo_assets.settings import get_settings

    print(database_url(get_settings()))
