"""`geo-assets apikeys create|list|revoke`: keys of the apps that send Open311 reports."""

from __future__ import annotations

import getpass

import typer
from rich.table import Table

from cli.common import console, friendly_errors, open_engine

app = typer.Typer(help="Manage the API keys of Open311 client apps.", no_args_is_help=True)


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@app.command("create")
@friendly_errors
def create_key(
    name: str = typer.Argument(..., help="Who uses the key, e.g. the app's name."),
) -> None:
    """Create a key; it is printed once, alone on the last line, and stored only hashed."""
    from geo_assets.open311 import keys

    engine = open_engine()
    with engine.begin() as connection:
        info, key = keys.create_api_key(connection=connection, name=name, actor=_cli_actor())
    console.print(f"created API key {info.prefix} for {info.name}", highlight=False)
    console.print("key (shown once, keep it safe):", highlight=False)
    print(key)


@app.command("list")
@friendly_errors
def list_keys() -> None:
    """List every key: prefix, name, created, last used, and whether it is revoked."""
    from geo_assets.open311 import keys

    engine = open_engine()
    with engine.connect() as connection:
        infos = keys.list_api_keys(connection=connection)
    table = Table("prefix", "name", "created", "last used", "active")
    for info in infos:
        table.add_row(
            info.prefix,
            info.name,
            f"{info.created_at:%Y-%m-%d %H:%M}",
            f"{info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else "",
            "yes" if info.active else "revoked",
        )
    console.print(table)


@app.command("revoke")
@friendly_errors
def revoke_key(
    prefix: str = typer.Argument(..., help="The key's prefix (from `list`) or the key."),
) -> None:
    """Refuse a key from now on; requests made with it are kept."""
    from geo_assets.open311 import keys

    engine = open_engine()
    with engine.begin() as connection:
        info = keys.revoke_api_key(connection=connection, prefix=prefix, actor=_cli_actor())
    console.print(f"revoked API key {info.prefix} ({info.name})", highlight=False)
