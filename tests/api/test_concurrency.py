"""50 crews at once against a real server on the seeded city: no stall, no error, and every
acknowledged event stored exactly once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from live_server import live_server, wait_until_disconnected
from sqlalchemy import Engine, text

from geo_assets import auth
from geo_assets.settings import Settings

CREWS = 50
EVENTS_EACH = 4
STATUSES = ("out", "in_repair", "working", "damaged")


@pytest.fixture
def seeded_server(seeded_url: str, seeded_engine: Engine) -> Iterator[tuple[str, list[int]]]:
    """A real uvicorn server (default pool settings) on this test's copy of the seeded city,
    a crew account `regu` and one lamp for each crew."""
    with seeded_engine.begin() as conn:
        auth.create_user(
            connection=conn, username="regu", role="crew", password="regu-pass-123", actor="test"
        )
        lamps = list(conn.execute(text("SELECT id FROM lamp ORDER BY id LIMIT :n"), {"n": CREWS}))
    with live_server(Settings(database_url=seeded_url)) as base:
        yield base, [lamp for (lamp,) in lamps]
    wait_until_disconnected(seeded_engine)


def crew_shift(base: str, token: str, lamp: int, gate: threading.Barrier, out: list) -> None:
    """One crew: wait for the others, then post EVENTS_EACH reports on its lamp."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30) as http:
        gate.wait()
        for status in STATUSES[:EVENTS_EACH]:
            key = uuid.uuid4().hex
            try:
                answer = http.post(
                    f"/api/v1/lamps/{lamp}/events",
                    headers={**headers, "Idempotency-Key": key},
                    json={"to_status": status},
                )
                out.append((key, answer.status_code, answer.json().get("id")))
            except httpx.HTTPError as exc:
                out.append((key, type(exc).__name__, None))


def test_fifty_crews_at_once_lose_nothing(
    seeded_server: tuple[str, list[int]], seeded_engine: Engine
) -> None:
    """50 threads post at once: every answer is a 201 (no error, no timeout), /health answers
    in under 2 s meanwhile, and each acknowledged event is stored exactly once."""
    base, lamps = seeded_server
    with httpx.Client(base_url=base, timeout=30) as http:
        token = http.post(
            "/api/v1/auth/token", data={"username": "regu", "password": "regu-pass-123"}
        ).json()["access_token"]
    gate = threading.Barrier(CREWS + 1)
    answers: list[tuple[str, int | str, int | None]] = []
    crews = [
        threading.Thread(target=crew_shift, args=(base, token, lamp, gate, answers))
        for lamp in lamps
    ]
    for crew in crews:
        crew.start()
    gate.wait()
    time.sleep(0.3)  # the crews are at it
    started = time.monotonic()
    assert httpx.get(f"{base}/health", timeout=10).status_code == 200
    assert time.monotonic() - started < 2
    for crew in crews:
        crew.join(120)
    assert len(answers) == CREWS * EVENTS_EACH
    assert [a for a in answers if a[1] != 201] == []
    with seeded_engine.connect() as conn:
        stored = dict(
            conn.execute(
                text(
                    "SELECT idempotency_key, array_agg(id) FROM lamp_event "
                    "WHERE idempotency_key = ANY(:keys) GROUP BY 1"
                ),
                {"keys": [key for key, _, _ in answers]},
            ).all()
        )
    assert {key: [event_id] for key, _, event_id in answers} == stored
