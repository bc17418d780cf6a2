"""One catalogue of services: work orders and Open311 name a service alike, and work orders
stand below Open311 (they read the catalogue, never the Open311 package)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets.settings import Settings
from tests.open311.builders import PASSWORD, add_user

ROOT = Path(__file__).resolve().parents[2]
WORK_ORDER_MODULES = ("geo_assets/workorders.py", "geo_assets/workorder_views.py")


def _imported_modules(path: Path) -> set[str]:
    """Every module an import statement of `path` names, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_work_orders_do_not_import_open311() -> None:
    """geo_assets.workorders (and its views) import nothing of geo_assets.open311, directly or
    through what they import."""
    for module in WORK_ORDER_MODULES:
        named = _imported_modules(ROOT / module)
        assert not [n for n in named if n.startswith("geo_assets.open311")], module
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, geo_assets.workorders; "
            "print(sorted(m for m in sys.modules if m.startswith('geo_assets.open311')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


@pytest.fixture
def city_client(seeded_url: str, seeded_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The app on this test's copy of the seeded city, with a staff member to sign in."""
    with seeded_engine.begin() as conn:
        add_user(conn, "siti", "staff")
    settings = Settings(database_url=seeded_url, media_dir=tmp_path / "media")
    with TestClient(create_app(settings)) as client:
        yield client


def test_open311_and_work_orders_show_the_same_names(
    city_client: TestClient, seeded_engine: Engine
) -> None:
    """Every service of the seeded work orders is listed by Open311 GET services, under the
    name the work order shows."""
    listed = {
        s["service_code"]: s["service_name"]
        for s in city_client.get("/open311/v2/services.json").json()
    }
    with seeded_engine.connect() as conn:
        one_per_service = conn.execute(
            text(
                "SELECT DISTINCT ON (service_code) service_code, id FROM service_request "
                "WHERE duplicate_of_id IS NULL ORDER BY service_code, id"
            )
        ).all()
    token = city_client.post(
        "/api/v1/auth/token", data={"username": "siti", "password": PASSWORD}
    ).json()["access_token"]
    staff = {"Authorization": f"Bearer {token}"}
    assert len(one_per_service) == len(listed)
    for code, order_id in one_per_service:
        order = city_client.get(f"/api/v1/workorders/{order_id}", headers=staff).json()
        assert code in listed, f"{code} is not an Open311 service"
        assert order["service_name"] == listed[code]
