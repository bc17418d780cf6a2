"""Sign-in and Open311 throttling: 429 with Retry-After per account, address and api_key, kept in
the database; a bounded number of password checks at once, so guessing cannot starve the API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from api_helpers import password_for
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from geo_assets import auth
from geo_assets.open311.keys import create_api_key
from geo_assets.settings import Settings

TOKEN = "/api/v1/auth/token"


@contextmanager
def worker(url: str, address: str = "10.0.0.1", **settings: object) -> Iterator[TestClient]:
    """A client at `address` on its own app (a separate worker) for the database at `url`."""
    app = create_app(Settings(database_url=url, **settings))
    with TestClient(app, raise_server_exceptions=False, client=(address, 40000)) as client:
        yield client


def sign_in(client: TestClient, username: str, password: str | None = None) -> int:
    """The status of one sign-in (the right password unless `password` is given)."""
    data = {"username": username, "password": password or password_for(username)}
    return client.post(TOKEN, data=data).status_code


def wrong(client: TestClient, username: str = "crew") -> int:
    """The status of one sign-in with a wrong password."""
    return sign_in(client, username, "not-the-password")


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the password hashes checked (and the most checked at the same moment)."""
    seen = {"calls": 0, "now": 0, "most": 0}
    lock = threading.Lock()
    real = auth.verify_password

    def counted(password_hash: str, password: str) -> bool:
        with lock:
            seen["calls"] += 1
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        try:
            return real(password_hash, password)
        finally:
            with lock:
                seen["now"] -= 1

    monkeypatch.setattr(auth, "verify_password", counted)
    return seen


def test_wrong_passwords_then_429_with_retry_after_then_the_user_gets_in(
    city_url: str, checks: dict[str, int]
) -> None:
    """N wrong passwords: 401 each, then 429 problem+json with Retry-After and no password
    checked; once the wait is over the right password works and clears the count."""
    with worker(city_url, login_failures_per_account=3, login_block_seconds=1) as client:
        assert [wrong(client) for _ in range(3)] == [401, 401, 401]
        before = checks["calls"]
        refused = client.post(TOKEN, data={"username": "crew", "password": password_for("crew")})
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["Retry-After"] == "1"
        assert "wait" in refused.json()["detail"]
        assert [wrong(client) for _ in range(5)] == [429] * 5
        assert checks["calls"] == before  # a blocked attempt costs no password hash
        time.sleep(1.2)
        assert sign_in(client, "crew") == 200
        assert [wrong(client) for _ in range(2)] == [401, 401]  # the count started again


def test_waits_double_and_are_capped(city_url: str, city: Engine) -> None:
    """After a block, one more failure in the window blocks the user name again, each wait
    twice the one before, up to the configured cap."""
    settings = {
        "login_failures_per_account": 2,
        "login_block_seconds": 10,
        "login_block_max_seconds": 30,
    }
    waits = []
    with worker(city_url, **settings) as client:
        assert [wrong(client), wrong(client)] == [401, 401]
        for _ in range(4):
            response = client.post(TOKEN, data={"username": "crew", "password": "x"})
            assert response.status_code == 429
            waits.append(int(response.headers["Retry-After"]))
            with city.begin() as conn:  # the wait is over (without sleeping through it)
                conn.execute(text("UPDATE throttle SET blocked_until = now()"))
            assert wrong(client) == 401  # checked, and blocks again at once
    assert waits == [10, 20, 30, 30]


def test_other_accounts_and_addresses_are_not_affected(city_url: str) -> None:
    """A blocked user name leaves other users alone; a blocked address leaves other addresses
    alone, even for the same user."""
    settings = {"login_failures_per_account": 3, "login_failures_per_address": 6}
    with (
        worker(city_url, "10.0.0.1", **settings) as office,
        worker(city_url, "10.0.0.2", **settings) as field,
    ):
        assert [wrong(office) for _ in range(3)] == [401] * 3
        assert sign_in(office, "crew") == 429
        assert sign_in(office, "staff") == 200
        assert sign_in(field, "staff") == 200
        assert [wrong(office, f"ghost{i}") for i in range(3)] == [401] * 3
        assert sign_in(office, "planner") == 429  # the address made 6 failures
        assert sign_in(field, "planner") == 200


def test_throttle_is_shared_by_worker_processes(city_url: str) -> None:
    """Failures counted by one worker block the user name on another worker too."""
    settings = {"login_failures_per_account": 4}
    with worker(city_url, **settings) as first, worker(city_url, **settings) as second:
        assert [wrong(first), wrong(second), wrong(first), wrong(second)] == [401] * 4
        assert sign_in(first, "crew") == 429 and sign_in(second, "crew") == 429


