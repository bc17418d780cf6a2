"""One rule for a lamp event on /field and /api/v1: the same clock skew, the same answer to a
replay, the idempotency key looked up once and the lamp locked once per report."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from api.main import create_app
from geo_assets.settings import Settings
from tests.workorders.crews import Crew, sign_in

LAMP_LOCK = re.compile(r"\bFROM lamp\b.*\bFOR UPDATE\b", re.DOTALL | re.IGNORECASE)
KEY_LOOKUP = re.compile(r"^\s*SELECT\b.*\bidempotency_key = ", re.DOTALL | re.IGNORECASE)


def _field(client: TestClient, who: dict, lamp_id: int, key: str, **form: str) -> httpx.Response:
    """A report as the field page sends it (multipart form)."""
    return client.post(
        f"/field/api/lamps/{lamp_id}/events",
        data={"to_status": "out", **form},
        headers={**who, "Idempotency-Key": key},
    )


def _api(client: TestClient, who: dict, lamp_id: int, key: str, **body: str) -> httpx.Response:
    """A report as an API client sends it (JSON)."""
    return client.post(
        f"/api/v1/lamps/{lamp_id}/events",
        json={"to_status": "out", **body},
        headers={**who, "Idempotency-Key": key},
    )


def _ahead(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def test_a_time_seven_minutes_ahead_gets_one_answer_on_both_routes(
    client: TestClient, crew: Crew
) -> None:
    """occurred_at 7 min ahead is accepted on /field and /api/v1 (default skew 10 min); 15 min
    ahead is refused on both with the same message."""
    budi = sign_in(client, "budi")
    field = _field(client, budi, crew.lamp_a, uuid.uuid4().hex, occurred_at=_ahead(7))
    api = _api(client, budi, crew.lamp_b, uuid.uuid4().hex, occurred_at=_ahead(7))
    assert (field.status_code, api.status_code) == (201, 201), (field.text, api.text)
    late_field = _field(client, budi, crew.lamp_a, uuid.uuid4().hex, occurred_at=_ahead(15))
    late_api = _api(client, budi, crew.lamp_b, uuid.uuid4().hex, occurred_at=_ahead(15))
    assert (late_field.status_code, late_api.status_code) == (422, 422)
    messages = [r.json()["detail"].split(" lies ")[1] for r in (late_field, late_api)]
    assert messages[0] == messages[1] and "10 minutes" in messages[0]


def test_the_clock_skew_is_a_setting(settings: Settings, crew: Crew) -> None:
    """With event_clock_skew_minutes=3, 5 minutes ahead is refused on both routes."""
    strict = settings.model_copy(update={"event_clock_skew_minutes": 3})
    with TestClient(create_app(strict)) as client:
        budi = sign_in(client, "budi")
        field = _field(client, budi, crew.lamp_a, uuid.uuid4().hex, occurred_at=_ahead(5))
        api = _api(client, budi, crew.lamp_b, uuid.uuid4().hex, occurred_at=_ahead(5))
    assert (field.status_code, api.status_code) == (422, 422)
    assert "3 minutes" in field.json()["detail"] and "3 minutes" in api.json()["detail"]


def test_a_replay_answers_201_on_both_routes(client: TestClient, crew: Crew) -> None:
    """A retried report answers the first answer's status (201), flagged as a replay, on both."""
    budi = sign_in(client, "budi")
    field_key, api_key = uuid.uuid4().hex, uuid.uuid4().hex
    field = [_field(client, budi, crew.lamp_a, field_key) for _ in range(2)]
    api = [_api(client, budi, crew.lamp_b, api_key) for _ in range(2)]
    assert [r.status_code for r in field] == [r.status_code for r in api] == [201, 201]
    assert field[1].headers["Idempotency-Replayed"] == api[1].headers["Idempotency-Replayed"]
    assert field[1].json()["event"]["id"] == field[0].json()["event"]["id"]
    assert api[1].json()["id"] == api[0].json()["id"]


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the app sends on `engine` inside the block."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_report_looks_its_key_up_once_and_locks_its_lamp_once(
    client: TestClient, crew: Crew
) -> None:
    """On /field and /api/v1, a new report and its replay each read the key once and lock the
    lamp once."""
    budi = sign_in(client, "budi")
    engine: Engine = client.app.state.engine
    for send, lamp_id in ((_field, crew.lamp_a), (_api, crew.lamp_b)):
        key = uuid.uuid4().hex
        for attempt in ("new", "replay"):
            with _statements(engine) as sent:
                assert send(client, budi, lamp_id, key).status_code == 201
            locks = [s for s in sent if LAMP_LOCK.search(s)]
            lookups = [s for s in sent if KEY_LOOKUP.search(s)]
            assert (len(locks), len(lookups)) == (1, 1), (send.__name__, attempt, locks, lookups)
