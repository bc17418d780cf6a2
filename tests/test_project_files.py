"""Project files a newcomer relies on: compose file, settings example, the two commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from geo_assets.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_is_valid() -> None:
    """`docker-compose config` accepts the file; the app uses GEO_ASSETS_DATABASE_URL on db."""
    assert shutil.which("docker-compose"), "docker-compose (Debian package) is not installed"
    result = subprocess.run(
        ["docker-compose", "config"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "postgis/postgis" in result.stdout and "service_healthy" in result.stdout
    assert "GEO_ASSETS_DATABASE_URL: postgresql+psycopg://geo_assets:" in result.stdout


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
