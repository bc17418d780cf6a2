"""`geo-assets db ...` and `migrate` as a person runs them, against real servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.databases import free_port

CLI = [sys.executable, "-m", "cli.main"]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120, env={**environment, **env}
    )


def test_url_uses_database_url_when_set(db_url: str) -> None:
    """With GEO_ASSETS_DATABASE_URL set, `db url` prints it and `db start` says it is used."""
    assert _run("db", "url", GEO_ASSETS_DATABASE_URL=db_url).stdout.strip() == db_url
    started = _run("db", "start", GEO_ASSETS_DATABASE_URL=db_url)
    assert started.returncode == 0 and "GEO_ASSETS_DATABASE_URL is set" in started.stdout


def test_unreachable_database_names_host_and_port() -> None:
    """An unreachable server is named by host and port, with no stack trace."""
    port = free_port()
    result = _run("migrate", GEO_ASSETS_DATABASE_URL=f"postgresql://x@127.0.0.1:{port}/db")
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_embedded_start_status_stop(tmp_path_factory) -> None:  # noqa: ANN001
    """The embedded cluster starts, reports running, stops, and `migrate` works on it."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="geo-assets-cli-"))
    root.chmod(0o755)
    env = {"GEO_ASSETS_DATA_DIR": str(root / "pg"), "GEO_ASSETS_DB_PORT": str(free_port())}
    try:
        started = _run("db", "start", **env)
        assert started.returncode == 0 and "geo_assets.pgpass" in started.stdout
        url = _run("db", "url", **env).stdout.strip()
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("geo_assets",)
        status = _run("db", "status", **env)
        assert status.returncode == 0 and "running" in status.stdout
        migrated = _run("migrate", **env)
        assert migrated.returncode == 0, migrated.stderr
        assert "stopped" in _run("db", "stop", **env).stdout
        assert _run("db", "status", **env).returncode == 3
    finally:
        _run("db", "stop", **env)


@pytest.mark.parametrize(
    "credentials", ["geo_assets:change-me", "postgres:postgres", "app:password", "geo_assets:"]
)
@pytest.mark.parametrize("command", [("migrate",), ("serve", "--port", "1")])
def test_known_database_password_is_refused(credentials: str, command: tuple[str, ...]) -> None:
    """`migrate` and `serve` refuse a well-known password in one line naming the variable."""
    url = f"postgresql+psycopg://{credentials}@127.0.0.1:{free_port()}/geo_assets"
    result = _run(*command, GEO_ASSETS_DATABASE_URL=url)
    assert result.returncode == 1
    assert "GEO_ASSETS_DATABASE_URL" in result.stderr and "well-known" in result.stderr
    assert "Traceback" not in result.stderr and "change-me" not in result.stderr


def test_app_refuses_to_start_with_a_known_database_password() -> None:
    """The web app itself (as uvicorn workers build it) does not start on `change-me`."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from geo_assets.errors import InsecureConfiguration
    from geo_assets.settings import Settings

    weak = Settings(database_url="postgresql://geo_assets:change-me@127.0.0.1:1/geo_assets")
    with (
        pytest.raises(InsecureConfiguration, match="GEO_ASSETS_DATABASE_URL"),
        TestClient(create_app(weak)),
    ):
        pass


def test_every_command_has_help() -> None:
    """`--help` works on the top command and on each sub-command."""
    top = _run("--help")
    assert top.returncode == 0
    for command in ("db", "migrate", "serve"):
        assert _run(command, "--help").returncode == 0
