"""A crew's status reports from the field: work orders they open or close, retries, photos."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import text

from geo_assets.photos import MAX_PHOTO_BYTES
from geo_assets.settings import Settings
from tests.open311.builders import lamp_events
from tests.workorders.crews import Crew, report, sign_in


def _send(
    client: TestClient,
    who: dict,
    lamp_id: int,
    status: str,
    key: str | None = None,
    photo: bytes | None = None,
    **form: str,
):
    files = {"photo": ("foto.jpg", photo, "image/jpeg")} if photo is not None else None
    return client.post(
        f"/field/api/lamps/{lamp_id}/events",
        data={"to_status": status, **form},
        files=files,
        headers={**who, "Idempotency-Key": key or uuid.uuid4().hex},
    )


def _orders(crew: Crew) -> list[tuple]:
    with crew.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT lamp_id, source, work_state, resolution, assignee_id "
                    "FROM service_request "
                    "ORDER BY id"
                )
            )
        ]


def _phone_photo() -> bytes:
    """A JPEG as a phone makes it: EXIF with a GPS position, camera model and orientation."""
    image = Image.new("RGB", (2400, 1800), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "Pixel 9"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    exif[0x8825] = {1: "S", 2: (3.0, 26.0, 40.0), 3: "E", 4: (114.0, 49.0, 50.0)}  # GPSInfo
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def test_fault_event_without_request_opens_a_work_order(client: TestClient, crew: Crew) -> None:
    """Budi marks lamp A out: one field work order opens; 'working' later resolves it as fixed."""
    budi = sign_in(client, "budi")
    response = _send(client, budi, crew.lamp_a, "out", note="Lampu padam")
    assert response.status_code == 201
    order_id = response.json()["work_order_id"]
    assert _orders(crew) == [(crew.lamp_a, "field", "open", None, None)]
    shown = client.get(f"/open311/v2/requests/{order_id}.json").json()[0]
    assert shown["status"] == "open" and "petugas" in shown["service_notice"]
    fixed = _send(client, budi, crew.lamp_a, "working")
    assert fixed.json()["work_order_id"] == order_id
    assert _orders(crew) == [(crew.lamp_a, "field", "resolved", "fixed", None)]
    assert client.get(f"/open311/v2/requests/{order_id}.json").json()[0]["status"] == "closed"


def test_fault_event_joins_the_residents_order(client: TestClient, crew: Crew) -> None:
    """A crew's 'damaged' on a lamp residents reported joins that order; none is added."""
    order_id = report(client, crew)
    response = _send(client, sign_in(client, "budi"), crew.lamp_a, "damaged")
    assert response.json()["work_order_id"] == order_id
    assert len(_orders(crew)) == 1


def test_in_repair_starts_the_order_for_the_crew(client: TestClient, crew: Crew) -> None:
    """'Dalam perbaikan' puts the lamp's order in progress, assigned to the crew member."""
    order_id = report(client, crew)
    _send(client, sign_in(client, "budi"), crew.lamp_a, "in_repair")
    assert _orders(crew) == [(crew.lamp_a, "open311", "in_progress", None, crew.budi.id)]
    assert order_id


