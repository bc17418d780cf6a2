"""All configuration in one pydantic-settings class, read from `GEO_ASSETS_*` variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
# UTM zone 50S: metres around Banjarbaru. The default of `Settings.metric_srid`, and the CRS the
# sample city is drawn in (geo_assets.models.METRIC_SRID).
DEFAULT_METRIC_SRID = 32750


class Settings(BaseSettings):
    """Runtime settings; every field can be set as `GEO_ASSETS_<NAME>` or in `.env`."""

    model_config = SettingsConfigDict(env_prefix="GEO_ASSETS_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of an existing PostGIS; unset = the embedded cluster.",
    )
    read_database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of a read replica for lists, items, tiles, maps, exports and "
        "reports; unset = every read goes to the primary.",
    )
    read_max_lag_seconds: float = Field(
        default=30.0,
        ge=0,
        description="Reads go to the primary while the replica lags more than this, or does not "
        "answer (0 = however far behind).",
    )
    data_dir: Path = Field(
        default=DATA_DIR / "postgres",
        description="Folder of the embedded PostgreSQL cluster.",
    )
    db_port: int = Field(default=54329, description="TCP port of the embedded cluster.")
    db_replica_port: int | None = Field(
        default=None,
        description="TCP port of the embedded read replica (`db start --replica`); "
        "unset = DB_PORT + 1.",
    )
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
    event_clock_skew_minutes: float = Field(
        default=10.0,
        ge=0,
        description="How far a lamp event's occurred_at may lie ahead of the server's clock.",
    )
    burning_hours_per_night: float = Field(
        default=12.0, description="Lamp burning hours per night."
    )
    tile_detail_limit: int = Field(
        default=5000,
        ge=0,
        description="Lamps a vector tile below zoom 15 shows one by one; above, merged cells.",
    )
    metric_srid: int = Field(
        default=DEFAULT_METRIC_SRID,
        gt=0,
        description="EPSG code of the metric CRS the analyses measure in (a UTM zone of the city).",
    )
    # Sign-in throttling, shared by every worker through the database (table `throttle`).
    login_failures_per_account: int = Field(
        default=5, ge=1, description="Wrong passwords for one user name before it must wait."
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="Failed sign-ins from one client address before it waits."
    )
    login_failure_window_seconds: float = Field(
        default=900, gt=0, description="Failures older than this are forgotten, in seconds."
    )
    login_block_seconds: float = Field(
        default=2, gt=0, description="First wait after too many failures; doubles each time."
    )
    login_block_max_seconds: float = Field(
        default=300, gt=0, description="Longest wait after failed sign-ins, in seconds."
    )
    password_checks_per_process: int = Field(
        default=1, ge=1, description="Password hashes checked at once by one worker process."
    )
    password_check_queue: int = Field(
        default=16, ge=0, description="Sign-ins that may wait for a check; more answer 503."
    )
    password_check_wait_seconds: float = Field(
        default=3, ge=0, description="Longest wait for a password check before a 503."
    )
    open311_posts_per_key: int = Field(
        default=60, ge=1, description="Open311 reports per API key per window, then 429."
    )
    open311_posts_per_address: int = Field(
        default=10, ge=1, description="Open311 POSTs without a valid key per address per window."
    )
    open311_window_seconds: float = Field(
        default=60, gt=0, description="Window of the Open311 limits; a block starts at this long."
    )
    public_read: bool = Field(default=True, description="Anyone may read non-personal inventory.")
    token_minutes: int = Field(default=720, description="Lifetime of an access token, in minutes.")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, description="Largest request body.")
    media_dir: Path = Field(
        default=DATA_DIR / "media", description="Folder where uploaded photos are stored."
    )
    language: str = Field(default="id", description="Default language of labels: id or en.")
    map_tile_threshold: int = Field(
        default=50_000,
        ge=0,
        description="Above this many lamps the served maps draw lamps from vector tiles and "
        "`geo-assets map` embeds counts per kelurahan instead of every lamp.",
    )
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
