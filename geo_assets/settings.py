"""All configuration in one pydantic-settings class, read from `GEO_ASSETS_*` variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    """Runtime settings; every field can be set as `GEO_ASSETS_<NAME>` or in `.env`."""

    model_config = SettingsConfigDict(env_prefix="GEO_ASSETS_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of an existing PostGIS; unset = the embedded cluster.",
    )
    data_dir: Path = Field(
        default=DATA_DIR / "postgres",
        description="Folder of the embedded PostgreSQL cluster.",
    )
    db_port: int = Field(default=54329, description="TCP port of the embedded cluster.")
    db_name: str = Field(default="geo_assets", description="Database name in the embedded cluster.")
    pg_bindir: Path | None = Field(
        default=None, description="PostgreSQL server binaries; default from `pg_config --bindir`."
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP server listens on.")
    port: int = Field(default=8000, description="Port the HTTP server listens on.")
    sla_hours: float = Field(default=72.0, description="Repair SLA for a lamp fault, in hours.")
    sla_hours_by_service: dict[str, float] = Field(
        default_factory=dict,
        description='Repair SLA per Open311 service code, in hours, e.g. {"streetlight_out": 48}.',
    )
    burning_hours_per_night: float = Field(
        default=12.0, description="Lamp burning hours per night."
    )
    public_read: bool = Field(default=True, description="Anyone may read non-personal inventory.")
    token_minutes: int = Field(default=720, description="Lifetime of an access token, in minutes.")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, description="Largest request body.")
    media_dir: Path = Field(
        default=DATA_DIR / "media", description="Folder where uploaded photos are stored."
    )
    language: str = Field(default="id", description="Default language of labels: id or en.")
    # Small by default: on a 2-core machine, 2 workers x 10 connections already keep PostgreSQL
    # busy; more connections only add contention (bench/bench_load.py, 50 crews).
    db_pool_size: int = Field(
        default=5, ge=1, description="Connections each server worker keeps open to PostgreSQL."
    )
    db_max_overflow: int = Field(
        default=5, ge=0, description="Extra connections a worker may open under load."
    )
    db_pool_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a request waits for a free connection before a 503 (busy).",
    )
    db_connect_timeout: int = Field(
        default=5, ge=1, description="Seconds to wait when opening a connection to PostgreSQL."
    )
    db_statement_timeout: float = Field(
        default=60.0,
        ge=0,
        description="Longest SQL statement a web request may run, in seconds (0 = no limit).",
    )
    health_timeout: float = Field(
        default=2.0, gt=0, description="Seconds /health waits for the database before a 503."
    )
    retry_after_seconds: int = Field(
        default=5, ge=1, description="Retry-After of a 503 while the database is unavailable."
    )

    @property
    def embedded(self) -> bool:
        """True when the app runs its own private PostGIS cluster."""
        return self.database_url is None


def get_settings() -> Settings:
    """Read the settings from the environment now (never at import time)."""
    return Settings()
