"""`geo-assets serve --workers N` runs N server processes that share nothing but the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from geo_assets import auth
from tests.databases import free_port


def children(pid: int) -> list[str]:
    """Command lines of the direct child processes of `pid`."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            found.append(cmdline.decode())
    return found


def test_serve_runs_the_asked_number_of_workers(db_url: str, engine) -> None:
    """Two workers start; a token issued by one is accepted on every request, whichever
    worker answers."""
    with engine.begin() as conn:
        auth.create_user(
            connection=conn, username="regu", role="crew", password="regu-pass-123", actor="t"
        )
    port = free_port()
    env = {**os.environ, "GEO_ASSETS_DATABASE_URL": db_url}
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while len([c for c in children(server.pid) if "spawn_main" in c]) < 2 or not _up(base):
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "regu", "password": "regu-pass-123"}
        ).json()["access_token"]
        me = f"{base}/api/v1/auth/me"
        # A new connection each time, so that the kernel hands them to both workers.
        answers = [
            httpx.get(me, headers={"Authorization": f"Bearer {token}"}).status_code
            for _ in range(20)
        ]
        assert answers == [200] * 20
        assert len([c for c in children(server.pid) if "spawn_main" in c]) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
