"""Engine and sessions: built from settings on demand, never at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from geo_assets.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from geo_assets.settings import Settings


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver whatever PostgreSQL URL form was given."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgis"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def database_url(settings: Settings) -> str:
    """The URL every command uses: GEO_ASSETS_DATABASE_URL, else the embedded cluster.

    The embedded cluster's URL carries the app role's password, read from the cluster's
    0600 password file; an external URL with a well-known password is refused.
    """
    if settings.database_url:
        from geo_assets.db_credentials import check_database_password

        check_database_password(settings.database_url)
        return normalise_url(settings.database_url)
    from geo_assets.embedded import cluster_from_settings

    return cluster_from_settings(settings).url()


def read_database_url(settings: Settings) -> str | None:
    """The read replica's URL (GEO_ASSETS_READ_DATABASE_URL), or None: reads go to the primary."""
    if not settings.read_database_url:
        return None
    from geo_assets.db_credentials import check_database_password

    check_database_password(settings.read_database_url, "GEO_ASSETS_READ_DATABASE_URL")
    return normalise_url(settings.read_database_url)


def make_engine(url: str, *, connect_args: dict | None = None, **kwargs: object) -> Engine:
    """A SQLAlchemy engine on `url` with a short connect timeout.

    `pool_pre_ping` tests a pooled connection before handing it out, so that after the database
    restarts the pool replaces its dead connections instead of failing requests with them.
    """
    return create_engine(
        normalise_url(url),
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, **(connect_args or {})},
        **kwargs,
    )


def make_server_engine(
    settings: Settings, url: str | None = None, *, read_only: bool = False
) -> Engine:
    """The web server's engine on `url` (default: the primary's): pool size, waits and
    statement timeout from `settings`; `read_only` sessions refuse every write.

    JIT is off: a page's plan costs more than PostgreSQL's JIT threshold, and compiling it
    took longer (50-110 ms) than running it. A random page read is costed like the in-memory
    or SSD read it is (random_page_cost 1.1, not the spinning disk's 4): at 4 an items page
    joined its 100 features to a hash of the whole lamp table instead of looking them up by
    id, and took a third more of the database's time. A prepared statement is planned anew for
    its values every time (plan_cache_mode): a generic plan cannot use a bbox's selectivity.
    """
    connect_args: dict[str, object] = {"connect_timeout": settings.db_connect_timeout}
    options = ["-c jit=off", "-c random_page_cost=1.1", "-c plan_cache_mode=force_custom_plan"]
    if settings.db_statement_timeout:
        milliseconds = int(settings.db_statement_timeout * 1000)
        options.append(f"-c statement_timeout={milliseconds}")
    if read_only:
        options.append("-c default_transaction_read_only=on")
    connect_args["options"] = " ".join(options)
    return make_engine(
        url or database_url(settings),
        connect_args=connect_args,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
    )


def make_read_engine(settings: Settings) -> Engine | None:
    """The web server's engine on the read replica, or None when none is configured.

    Its sessions are read-only, so a write sent to it by mistake fails loudly even when the
    URL names a primary rather than a standby.
    """
    url = read_database_url(settings)
    return None if url is None else make_server_engine(settings, url, read_only=True)


def libpq_conninfo(engine: Engine) -> str:
    """The libpq connection string of `engine`, for a connection outside its pool."""
    from psycopg.conninfo import make_conninfo

    _, kwargs = engine.dialect.create_connect_args(engine.url)
    kwargs.pop("context", None)  # SQLAlchemy's type adapters; not a libpq parameter
    return make_conninfo(**kwargs)


def check_connection(engine: Engine) -> None:
    """Connect once and make sure PostGIS is there, or say which host/port failed."""
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except OperationalError as exc:
        url = engine.url
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"Cannot reach PostgreSQL at {url.host}:{url.port or 5432} "
            f"(database '{url.database}'): {reason}"
        ) from None


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    # The ORM is loaded by the code that uses sessions, not by every engine (start-up time).
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on error."""
    with make_sessionmaker(engine)() as session, session.begin():
        yield session
