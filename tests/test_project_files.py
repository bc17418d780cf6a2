"""Project files a newcomer relies on: compose file, settings example, the two commands."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from geo_assets.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _compose_config(**env: str) -> subprocess.CompletedProcess[str]:
    """`docker-compose config` with only `env` set (no .env file, no GEO_ASSETS_* variables)."""
    assert shutil.which("docker-compose"), "docker-compose (Debian package) is not installed"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    with tempfile.NamedTemporaryFile(suffix=".env") as empty_env_file:
        return subprocess.run(
            ["docker-compose", "--env-file", empty_env_file.name, "config"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**clean, **env},
        )


def test_docker_compose_is_valid() -> None:
    """`docker-compose config` accepts the file; the app uses GEO_ASSETS_DATABASE_URL on db."""
    result = _compose_config(GEO_ASSETS_DB_PASSWORD="a8f3c1e9d2b74f60a1c5")
    assert result.returncode == 0, result.stderr
    assert "postgis/postgis" in result.stdout and "service_healthy" in result.stdout
    assert (
        "GEO_ASSETS_DATABASE_URL: postgresql+psycopg://geo_assets:a8f3c1e9d2b74f60a1c5@db:5432"
        in result.stdout
    )
    assert "POSTGRES_PASSWORD: a8f3c1e9d2b74f60a1c5" in result.stdout


def test_docker_compose_has_no_default_password() -> None:
    """Without GEO_ASSETS_DB_PASSWORD compose refuses and says which variable to set."""
    result = _compose_config()
    assert result.returncode != 0
    assert "set GEO_ASSETS_DB_PASSWORD" in result.stderr
    assert "change-me" not in (ROOT / "docker-compose.yml").read_text()


def test_unused_secret_key_is_gone() -> None:
    """No `secret_key` setting, and no GEO_ASSETS_SECRET_KEY in compose or .env.example."""
    assert "secret_key" not in Settings.model_fields
    for name in ("docker-compose.yml", ".env.example", "Dockerfile"):
        assert "SECRET_KEY" not in (ROOT / name).read_text(), name


def test_image_runs_as_a_non_root_user() -> None:
    """The Dockerfile's last USER line names an unprivileged user, before the CMD."""
    lines = [line.split() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    users = [index for index, words in enumerate(lines) if words[:1] == ["USER"]]
    assert users, "the Dockerfile has no USER line: the app would run as root"
    user = lines[users[-1]][1].split(":")[0]
    assert user not in ("root", "0")
    command = max(index for index, words in enumerate(lines) if words[:1] == ["CMD"])
    assert users[-1] < command


def test_env_example_documents_every_setting() -> None:
    """Each setting appears in .env.example under its GEO_ASSETS_ name."""
    example = (ROOT / ".env.example").read_text()
    missing = [
        f"GEO_ASSETS_{name.upper()}"
        for name in Settings.model_fields
        if f"GEO_ASSETS_{name.upper()}" not in example
    ]
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    """README's first command block is `make run` and `make test`; CI runs `make test`."""
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _conftest_imports(path: Path) -> list[str]:
    """`file:line` of each import in `path` that names a conftest module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        if any(module.split(".")[-1] == "conftest" for module in modules):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_tests_import_nothing_from_a_conftest() -> None:
    """No test module imports a conftest: shared helpers live in ordinary modules."""
    tests = sorted((ROOT / "tests").rglob("*.py"))
    assert len(tests) > 50
    assert [hit for path in tests for hit in _conftest_imports(path)] == []
