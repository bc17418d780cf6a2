"""Tokens can be revoked: sign-out revokes the token used, disabling a user revokes them all."""

from __future__ import annotations

from api_helpers import bearer, make_client
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app as cli


def test_logout_revokes_the_token_it_is_called_with(client: TestClient) -> None:
    """POST /auth/logout answers 204; that token then gets 401, another token still works."""
    first, second = bearer(client, "crew"), bearer(client, "crew")
    assert client.get("/api/v1/auth/me", headers=first).status_code == 200
    response = client.post("/api/v1/auth/logout", headers=first)
    assert response.status_code == 204 and response.content == b""
    refused = client.get("/api/v1/auth/me", headers=first)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 401
    assert client.get("/api/v1/auth/me", headers=second).status_code == 200


def test_logout_without_a_token_is_401(client: TestClient) -> None:
    """Signing out needs a valid token."""
    assert client.post("/api/v1/auth/logout").status_code == 401
    made_up = {"Authorization": "Bearer made-up"}
    assert client.post("/api/v1/auth/logout", headers=made_up).status_code == 401


def test_revoked_token_is_refused_by_another_worker(client: TestClient, city_url: str) -> None:
    """A second app process on the same database refuses the revoked token too."""
    headers = bearer(client, "staff")
    with make_client(city_url) as other_worker:
        assert other_worker.get("/api/v1/auth/me", headers=headers).status_code == 200
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
        assert other_worker.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_logout_is_in_the_audit_log(client: TestClient, city: Engine) -> None:
    """The revocation is recorded with who did it."""
    headers = bearer(client, "planner")
    client.post("/api/v1/auth/logout", headers=headers)
    with city.connect() as conn:
        row = conn.execute(
            text(
                "SELECT actor, after ->> 'revoked_at' FROM audit_log "
                "WHERE table_name = 'access_token' AND action = 'update'"
            )
        ).one()
    assert row.actor == "planner" and row[1] is not None


def test_disabling_a_user_revokes_every_token_end_to_end(
    client: TestClient, city_url: str, city: Engine, monkeypatch
) -> None:
    """`geo-assets users disable` revokes all the user's tokens at once; others keep theirs."""
    tokens = [bearer(client, "crew") for _ in range(3)]
    staff = bearer(client, "staff")
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", city_url)
    result = CliRunner().invoke(cli, ["users", "disable", "crew"])
    assert result.exit_code == 0, result.output
    for headers in tokens:
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
        event = client.post("/api/v1/lamps/1/events", json={"to_status": "out"}, headers=headers)
        assert event.status_code == 401
    assert client.get("/api/v1/auth/me", headers=staff).status_code == 200
    with city.connect() as conn:
        live = conn.execute(
            text(
                "SELECT count(*) FROM access_token t JOIN app_user u ON u.id = t.user_id "
                "WHERE u.username = 'crew' AND t.revoked_at IS NULL"
            )
        ).scalar_one()
    assert live == 0
