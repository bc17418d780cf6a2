"""`geo-assets db start|stop|status|url`: the embedded PostGIS cluster and its read replica."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import console, friendly_errors, open_engine

if TYPE_CHECKING:
    from geo_assets.embedded import EmbeddedCluster
    from geo_assets.embedded_replica import EmbeddedReplica

app = typer.Typer(
    help="Start, stop and inspect the embedded PostGIS cluster.", no_args_is_help=True
)


def _embedded_cluster() -> EmbeddedCluster:
    from geo_assets.embedded import cluster_from_settings
    from geo_assets.settings import get_settings

    return cluster_from_settings(get_settings())


def _embedded_replica() -> EmbeddedReplica:
    from geo_assets.embedded_replica import replica_from_settings
    from geo_assets.settings import get_settings

    return replica_from_settings(get_settings())


ReplicaOption = Annotated[
    bool,
    typer.Option(
        "--replica",
        help="Also start a streaming read replica beside it (DATA_DIR-replica, DB_PORT + 1).",
    ),
]


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
def start_database(replica: ReplicaOption = False) -> None:
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
    if replica:
        _start_replica()


def _start_replica() -> None:
    standby = _embedded_replica()
    started = standby.start()
    console.print(
        f"replica {'started' if started else 'already running'}: {standby.location}",
        highlight=False,
    )
    console.print(
        "send reads to it (same password file as the primary):\n"
        "  export GEO_ASSETS_READ_DATABASE_URL=$(geo-assets db url --replica)",
        highlight=False,
    )


@app.command("stop")
@friendly_errors
def stop_database() -> None:
    """Stop the embedded cluster and its replica; their data stays in their data folders."""
    if _external_notice():
        return
    standby = _embedded_replica()
    if standby.is_initialised():
        console.print(
            "replica stopped" if standby.stop() else "replica was not running", highlight=False
        )
    cluster = _embedded_cluster()
    console.print(
        "stopped" if cluster.stop() else "was not running: " + cluster.status(), highlight=False
    )


@app.command("status")
@friendly_errors
def database_status() -> None:
    """Say whether the embedded cluster exists and runs, and where."""
    if _external_notice():
        return
    cluster = _embedded_cluster()
    console.print(cluster.status(), highlight=False)
    standby = _embedded_replica()
    if standby.is_initialised():
        console.print(standby.status(), highlight=False)
    if not cluster.is_running():
        raise typer.Exit(3)


@app.command("url")
@friendly_errors
def database_url_command(
    replica: Annotated[
        bool, typer.Option("--replica", help="The embedded read replica's URL instead.")
    ] = False,
) -> None:
    """Print the SQLAlchemy URL every command uses, password included.

    The embedded database's password is read from DATA_DIR/geo_assets.pgpass (mode 0600,
    readable only by the user who started the cluster). For psql:
    PGPASSFILE=data/postgres/geo_assets.pgpass psql -h 127.0.0.1 -p 54329 -U geo_assets
    """
    from geo_assets.database import database_url
    from geo_assets.settings import get_settings

    print(_embedded_replica().url() if replica else database_url(get_settings()))
