"""`geo-assets`: the command line of the inventory.

Each command's module is imported only when that command runs (or when the help lists it), so
`geo-assets export` does not load what `seed`, `apikeys` or `report` need: start-up time.
"""

from __future__ import annotations

import atexit
import gc
import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup
from typer.main import get_group

from cli.common import console, friendly_errors, open_engine

if TYPE_CHECKING:
    # Typer's own copy of click, whose classes the group and its commands are.
    from typer._click import Command, Context

# The interpreter's last garbage collections, as it shuts down, walk every object SQLAlchemy,
# pydantic, pandas and the rest have made: 0.1-0.5 s after each command had finished. Nothing
# then needs collecting (the process ends; files and connections are closed by then), so the
# objects are frozen out of their way first. Exit handlers run before those collections.
atexit.register(gc.freeze)

# Command name → (module, attribute): command functions, then Typers of subcommands; in the order
# the help lists them (commands, those defined here, then groups: Typer's order).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "seed": ("cli.seed", "seed_command"),
    "map": ("cli.maps", "write_maps"),
    "import": ("cli.transfer", "import_command"),
    "export": ("cli.transfer", "export_command"),
    "backup": ("cli.backup", "backup_command"),
    "restore": ("cli.backup", "restore_command"),
}
LAZY_GROUPS: dict[str, tuple[str, str]] = {
    "db": ("cli.db", "app"),
    "users": ("cli.users", "app"),
    "apikeys": ("cli.apikeys", "app"),
    "report": ("cli.report", "app"),
}


def load_command(name: str) -> Command:
    """The click command `name`, built exactly as `add_typer`/`command` would have built it."""
    module, attribute = LAZY_COMMANDS.get(name) or LAZY_GROUPS[name]
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return get_group(holder).commands[name]


class LazyGroup(TyperGroup):
    """The top-level group: lists every command, imports one's module when it is asked for."""

    def list_commands(self, ctx: Context) -> list[str]:
        """Every command in the order the help has always shown them."""
        here = [name for name in self.commands if name not in LAZY_COMMANDS | LAZY_GROUPS]
        return [*LAZY_COMMANDS, *here, *LAZY_GROUPS]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command `cmd_name`, its module imported on first use.

        An unknown name loads them all, so that "Did you mean …?" can suggest any of them.
        """
        lazy = LAZY_COMMANDS | LAZY_GROUPS
        for name in [cmd_name] if cmd_name in lazy else lazy:
            if name not in self.commands:
                self.commands[name] = load_command(name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=LazyGroup,
    help="geo-assets: street lights (PJU) and cemeteries (TPU) of Banjarbaru.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


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
