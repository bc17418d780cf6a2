"""`geo-assets db ...` and `migrate` as a person runs them, against real servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import _free_port

CLI = [sys.executable, "-m", "geo_assets.cli.main"]


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
    port = _free_port()
    result = _run("migrate", GEO_ASSETS_DATABASE_URL=f"postgresql://x@127.0.0.1:{port}/db")
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_embedded_start_status_stop(tmp_path_factory) -> None:  # noqa: ANN001
    """The embedded cluster starts, reports running, stops, and `migrate` works on it."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="geo-assets-cli-"))
    root.chmod(0o755)
    env = {"GEO_ASSETS_DATA_DIR": str(root / "pg"), "GEO_ASSETS_DB_PORT": str(_free_port())}
    try:
        assert _run("db", "start", **env).returncode == 0
        status = _run("db", "status", **env)
        assert status.returncode == 0 and "running" in status.stdout
        migrated = _run("migrate", **env)
        assert migrated.returncode == 0, migrated.stderr
        assert "stopped" in _run("db", "stop", **env).stdout
        assert _run("db", "status", **env).returncode == 3
    finally:
        _run("db", "stop", **env)


def test_every_command_has_help() -> None:
    """`--help` works on the top command and on each sub-command."""
    top = _run("--help")
    assert top.returncode == 0
    for command in ("db", "migrate", "serve"):
        assert _run(command, "--help").returncode == 0
