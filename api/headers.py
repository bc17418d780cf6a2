"""Security headers on every response: Content-Security-Policy, nosniff, Referrer-Policy, framing.

Every response gets a strict default policy: scripts only from this server (no inline script, no
`eval`), nothing may frame the page, no referrer leaves it. A page that needs inline scripts (the
Folium maps, Swagger UI's start-up script) sets its own policy naming those scripts by their
sha256 (`policy_for_page`), computed when the page is built; the middleware leaves such a policy
alone and adds only what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The base map's tiles: the one thing a map loads from elsewhere (an image, never a script).
TILE_ORIGIN = "https://tile.openstreetmap.org"
CSP = "content-security-policy"
# `<script>` elements with an inline body (no `src`) whose type the browser would execute.
_INLINE_SCRIPT = re.compile(
    r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I
)
_DATA_TYPE = re.compile(r"""\stype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)


def content_security_policy(*, script_hashes: Iterable[str] = ()) -> str:
    """The policy: everything from this server; inline scripts only by their `sha256-…` hash.

    No 'unsafe-eval' anywhere. Styles may be inline (Folium and Leaflet position everything with
    style attributes); images may also be data:/blob: URLs (photo previews) and OpenStreetMap
    tiles.
    """
    script_src = ["'self'", *(f"'{digest}'" for digest in script_hashes)]
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(script_src),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob: {TILE_ORIGIN}",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


DEFAULT_POLICY = content_security_policy()
HEADERS = {
    CSP: DEFAULT_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def inline_script_hashes(html: str) -> list[str]:
    """`sha256-…` of each inline, executable `<script>` of a page built from our own templates.

    Only for pages whose scripts come from our templates with every user-supplied value
    JSON-encoded (`<` as `\\u003c`), so that no data can open a `<script>` of its own.
    """
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if _SRC.search(attrs) or _DATA_TYPE.search(attrs):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.append("sha256-" + base64.b64encode(digest).decode("ascii"))
    return list(dict.fromkeys(hashes))


def policy_for_page(html: str) -> str:
    """The policy of a page that carries its own inline scripts (see `inline_script_hashes`)."""
    return content_security_policy(script_hashes=inline_script_hashes(html))


class SecurityHeaders:
    """Pure ASGI middleware: adds each header of `HEADERS` that the response has not set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
