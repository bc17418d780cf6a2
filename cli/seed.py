"""`geo-assets seed`: build the Banjarbaru sample city into the database."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console, friendly_errors, open_engine


@friendly_errors
def seed_command(
    scale: int = typer.Option(1, "--scale", min=1, help="Lamps = 14,000 × SCALE."),
    seed: int = typer.Option(42, "--seed", help="Random seed; the same seed gives the same city."),
    replace: bool = typer.Option(
        False, "--replace", help="Delete the sample data already stored, then seed again."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Seed only when the database holds no data; else do nothing."
    ),
) -> None:
    """Build the Banjarbaru sample: kelurahan, roads, lamps with two years of history, TPU."""
    from geo_assets.seed import seed_city
    from geo_assets.seed.writer import stored_counts

    engine = open_engine()
    if if_empty and not replace:
        with engine.connect() as connection:
            held = stored_counts(connection)
        if held:
            console.print(
                f"the database already holds data ({held.get('lamp', 0):,} lamps); not seeding",
                highlight=False,
            )
            engine.dispose()
            return
    with Progress(
        TextColumn("[bold]{task.description:<38}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("seeding", total=1)

        def report(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        summary = seed_city(engine, scale=scale, seed=seed, replace=replace, progress=report)
    engine.dispose()
    table = Table(title=f"Banjarbaru sample (seed {seed}, scale {scale})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in summary.counts():
        table.add_row(name.replace("_", " "), f"{count:,}")
    console.print(table)
    console.print(f"seeded in {summary.seconds:.1f} s")
