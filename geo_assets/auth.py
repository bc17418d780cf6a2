"""Accounts and sign-in: argon2 password hashes, opaque bearer tokens stored as SHA-256.

A token is 32 random bytes (URL-safe text) handed out once; only its SHA-256 is stored in
`access_token`, with an expiry, so a copy of the database does not let anyone sign in.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, text

from geo_assets.bulk import set_actor
from geo_assets.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from geo_assets.vocab import ROLE, codes

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so timing does not reveal user names."""
    return _hasher.hash("no such user")


MIN_PASSWORD_LENGTH = 8
USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class Account:
    """A user as the API sees it: never the password hash."""

    id: int
    username: str
    role: str
    full_name: str | None
    is_active: bool


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of about 100 bits, easy to copy."""
    return secrets.token_urlsafe(16)


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _check_new_user(username: str, role: str, password: str) -> None:
    if role not in ROLE:
        raise InvalidInput(f"Unknown role '{role}'. Allowed: {', '.join(codes(ROLE))}.")
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            f"User name '{username}' is not allowed: use 1-64 letters, digits, '.', '_' or '-'."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def create_user(
    *,
    connection: Connection,
    username: str,
    role: str,
    password: str,
    full_name: str | None = None,
    actor: str = "system",
) -> Account:
    """Store a new active user with a hashed password; the name must be free."""
    _check_new_user(username, role, password)
    set_actor(connection, actor)
    row = connection.execute(
        text("""
            INSERT INTO app_user (username, full_name, role, password_hash)
            VALUES (:username, :full_name, :role, :password_hash)
            ON CONFLICT (username) DO NOTHING
            RETURNING id, username, role, full_name, is_active
        """),
        {
            "username": username,
            "full_name": full_name,
            "role": role,
            "password_hash": hash_password(password),
        },
    ).one_or_none()
    if row is None:
        raise Conflict(f"A user named '{username}' exists already.")
    return Account(**row._mapping)


def list_users(*, connection: Connection) -> list[Account]:
    """Every user, by name."""
    rows = connection.execute(
        text("SELECT id, username, role, full_name, is_active FROM app_user ORDER BY username")
    )
    return [Account(**row._mapping) for row in rows]


def disable_user(*, connection: Connection, username: str, actor: str = "system") -> Account:
    """Refuse further sign-ins by `username` and revoke its tokens."""
    set_actor(connection, actor)
    row = connection.execute(
        text("""
            UPDATE app_user SET is_active = false, version = version + 1
            WHERE username = :username
            RETURNING id, username, role, full_name, is_active
        """),
        {"username": username},
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no user named '{username}'.")
    connection.execute(
        text(
            "UPDATE access_token SET revoked_at = now(), version = version + 1 "
            "WHERE user_id = :id AND revoked_at IS NULL"
        ),
        {"id": row.id},
    )
    return Account(**row._mapping)


@dataclass(frozen=True)
class Credentials:
    """What a sign-in is checked against; never leaves the server."""

    id: int
    username: str
    role: str
    password_hash: str
    is_active: bool


def credentials_for(*, connection: Connection, username: str) -> Credentials | None:
    """The stored password hash of `username`, or None for an unknown name."""
    row = connection.execute(
        text(
            "SELECT id, username, role, password_hash, is_active FROM app_user "
            "WHERE username = :username"
        ),
        {"username": username},
    ).one_or_none()
    return Credentials(**row._mapping) if row else None


def password_matches(credentials: Credentials | None, password: str) -> bool:
    """True for an active account and its password; as slow for an unknown user name."""
    valid = verify_password(credentials.password_hash if credentials else _dummy_hash(), password)
    return credentials is not None and valid and credentials.is_active


SIGN_IN_FAILED = "Wrong user name or password, or the account is disabled."


def store_token(*, connection: Connection, user: Credentials, minutes: int) -> tuple[str, datetime]:
    """A new bearer token for `user` (whose password was checked) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(minutes=minutes)
    set_actor(connection, user.username)
    connection.execute(
        text(
            "INSERT INTO access_token (user_id, token_hash, expires_at) "
            "VALUES (:user_id, :token_hash, :expires_at)"
        ),
        {"user_id": user.id, "token_hash": token_digest(token), "expires_at": expires_at},
    )
    return token, expires_at


def revoke_token(*, connection: Connection, token: str, actor: str) -> None:
    """Revoke one token (sign out): it is refused from now on, by every worker."""
    set_actor(connection, actor)
    connection.execute(
        text(
            "UPDATE access_token SET revoked_at = now(), version = version + 1 "
            "WHERE token_hash = :digest AND revoked_at IS NULL"
        ),
        {"digest": token_digest(token)},
    )


def account_for_token(*, connection: Connection, token: str) -> Account:
    """The active user owning an unexpired, unrevoked `token`."""
    row = connection.execute(
        text("""
            SELECT u.id, u.username, u.role, u.full_name, u.is_active
            FROM access_token t JOIN app_user u ON u.id = t.user_id
            WHERE t.token_hash = :digest AND t.revoked_at IS NULL
              AND t.expires_at > now() AND u.is_active
        """),
        {"digest": token_digest(token)},
    ).one_or_none()
    if row is None:
        raise AuthenticationFailed(
            "The access token is unknown, expired or revoked: sign in again at "
            "POST /api/v1/auth/token."
        )
    return Account(**row._mapping)
