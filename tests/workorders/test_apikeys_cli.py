"""`geo-assets apikeys create|list|revoke` as an administrator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets.settings import Settings

CLI = [sys.executable, "-m", "cli.main", "apikeys"]


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")}
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, "GEO_ASSETS_DATABASE_URL": db_url, "COLUMNS": "200"},
    )


def _post(client: TestClient, key: str) -> int:
    return client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "cemetery_road_damaged",
            "address_string": "Jl. Karang Anyar, TPU Liang Anggang",
        },
    ).status_code


def test_create_list_revoke(db_url: str, engine: Engine, tmp_path: Path) -> None:
    """The key is alone on the last line, only its hash is stored, it works until revoked."""
    created = _run(db_url, "create", "Aplikasi Lapor Banjarbaru")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("ga311.") and " " not in key
    prefix = key.split(".")[1]
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT prefix, key_hash FROM api_key")).one()
        audit = (
            conn.execute(text("SELECT after::text FROM audit_log WHERE table_name = 'api_key'"))
            .scalars()
            .all()
        )
    assert stored.prefix == prefix and key not in stored.key_hash and len(stored.key_hash) == 64
    assert audit and all(key not in row and stored.key_hash not in row for row in audit)
    listed = _run(db_url, "list").stdout
    assert prefix in listed and "Aplikasi Lapor Banjarbaru" in listed and "yes" in listed
    with TestClient(create_app(Settings(database_url=db_url, media_dir=tmp_path))) as client:
        assert _post(client, key) == 200
        revoked = _run(db_url, "revoke", prefix)
        assert revoked.returncode == 0 and prefix in revoked.stdout
        assert _post(client, key) == 403
    assert "revoked" in _run(db_url, "list").stdout


def test_unknown_prefix_and_empty_name_fail_cleanly(db_url: str) -> None:
    """A wrong prefix or an empty name is one red line and exit status 1."""
    unknown = _run(db_url, "revoke", "nothere1")
    assert unknown.returncode == 1 and "no API key with prefix" in unknown.stderr
    empty = _run(db_url, "create", "  ")
    assert empty.returncode == 1 and "name" in empty.stderr
    assert "Traceback" not in unknown.stderr + empty.stderr
