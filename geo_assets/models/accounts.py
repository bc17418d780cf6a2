"""People and machines that may write: users with roles, API keys, and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from geo_assets.models.base import Base, vocabulary_check
from geo_assets.vocab import AUDIT_ACTION, ROLE


class User(Base):
    """An account with one role; the password is stored only as a hash."""

    __tablename__ = "app_user"
    __table_args__ = (vocabulary_check("role", ROLE),)

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")


class ApiKey(Base):
    """A key for an application (Open311 clients); only its hash is stored."""

    __tablename__ = "api_key"

    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12), unique=True)
    key_hash: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """One write: who, when, which row, and the row before and after. Filled by triggers."""

    __tablename__ = "audit_log"
    __table_args__ = (vocabulary_check("action", AUDIT_ACTION),)

    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    actor: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None] = mapped_column()
    before: Mapped[dict | None] = mapped_column(JSONB)
    after: Mapped[dict | None] = mapped_column(JSONB)


class AccessToken(Base):
    """A bearer token given at sign-in; only its SHA-256 is stored, and it expires."""

    __tablename__ = "access_token"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Throttle(Base):
    """Recent failures or hits of one account, address or API key, and how long it must wait.

    In the database, not in process memory, so that every worker process sees the same count.
    """

    __tablename__ = "throttle"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    scope: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(128))
    hits: Mapped[int] = mapped_column(Integer, server_default="0")
    window_started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    strikes: Mapped[int] = mapped_column(Integer, server_default="0")
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_hit_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