def test_full_password_gate_refuses_at_once_and_reads_go_on(
    city_url: str, checks: dict[str, int]
) -> None:
    """With every password-check slot taken, 20 parallel sign-ins get 503 + Retry-After without
    a hash being checked, while reads are answered; a freed slot lets sign-in work again."""
    settings = {"password_checks_per_process": 2, "password_check_queue": 0}
    with worker(city_url, **settings) as client:
        assert sign_in(client, "staff") == 200
        gate = client.app.state.password_gate  # type: ignore[attr-defined]
        assert gate.try_acquire() and gate.try_acquire() and not gate.try_acquire()
        before = checks["calls"]
        answers: list[tuple[int, str | None]] = []

        def guess(i: int) -> None:
            response = client.post(TOKEN, data={"username": f"user{i}", "password": "guess-1"})
            answers.append((response.status_code, response.headers.get("Retry-After")))

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        assert client.get("/api/v1/lamps").status_code == 200
        for thread in threads:
            thread.join(timeout=60)
        assert answers == [(503, "1")] * 20
        assert checks["calls"] == before
        gate.release()
        gate.release()
        assert sign_in(client, "crew") == 200


def test_a_sign_in_waits_briefly_for_a_slot_then_gives_up(city_url: str) -> None:
    """A queued sign-in waits at most password_check_wait_seconds for a slot, then 503."""
    settings = {"password_checks_per_process": 1, "password_check_wait_seconds": 0.3}
    with worker(city_url, **settings) as client:
        assert sign_in(client, "staff") == 200
        gate = client.app.state.password_gate  # type: ignore[attr-defined]
        assert gate.try_acquire()
        started = time.monotonic()
        assert sign_in(client, "crew") == 503
        assert time.monotonic() - started >= 0.3
        threading.Timer(0.1, gate.release).start()
        assert sign_in(client, "crew") == 200  # the slot came free while it waited


def test_parallel_guessers_never_check_more_passwords_than_the_slots(
    city_url: str, checks: dict[str, int]
) -> None:
    """16 parallel guessers on one process: never more than one hash checked at once; each
    guess is answered 401 (checked) or 503 (refused), never left to queue on the CPU."""
    settings = {
        "password_checks_per_process": 1,
        "password_check_queue": 4,
        "password_check_wait_seconds": 0.2,
    }
    statuses: list[int] = []
    with worker(city_url, **settings) as client:

        def guess(i: int) -> None:
            statuses.append(wrong(client, f"user{i}"))

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert checks["most"] == 1
    assert len(statuses) == 16 and set(statuses) <= {401, 503} and 401 in statuses


def _report(client: TestClient, key: str | None) -> tuple[int, str | None, list]:
    data = {"service_code": "streetlight_out", "lat": "-3.4401", "long": "114.8201"}
    if key is not None:
        data["api_key"] = key
    response = client.post("/open311/v2/requests.json", data=data)
    return response.status_code, response.headers.get("Retry-After"), response.json()


def test_open311_flood_with_one_api_key_gets_429(city_url: str, city: Engine) -> None:
    """Beyond open311_posts_per_key reports in the window, one api_key gets the GeoReport error
    429 with Retry-After and nothing more is stored; another key still reports."""
    with city.begin() as conn:
        flood = create_api_key(connection=conn, name="Flood")[1]
        other = create_api_key(connection=conn, name="Other app")[1]
    with worker(city_url, open311_posts_per_key=5, open311_window_seconds=60) as client:
        assert [_report(client, flood)[0] for _ in range(5)] == [200] * 5
        with city.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM service_request")).scalar_one()
        status, retry_after, body = _report(client, flood)
        assert (status, retry_after) == (429, "60")
        assert body[0]["code"] == 429 and "api_key" in body[0]["description"]
        assert _report(client, other)[0] == 200
        with city.connect() as conn:
            after = conn.execute(text("SELECT count(*) FROM service_request")).scalar_one()
        assert after == stored + 1


def test_open311_without_a_key_is_throttled_per_address(city_url: str, city: Engine) -> None:
    """POSTs without a valid api_key count per address: 403 each, then 429; another address and
    a valid key from elsewhere are unaffected."""
    with city.begin() as conn:
        key = create_api_key(connection=conn, name="Lapor")[1]
    settings = {"open311_posts_per_address": 3}
    with (
        worker(city_url, "10.0.0.7", **settings) as prober,
        worker(city_url, "10.0.0.8", **settings) as resident_app,
    ):
        assert [_report(prober, None)[0], _report(prober, "ga311.bad.key")[0]] == [403, 403]
        assert _report(prober, None)[0] == 403
        assert _report(prober, None)[:2] == (429, "60")
        assert _report(prober, key)[0] == 429
        assert _report(resident_app, None)[0] == 403
        assert _report(resident_app, key)[0] == 200


def test_nul_in_user_name_or_api_key_is_refused_not_a_server_error(client: TestClient) -> None:
    """A NUL byte in the user name is a 422 problem, in an api_key a GeoReport error (403, or
    400 where a NUL is refused in any field): never a 500."""
    response = client.post(TOKEN, data={"username": "cr\x00ew", "password": "whatever-1"})
    assert response.status_code == 422 and "NUL" in response.json()["detail"]
    status, _, body = _report(client, "ga311.ab\x00cd.secret")
    assert status in (400, 403) and body[0]["code"] == status
