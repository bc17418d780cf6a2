"""Sign-in and accounts: tokens that expire, hashed secrets, the `users` commands."""

from __future__ import annotations

from api_helpers import password_for
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app as cli


def test_token_flow_and_me(client: TestClient) -> None:
    """The password form gives a bearer token that identifies the user."""
    response = client.post(
        "/api/v1/auth/token", data={"username": "crew", "password": password_for("crew")}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 720 * 60
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"username": "crew", "role": "crew", "full_name": None}


def test_wrong_password_unknown_user_bad_token_are_401(client: TestClient) -> None:
    """Wrong password, unknown user and a made-up token each get a 401 problem."""
    for data in (
        {"username": "crew", "password": "nope-nope"},
        {"username": "ghost", "password": "whatever1"},
    ):
        response = client.post("/api/v1/auth/token", data=data)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    bad = client.get("/api/v1/lamps", headers={"Authorization": "Bearer made-up"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/v1/auth/me").status_code == 401


def test_secrets_are_stored_hashed(client: TestClient, city: Engine, login) -> None:
    """Passwords are argon2 hashes and tokens are stored only as SHA-256."""
    token = login("staff")["Authorization"].split()[1]
    with city.connect() as conn:
        password_hash = conn.execute(
            text("SELECT password_hash FROM app_user WHERE username = 'staff'")
        ).scalar_one()
        stored = conn.execute(text("SELECT token_hash FROM access_token")).scalars().all()
        audit = conn.execute(
            text(
                "SELECT after::text FROM audit_log WHERE table_name IN ('app_user', 'access_token')"
            )
        ).scalars()
        audit_text = " ".join(audit)
    assert password_hash.startswith("$argon2id$")
    assert token not in stored and len(stored[0]) == 64
    assert "argon2" not in audit_text and stored[0] not in audit_text


def test_expired_token_is_refused(client: TestClient, city: Engine, login) -> None:
    """A token past its expiry no longer works."""
    headers = login("staff")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    with city.begin() as conn:
        conn.execute(text("UPDATE access_token SET expires_at = now() - interval '1 minute'"))
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_users_cli_create_list_disable(client: TestClient, city_url: str, monkeypatch) -> None:
    """`users create` (generated or stdin password), `users list`, `users disable`."""
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", city_url)
    runner = CliRunner()
    made = runner.invoke(cli, ["users", "create", "budi", "--role", "crew"])
    assert made.exit_code == 0, made.output
    generated = made.output.strip().splitlines()[-1]
    token = client.post("/api/v1/auth/token", data={"username": "budi", "password": generated})
    assert token.status_code == 200
    piped = runner.invoke(
        cli,
        ["users", "create", "sari", "--role", "planner", "--password-stdin"],
        input="sari-password-1\n",
    )
    assert piped.exit_code == 0 and "sari-password-1" not in piped.output
    listed = runner.invoke(cli, ["users", "list"])
    assert "budi" in listed.output and "planner" in listed.output
    bad_role = runner.invoke(cli, ["users", "create", "x", "--role", "boss"])
    assert bad_role.exit_code == 1 and "Allowed: admin, staff, crew, planner" in bad_role.output
    assert runner.invoke(cli, ["users", "disable", "budi"]).exit_code == 0
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    again = client.post("/api/v1/auth/token", data={"username": "budi", "password": generated})
    assert again.status_code == 401
