"""What every command shares: settings, the database engine, and errors a person can read."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer
from rich.console import Console

from geo_assets.errors import GeoAssetsError

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy import Engine

    from geo_assets.settings import Settings

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into one red line and exit status 1, with no stack trace."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except GeoAssetsError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


def open_engine(settings: Settings | None = None, *, start_embedded: bool = True) -> Engine:
    """An engine on the configured database; the embedded cluster is started when needed."""
    # Imported here so that `--help` and typos answer at once, without SQLAlchemy and pydantic.
    from geo_assets.database import check_connection, database_url, make_engine
    from geo_assets.settings import get_settings

    settings = settings or get_settings()
    if settings.embedded and start_embedded:
        from geo_assets.embedded import cluster_from_settings

        cluster = cluster_from_settings(settings)
        if cluster.start():
            err_console.print(f"started embedded PostGIS: {cluster.location}", highlight=False)
    engine = make_engine(database_url(settings))
    check_connection(engine)
    return engine


def progress_bar() -> Progress:
    """A spinner with the step's description and the time taken, on stderr, gone when done."""
    # rich.progress is loaded only by the commands that show progress (start-up time).
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
