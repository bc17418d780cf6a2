"""API keys of residents' apps (Open311 POST): shown once, stored only as SHA-256.

A key reads `ga311.<prefix>.<secret>`: the prefix finds the row (and names the key in lists and
logs), the secret is 32 random bytes. Like access tokens, keys are long random strings, so a
plain SHA-256 is enough; a slow password hash would only slow every report down.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from geo_assets import throttle
from geo_assets.auth import token_digest
from geo_assets.bulk import set_actor
from geo_assets.errors import AuthenticationFailed, InvalidInput, NotFound
from geo_assets.settings import Settings

KEY_SCHEME = "ga311"
MAX_NAME_LENGTH = 80


@dataclass(frozen=True)
class ApiKeyInfo:
    """A key as people see it: never the secret nor its hash."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def active(self) -> bool:
        """True until the key is revoked."""
        return self.revoked_at is None


_COLUMNS = "id, name, prefix, created_at, revoked_at, last_used_at"


def create_api_key(
    *, connection: Connection, name: str, actor: str = "system"
) -> tuple[ApiKeyInfo, str]:
    """Store a new key for the app `name`; returns it with the key text, shown only now."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"An API key needs a name of 1-{MAX_NAME_LENGTH} characters.")
    prefix = secrets.token_hex(4)
    key = f"{KEY_SCHEME}.{prefix}.{secrets.token_urlsafe(32)}"
    set_actor(connection, actor)
    row = connection.execute(
        text(
            f"INSERT INTO api_key (name, prefix, key_hash) VALUES (:name, :prefix, :hash) "
            f"RETURNING {_COLUMNS}"
        ),
        {"name": name, "prefix": prefix, "hash": token_digest(key)},
    ).one()
    return ApiKeyInfo(**row._mapping), key


def list_api_keys(*, connection: Connection) -> list[ApiKeyInfo]:
    """Every key, newest first, revoked ones included."""
    rows = connection.execute(text(f"SELECT {_COLUMNS} FROM api_key ORDER BY id DESC"))
    return [ApiKeyInfo(**row._mapping) for row in rows]


def revoke_api_key(*, connection: Connection, prefix: str, actor: str = "system") -> ApiKeyInfo:
    """Refuse the key with `prefix` (or the whole key text) from now on."""
    prefix = _prefix_of(prefix) or prefix
    set_actor(connection, actor)
    row = connection.execute(
        text(
            f"UPDATE api_key SET revoked_at = coalesce(revoked_at, now()), version = version + 1 "
            f"WHERE prefix = :prefix RETURNING {_COLUMNS}"
        ),
        {"prefix": prefix},
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no API key with prefix '{prefix}' (see `apikeys list`).")
    return ApiKeyInfo(**row._mapping)


def verify_api_key(*, connection: Connection, key: str | None) -> ApiKeyInfo:
    """The active key matching `key`; AuthenticationFailed when missing, unknown or revoked."""
    if not key:
        raise AuthenticationFailed("api_key was not provided: ask the city for a key.")
    prefix = _prefix_of(key)
    row = connection.execute(
        text(f"SELECT {_COLUMNS}, key_hash FROM api_key WHERE prefix = :prefix"),
        {"prefix": prefix or ""},
    ).one_or_none()
    if (
        row is None
        or not hmac.compare_digest(row.key_hash, token_digest(key))
        or row.revoked_at is not None
    ):
        raise AuthenticationFailed("Invalid api_key received: it is unknown or was revoked.")
    _touch(connection, row.id)
    return ApiKeyInfo(**{k: v for k, v in row._mapping.items() if k != "key_hash"})


def admit_api_key(
    *, engine: Engine, key: str | None, address: str, settings: Settings
) -> ApiKeyInfo:
    """The active key of an Open311 POST, throttled: at most `open311_posts_per_key` reports
    per key per window, and `open311_posts_per_address` POSTs without a valid key per client
    address; beyond them TooManyRequests (429, Retry-After). An admitted key is checked and
    counted in one transaction; a refused key is counted in a transaction of its own, so that
    the refusal does not roll its count back."""
    per_key, per_address = throttle.open311_policies(settings)
    try:
        with engine.begin() as connection:
            throttle.check(connection, per_address, address)
            info = verify_api_key(connection=connection, key=key)
            throttle.hit(connection, per_key, info.prefix)
    except AuthenticationFailed:
        with engine.begin() as connection:
            throttle.record(connection, per_address, address)
        raise
    return info


def _touch(connection: Connection, key_id: int) -> None:
    # At most once an hour, so that busy apps do not fill the audit log with key rows.
    connection.execute(
        text(
            "UPDATE api_key SET last_used_at = now(), version = version + 1 WHERE id = :id "
            "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 hour')"
        ),
        {"id": key_id},
    )


def _prefix_of(key: str) -> str | None:
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == KEY_SCHEME:
        return parts[1]
    return None
