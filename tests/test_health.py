"""`/health` says whether the database answers, its versions and the lamp count."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from api.routes import health
from geo_assets.settings import Settings
from tests.factories import add_lamp


def test_health_reports_versions_and_lamps(db_url: str) -> None:
    """A reachable database gives PostgreSQL and PostGIS versions and lamps = 0 when empty."""
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        body = client.get("/health").json()
    assert body["database"] is True and body["lamps"] == 0
    assert body["postgresql"].startswith("15") and body["postgis"].startswith("3")


def test_health_says_when_database_is_down() -> None:
    """An unreachable database gives 503 with the reason, not a stack trace."""
    settings = Settings(database_url="postgresql://nobody@127.0.0.1:1/none")
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 503 and response.json()["database"] is False
    assert "127.0.0.1" in response.json()["detail"] or "refused" in response.json()["detail"]


def test_unknown_route_is_problem_json(db_url: str) -> None:
    """An unknown route answers 404 as application/problem+json with an actionable detail."""
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "/docs" in response.json()["detail"]


def test_health_estimates_lamps_in_a_large_table(
    city_url: str, city: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the exact-count bound /health answers the planner's estimate and says so."""
    with city.begin() as connection:
        for number in range(1, 4):
            add_lamp(connection, code=f"PJU-63.72.04-{number:05d}", lon=114.83 + number / 1000)
        lamps = connection.execute(text("SELECT count(*) FROM lamp")).scalar_one()
    with city.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE lamp"))
    with TestClient(create_app(Settings(database_url=city_url))) as client:
        exact = client.get("/health").json()
        monkeypatch.setattr(health, "EXACT_COUNT_BELOW", 1)
        estimated = client.get("/health").json()
    assert lamps > 1
    assert (exact["lamps"], exact["lamps_estimated"]) == (lamps, False)
    assert estimated["lamps_estimated"] is True and estimated["lamps"] == lamps
