"""`/health` says whether the database answers, its versions and the lamp count."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from geo_assets.settings import Settings


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
