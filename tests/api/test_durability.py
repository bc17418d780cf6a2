"""A write is committed before it is acknowledged: when COMMIT fails the client gets no 2xx and
nothing of the request is stored, on every write path (real uvicorn server, real PostGIS)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from api_helpers import password_for, snapshot
from live_server import live_server, wait_until_disconnected
from sqlalchemy import Engine, text

from geo_assets.open311.keys import create_api_key
from geo_assets.settings import Settings

# Every table a write path touches gets a constraint trigger that runs at COMMIT (deferred) and
# makes the COMMIT fail: by an error, or by the backend being killed as in a database outage.
FAILURES = {
    "error": "RAISE EXCEPTION 'COMMIT refused by the test'",
    "terminated": "PERFORM pg_terminate_backend(pg_backend_pid())",
}
TABLES = ("lamp", "lamp_event", "service_request", "access_token", "audit_log", "plot")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def fail_every_commit(engine: Engine, failure: str) -> None:
    """From now on, any COMMIT that wrote to one of TABLES fails in the given way."""
    with engine.begin() as conn:
        conn.execute(
            text(f"""
            CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {FAILURES[failure]}; RETURN NULL; END $$""")
        )
        for table in TABLES:
            conn.execute(
                text(f"""
                CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT OR UPDATE OR DELETE
                ON {table} DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION fail_at_commit()""")
            )


def sign_in(http: httpx.Client, role: str) -> dict[str, str]:
    """The Authorization header of the test user of `role`."""
    answer = http.post(
        "/api/v1/auth/token", data={"username": role, "password": password_for(role)}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def change_plot(http: httpx.Client, staff: dict[str, str]) -> httpx.Response:
    """Reserve a plot, naming the version read (If-Match)."""
    etag = http.get("/api/v1/plots/TPU-01-A-1-2").headers["ETag"]
    return http.patch(
        "/api/v1/plots/TPU-01-A-1-2",
        headers={**staff, "If-Match": etag},
        json={"properties": {"status": "reserved"}},
    )


Write = Callable[[httpx.Client, dict[str, dict[str, str]], str], httpx.Response]
WRITES: dict[str, Write] = {
    "lamp event (API)": lambda http, who, _key: http.post(
        "/api/v1/lamps/PJU-63.72.04-00001/events",
        headers={**who["crew"], "Idempotency-Key": uuid.uuid4().hex},
        json={"to_status": "out", "note": "mati"},
    ),
    "lamp event with photo (/field)": lambda http, who, _key: http.post(
        "/field/api/lamps/1/events",
        headers={**who["crew"], "Idempotency-Key": uuid.uuid4().hex},
        data={"to_status": "damaged"},
        files={"photo": ("foto.png", PNG, "image/png")},
    ),
    "new lamp (inventory)": lambda http, who, _key: http.post(
        "/api/v1/lamps",
        headers=who["staff"],
        json={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [114.831, -3.441]},
            "properties": {
                "code": "PJU-63.72.04-00050",
                "lamp_type": "led",
                "wattage": 40,
                "pole_height_m": 7,
            },
        },
    ),
    "plot change (inventory)": lambda http, who, _key: change_plot(http, who["staff"]),
    "work order assignment": lambda http, who, _key: http.post(
        "/api/v1/workorders/1/assign", headers=who["staff"], json={"assignee": "crew"}
    ),
    "sign-in (token issue)": lambda http, _who, _key: http.post(
        "/api/v1/auth/token", data={"username": "crew", "password": password_for("crew")}
    ),
    "Open311 report": lambda http, _who, key: http.post(
        "/open311/v2/requests.json",
        data={"api_key": key, "service_code": "streetlight_out", "lat": "-3.44", "long": "114.82"},
    ),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("write", sorted(WRITES))
def test_failed_commit_is_never_acknowledged(
    server: httpx.Client, city: Engine, write: str, failure: str
) -> None:
    """A write whose COMMIT fails answers an error (503 when the connection died), not a 2xx,
    and leaves every table as it was."""
    who = {role: sign_in(server, role) for role in ("crew", "staff")}
    with city.begin() as conn:
        _, api_key = create_api_key(connection=conn, name="Lapor")
    fail_every_commit(city, failure)
    before = snapshot(city)
    answer = WRITES[write](server, who, api_key)
    assert answer.status_code >= 500, f"{write}: {answer.status_code} {answer.text}"
    # Open311 answers an outage (503) in GeoReport's own error list, as its other errors.
    outage_in_open311 = write.startswith("Open311") and failure == "terminated"
    expected = "application/json" if outage_in_open311 else "application/problem+json"
    assert answer.headers["content-type"].split(";")[0] == expected
    if failure == "terminated":
        assert answer.status_code == 503 and int(answer.headers["Retry-After"]) > 0
    assert snapshot(city) == before
    with city.connect() as conn:  # the server serves again on its next request
        conn.execute(text("DROP FUNCTION fail_at_commit() CASCADE"))
        conn.commit()
    assert server.get("/api/v1/lamps/1/events", headers=who["crew"]).status_code == 200


def test_failed_commit_leaves_no_photo_file(city_url: str, city: Engine, tmp_path: Path) -> None:
    """A /field report with a photo whose COMMIT fails stores no event and writes no photo file
    (the photo is written only once the event is committed)."""
    media = tmp_path / "media"
    with (
        live_server(Settings(database_url=city_url, media_dir=media)) as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        crew = sign_in(http, "crew")
        fail_every_commit(city, "error")
        before = snapshot(city)
        answer = WRITES["lamp event with photo (/field)"](http, {"crew": crew}, "")
        assert answer.status_code >= 500, answer.text
        assert snapshot(city) == before
        assert [p for p in media.rglob("*") if p.is_file()] == []
    wait_until_disconnected(city)
