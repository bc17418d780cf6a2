"""Headless Chromium for the map tests and benchmark: launch it, and watch what a page loads.

Only tests and `bench/` import this (Playwright is a dev dependency). A watched page never
reaches another host: requests for OSM tiles are answered here with a blank PNG and counted
apart (tiles are the one thing a map may load from outside, and they fail offline); any other
request to a non-local host is aborted and recorded as a leak.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TILE_HOSTS = ("tile.openstreetmap.org",)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
# A 1x1 transparent PNG, served for every tile.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with no background traffic of its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_tile(url: str) -> bool:
    """True for a request to a tile server."""
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in TILE_HOSTS)


def is_local(url: str) -> bool:
    """True for file:, data:, blob: and loopback URLs."""
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname in LOCAL_HOSTS


@dataclass
class PageWatch:
    """What a page asked for and what went wrong, filled while it runs."""

    requests: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Leaks, failed non-tile requests and console errors; empty when the page is clean."""
        return (
            [f"outside: {u}" for u in self.outside]
            + [f"failed: {u}" for u in self.failed]
            + [f"console: {m}" for m in self.console_errors]
        )


def watch_page(page: Any) -> PageWatch:
    """Route and record every request of `page` (see the module docstring)."""
    watch = PageWatch()

    def route(route: Any) -> None:
        url = route.request.url
        if is_tile(url):
            watch.tiles.append(url)
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        elif is_local(url):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    def on_response(response: Any) -> None:
        if response.status >= 400 and not is_tile(response.url):
            watch.failed.append(f"{response.status} {response.url}")

    def on_failed(request: Any) -> None:
        if not is_tile(request.url) and request.url not in watch.outside:
            watch.failed.append(f"{request.failure} {request.url}")

    def on_console(message: Any) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    page.route("**/*", route)
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    return watch
