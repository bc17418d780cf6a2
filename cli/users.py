"""`geo-assets users create|list|disable`: accounts of the API."""

from __future__ import annotations

import getpass
import sys

import typer
from rich.table import Table

from cli.common import console, friendly_errors, open_engine
from geo_assets.errors import InvalidInput
from geo_assets.vocab import ROLE, codes

app = typer.Typer(help="Manage the accounts that sign in to the API.", no_args_is_help=True)


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("--password-stdin was given but standard input held no password.")
    return password


@app.command("create")
@friendly_errors
def create_user(
    name: str = typer.Argument(..., help="User name (letters, digits, '.', '_', '-')."),
    role: str = typer.Option(..., help=f"One of: {', '.join(codes(ROLE))}."),
    full_name: str | None = typer.Option(None, help="The person's full name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
) -> None:
    """Create a user; without --password-stdin a password is generated and printed once."""
    from geo_assets import auth

    password = _read_password_stdin() if password_stdin else auth.generate_password()
    engine = open_engine()
    with engine.begin() as connection:
        account = auth.create_user(
            connection=connection,
            username=name,
            role=role,
            password=password,
            full_name=full_name,
            actor=_cli_actor(),
        )
    console.print(f"created user {account.username} ({account.role})", highlight=False)
    if not password_stdin:
        console.print("password (shown once, keep it safe):", highlight=False)
        print(password)


@app.command("list")
@friendly_errors
def list_users() -> None:
    """List every user with role and whether it may sign in."""
    from geo_assets import auth

    engine = open_engine()
    with engine.connect() as connection:
        accounts = auth.list_users(connection=connection)
    table = Table("user", "role", "full name", "active")
    for account in accounts:
        table.add_row(
            account.username,
            account.role,
            account.full_name or "",
            "yes" if account.is_active else "no",
        )
    console.print(table)


@app.command("disable")
@friendly_errors
def disable_user(name: str = typer.Argument(..., help="User name to disable.")) -> None:
    """Stop a user from signing in and revoke the user's tokens."""
    from geo_assets import auth

    engine = open_engine()
    with engine.begin() as connection:
        account = auth.disable_user(connection=connection, username=name, actor=_cli_actor())
    console.print(f"disabled user {account.username}; its tokens are revoked", highlight=False)
