"""A lamp event's photo is only ever a photo this server stored, and the token stays home.

The attack: a crew posts an event whose `photo` is another site's URL; when staff open that
lamp on /field, the page fetched the URL with the staff bearer token. Now the API refuses any
photo it did not issue (422), and /field fetches only its own /media/ paths, so even an event
stored before the fix (written here straight into the database) sends nothing anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import httpx
import pytest
from PIL import Image
from sqlalchemy import text

from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from maps.browser import BLANK_PNG
from tests.field.phones import Phone, Street
from tests.open311.builders import PASSWORD, add_user
from tests.webmaps.hostile import usable

A = "PJU-63.72.04-00001"
FOREIGN = (
    "https://other.site/x.png",
    "//other.site/x.jpg",
    "javascript:alert(document.domain)",
    "../../../../etc/passwd",
    "/media/../../../../etc/passwd",
    "/media/photos/ab/cd0123456789abcdef0123456789abcd.jpg",  # shard is not its name's start
    "/media/photos/ab/ab0123456789abcdef0123456789abcd.jpg\n",
    "http://127.0.0.1:9/media/photos/ab/ab0123456789abcdef0123456789abcd.jpg",
    "data:image/png;base64,iVBORw0KGgo=",
)


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _token(client: httpx.Client, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return usable(client, {"Authorization": f"Bearer {answer.json()['access_token']}"})


def _event_count(street: Street) -> int:
    with street.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM lamp_event")).scalar_one()


@pytest.mark.parametrize("photo", FOREIGN)
def test_a_photo_the_server_did_not_issue_is_refused(
    app_url: str, street: Street, photo: str
) -> None:
    """Another site's URL, javascript:, a path out of /media: 422 saying what is accepted."""
    before = _event_count(street)
    with httpx.Client(base_url=app_url) as client:
        answer = client.post(
            f"/api/v1/lamps/{A}/events",
            json={"to_status": "out", "photo": photo},
            headers=_token(client, "budi"),
        )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "POST /api/v1/media/photos" in answer.json()["detail"]
    assert _event_count(street) == before


def test_an_unstored_photo_reference_is_refused(app_url: str, street: Street) -> None:
    """A well-formed photo URL of nothing stored is a 422 that says to upload it first."""
    before = _event_count(street)
    with httpx.Client(base_url=app_url) as client:
        answer = client.post(
            f"/api/v1/lamps/{A}/events",
            json={"to_status": "out", "photo": "ab0123456789abcdef0123456789abcd"},
            headers=_token(client, "budi"),
        )
    assert answer.status_code == 422, answer.text
    assert "upload it first" in answer.json()["detail"]
    assert _event_count(street) == before


def test_an_uploaded_photo_can_be_attached(app_url: str, street: Street) -> None:
    """Upload (201: id and URL), attach by URL or by id, read it back as the stored JPEG."""
    with httpx.Client(base_url=app_url) as client:
        crew = _token(client, "budi")
        upload = client.post(
            "/api/v1/media/photos",
            files={"photo": ("foto.png", _png(), "image/png")},
            headers=crew,
        )
        assert upload.status_code == 201, upload.text
        stored = upload.json()
        assert stored["photo"] == f"/media/photos/{stored['id'][:2]}/{stored['id']}.jpg"
        by_url = client.post(
            f"/api/v1/lamps/{A}/events",
            json={"to_status": "out", "photo": stored["photo"]},
            headers=crew,
        )
        by_id = client.post(
            f"/api/v1/lamps/{A}/events",
            json={"to_status": "working", "photo": stored["id"]},
            headers=crew,
        )
        assert by_url.status_code == by_id.status_code == 201, by_url.text + by_id.text
        assert by_url.json()["photo"] == by_id.json()["photo"] == stored["photo"]
        image = client.get(stored["photo"], headers=crew)
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
        refused = client.post(
            "/api/v1/media/photos",
            files={"photo": ("x.png", b"<svg onload=alert(1)>", "image/png")},
            headers=crew,
        )
        assert refused.status_code == 422
        assert (
            client.post(
                "/api/v1/media/photos", files={"photo": ("foto.jpg", _jpeg(), "image/jpeg")}
            ).status_code
            == 401
        )


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


class _Listener(BaseHTTPRequestHandler):
    """Another origin that would gladly take the token: it allows any header by CORS."""

    seen: list[tuple[str, str, str | None]]

    def _record(self) -> None:
        self.seen.append((self.command, self.path, self.headers.get("Authorization")))

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Authorization")
        self.send_header("Access-Control-Allow-Methods", "GET")

    def do_OPTIONS(self) -> None:  # noqa: N802 - the handler's naming
        self._record()
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self._record()
        self.send_response(200)
        self._cors()
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(BLANK_PNG)))
        self.end_headers()
        self.wfile.write(BLANK_PNG)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[tuple[str, list]]:
    """A server on another 127.0.0.1 port; yields its origin and what it received."""
    seen: list[tuple[str, str, str | None]] = []
    handler = type("Listener", (_Listener,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_field_never_sends_the_staff_token_to_another_origin(
    phone: Phone, app_url: str, street: Street, listener: tuple[str, list]
) -> None:
    """Events stored with foreign photos (before the fix): /field shows the history, and the
    other origin receives no request at all, let alone one with the staff token."""
    origin, seen = listener
    with street.engine.begin() as conn:
        add_user(conn, "ana", "staff")
        foreign = [  # oldest first; the page reads the newest first
            "javascript:window.__pwned=1",
            f"/media/photos/../..//{origin.removeprefix('http://')}/x.jpg",
            f"//{origin.removeprefix('http://')}/relative.png",
            f"{origin}/steal.png",
        ]
        record_lamp_events(
            conn,
            [
                NewLampEvent(
                    street.lamps[A],
                    "out" if n % 2 == 0 else "working",
                    "field",
                    datetime(2026, 2, 1, 10 + n, tzinfo=UTC),
                    note=f"foto {n}",
                    photo=photo,
                    actor="budi",
                )
                for n, photo in enumerate(foreign)
            ],
        )
    page = phone.page
    # Were the page to try another origin, the policy would block it and report a violation:
    # none proves that /field itself never tried, not only that the policy stopped it.
    page.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    page.goto(f"{app_url}/field")
    page.fill("#username", "ana")
    page.fill("#password", PASSWORD)
    page.click("#signin-button")
    page.locator("#app").wait_for(state="visible")
    token = page.evaluate("() => localStorage.getItem('ga.token')")
    page.click("#locate")
    page.locator(f'#lamps [data-lamp="{A}"]').click()
    page.locator("#history li").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert [entry for entry in seen if entry[2] and token in entry[2]] == []
    assert seen == []
    page.locator("#history li", has_text="foto 0").wait_for()
    assert page.locator("#history li").count() == 5  # four foreign ones and the import
    assert page.locator("#history img").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__violations") == []
    with httpx.Client(base_url=app_url) as client:  # the token is still good: it was the bait
        assert (
            client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()[
                "role"
            ]
            == "staff"
        )
