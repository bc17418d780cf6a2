"""One Idempotency-Key is one report: a retry gets the first answer, the same key with another
report is a 422 that says so (one after the other or at once), on both event routes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO

import httpx
import pytest
from api_helpers import snapshot
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine, text

from tests.api.test_durability import PNG, sign_in

WHEN = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
FIRST = {"lamp": 1, "to_status": "out", "note": "Mati sejak semalam", "occurred_at": WHEN}


def png(colour: tuple[int, int, int]) -> bytes:
    """A small PNG of one colour."""
    out = BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


OTHER_PNG = png((200, 30, 30))
CHANGES = {
    "lamp": {"lamp": 3},
    "status": {"to_status": "damaged"},
    "note": {"note": "Tiang miring"},
    "occurred_at": {"occurred_at": WHEN - timedelta(minutes=5)},
}

Send = Callable[..., httpx.Response]


def api_event(http: TestClient | httpx.Client, who: dict, key: str, **report: object):
    """POST /api/v1/lamps/{id}/events with the report's JSON body."""
    report = {**FIRST, **report}
    body = {"to_status": report["to_status"], "note": report["note"]}
    if report["occurred_at"] is not None:
        body["occurred_at"] = report["occurred_at"].isoformat()
    return http.post(
        f"/api/v1/lamps/{report['lamp']}/events",
        headers={**who, "Idempotency-Key": key},
        json=body,
    )


def field_event(http: TestClient | httpx.Client, who: dict, key: str, **report: object):
    """POST /field/api/lamps/{id}/events as the field page sends it (multipart, photo)."""
    report = {"photo": PNG, **FIRST, **report}
    form = {"to_status": report["to_status"], "note": report["note"]}
    if report["occurred_at"] is not None:
        form["occurred_at"] = report["occurred_at"].isoformat()
    files = {"photo": ("foto.png", report["photo"], "image/png")} if report["photo"] else None
    return http.post(
        f"/field/api/lamps/{report['lamp']}/events",
        headers={**who, "Idempotency-Key": key},
        data=form,
        files=files,
    )


ROUTES = {"api": api_event, "field": field_event}
FIELD_CHANGES = {**CHANGES, "photo": {"photo": OTHER_PNG}, "no photo": {"photo": None}}


def stored_under(engine: Engine, key: str) -> list[tuple[int, str]]:
    """(lamp, status) of every event stored under `key`."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT lamp_id, to_status FROM lamp_event WHERE idempotency_key = :k"),
            {"k": key},
        )
        return [tuple(row) for row in rows]


def assert_key_reused(answer: httpx.Response, changed: str) -> None:
    """A 422 problem naming the key and what differs."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    detail = answer.json()["detail"]
    assert "Idempotency-Key" in detail and changed.split()[-1] in detail


def without_replayed(answer: dict) -> dict:
    """A /field answer without its two `replayed` flags."""
    event = {k: v for k, v in answer["event"].items() if k != "replayed"}
    return {**{k: v for k, v in answer.items() if k != "replayed"}, "event": event}


@pytest.mark.parametrize(
    ("route", "changed"),
    [("api", name) for name in CHANGES] + [("field", name) for name in FIELD_CHANGES],
)
def test_key_reused_for_another_report_is_422(
    client: TestClient, city: Engine, login, route: str, changed: str
) -> None:
    """A key sent again with another lamp, status, note, photo or time is refused with a 422
    saying why, and changes nothing."""
    send = ROUTES[route]
    key = uuid.uuid4().hex
    assert send(client, login("crew"), key).status_code == 201
    before = snapshot(city)
    change = {**CHANGES, **FIELD_CHANGES}[changed]
    assert_key_reused(send(client, login("crew"), key, **change), changed)
    assert snapshot(city) == before


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("given_time", [True, False], ids=["with time", "time defaulted"])
def test_replay_returns_the_first_answer(
    client: TestClient, city: Engine, login, route: str, given_time: bool
) -> None:
    """A retry of the same request (with or without occurred_at) gets the first event back,
    the same body, and records nothing."""
    send = ROUTES[route]
    key = uuid.uuid4().hex
    when = {} if given_time else {"occurred_at": None}
    first = send(client, login("crew"), key, **when)
    assert first.status_code == 201, first.text
    before = snapshot(city)
    again = send(client, login("crew"), key, **when)
    assert again.status_code in (200, 201) and again.headers["Idempotency-Replayed"] == "true"
    if route == "api":
        assert again.json() == first.json()
    else:  # the field answer also says whether it was a replay
        assert without_replayed(again.json()) == without_replayed(first.json())
    assert snapshot(city) == before


def at_once(*sends: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run the sends in threads released together; their answers in order."""
    gate = threading.Barrier(len(sends))
    answers: list[httpx.Response | None] = [None] * len(sends)

    def run(index: int) -> None:
        gate.wait()
        answers[index] = sends[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(answer is not None for answer in answers)
    return answers  # type: ignore[return-value]


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_same_key_for_two_lamps_at_once(server: httpx.Client, city: Engine, route: str) -> None:
    """The same key sent at the same moment for two lamps: one report is recorded and answered,
    the other is a 422; no client ever receives the other lamp's event."""
    send = ROUTES[route]
    crew = sign_in(server, "crew")
    for _ in range(12):
        key = uuid.uuid4().hex
        answers = at_once(
            lambda key=key: send(server, crew, key, lamp=1, note=None),
            lambda key=key: send(server, crew, key, lamp=4, note=None),
        )
        codes = sorted(answer.status_code for answer in answers)
        assert codes == [201, 422], [answer.text for answer in answers]
        for lamp, answer in zip((1, 4), answers, strict=True):
            if answer.status_code == 201:
                event = answer.json() if route == "api" else answer.json()["event"]
                assert event["lamp_id"] == lamp
                assert stored_under(city, key) == [(lamp, "out")]