def test_retry_with_the_same_key_records_once(client: TestClient, crew: Crew) -> None:
    """The same Idempotency-Key sent three times is one event, one work order, three 201s."""
    budi = sign_in(client, "budi")
    answers = [
        _send(client, budi, crew.lamp_a, "out", key="phone-42-report-0001") for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[2].headers["Idempotency-Replayed"] == "true"
    assert len({a.json()["event"]["id"] for a in answers}) == 1
    with crew.engine.connect() as conn:
        assert lamp_events(conn, crew.lamp_a) == [("working", "import"), ("out", "field")]
    assert len(_orders(crew)) == 1


def test_key_reused_for_another_report_is_422(client: TestClient, crew: Crew) -> None:
    """A key already used for 'out' cannot record 'working' (issue 9: a 422 that says so)."""
    budi = sign_in(client, "budi")
    _send(client, budi, crew.lamp_a, "out", key="phone-42-report-0002")
    response = _send(client, budi, crew.lamp_a, "working", key="phone-42-report-0002")
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["detail"]


def test_late_offline_event_keeps_history_and_leaves_orders(client: TestClient, crew: Crew) -> None:
    """An 'out' seen before the lamp's newest event takes its place in history, opens nothing."""
    budi = sign_in(client, "budi")
    _send(client, budi, crew.lamp_a, "working")
    earlier = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    response = _send(client, budi, crew.lamp_a, "out", occurred_at=earlier)
    assert response.status_code == 201 and response.json()["work_order_id"] is None
    assert _orders(crew) == []
    with crew.engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM lamp WHERE id = :i"), {"i": crew.lamp_a}
        ).scalar_one()
    assert status == "working"


def test_bad_reports_are_refused(client: TestClient, crew: Crew) -> None:
    """Unknown lamp 404, a status crews do not set 422, future time 422, no key 422, planner 403."""
    budi = sign_in(client, "budi")
    assert _send(client, budi, 999999, "out").status_code == 404
    assert _send(client, budi, crew.lamp_a, "decommissioned").status_code == 422
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert _send(client, budi, crew.lamp_a, "out", occurred_at=future).status_code == 422
    no_key = client.post(
        f"/field/api/lamps/{crew.lamp_a}/events", data={"to_status": "out"}, headers=budi
    )
    assert no_key.status_code == 422
    assert _send(client, sign_in(client, "rudi"), crew.lamp_a, "out").status_code == 403
    with crew.engine.connect() as conn:
        assert lamp_events(conn, crew.lamp_a) == [("working", "import")]


def test_photo_is_cleaned_stored_and_shown_in_history(
    client: TestClient, crew: Crew, settings: Settings
) -> None:
    """A phone photo is stored upright, small, without EXIF; the lamp history links it."""
    budi = sign_in(client, "budi")
    response = _send(client, budi, crew.lamp_a, "out", photo=_phone_photo())
    url = response.json()["photo"]
    assert url.startswith("/media/photos/") and url.endswith(".jpg")
    history = client.get(f"/api/v1/lamps/{crew.lamp_a}/events").json()["events"]
    assert history[0]["photo"] == url
    served = client.get(url)
    assert served.headers["content-type"] == "image/jpeg"
    with Image.open(BytesIO(served.content)) as image:
        assert image.size == (1200, 1600)  # turned upright, longest side 1600
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"Pixel 9" not in served.content
    assert list((settings.media_dir / "photos").rglob("*.part")) == []


def test_retried_photo_is_stored_once(client: TestClient, crew: Crew, settings: Settings) -> None:
    """A report retried with its photo leaves one event and one file."""
    budi = sign_in(client, "budi")
    for _ in range(2):
        _send(client, budi, crew.lamp_a, "out", key="phone-42-report-0003", photo=_phone_photo())
    assert len(list((settings.media_dir / "photos").rglob("*.jpg"))) == 1


def test_bad_photos_are_refused_and_nothing_stored(
    client: TestClient, crew: Crew, settings: Settings
) -> None:
    """A file that is no image, or too large, is a 422 naming the problem; no event, no file."""
    budi = sign_in(client, "budi")
    not_image = _send(client, budi, crew.lamp_a, "out", photo=b"%PDF-1.7 not a photo")
    assert not_image.status_code == 422 and "image" in not_image.json()["detail"]
    too_big = _send(client, budi, crew.lamp_a, "out", photo=b"\xff" * (MAX_PHOTO_BYTES + 1))
    assert too_big.status_code == 422 and "MB" in too_big.json()["detail"]
    with crew.engine.connect() as conn:
        assert lamp_events(conn, crew.lamp_a) == [("working", "import")]
    assert not (settings.media_dir / "photos").exists()
