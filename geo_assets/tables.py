"""One typed `Table` handle per table, for SQLAlchemy Core queries (bulk paths, joins, analyses).

The ORM classes in `geo_assets.models` declare the tables; Core code reads them from here instead
of reaching into `Model.__table__` (whose declared type is `FromClause`, so every use needed a
cast or a `type: ignore`).

The models (with SQLAlchemy's ORM and GeoAlchemy2, which loads Shapely and NumPy) are imported
on the first use of a handle, not with this module: the entity registry names its tables and
`geo-assets export` never loads them (start-up time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Table

    ACCESS_ROAD: Table
    ACCESS_TOKEN: Table
    API_KEY: Table
    APP_USER: Table
    AUDIT_LOG: Table
    CEMETERY: Table
    CEMETERY_BLOCK: Table
    INTERMENT: Table
    KECAMATAN: Table
    KELURAHAN: Table
    LAMP: Table
    LAMP_EVENT: Table
    PLOT: Table
    PRAYER_ROOM: Table
    ROAD: Table
    SERVICE_REQUEST: Table
    THROTTLE: Table

# The CRS of every stored geometry (lon/lat, WGS 84).
SRID = 4326


def named(name: str) -> Table:
    """The table called `name` (`lamp`); the first call imports the models."""
    from geo_assets.models import Base

    return Base.metadata.tables[name]


def resolve(table: Table | str) -> Table:
    """`table` itself, or the table it names."""
    return named(table) if isinstance(table, str) else table


def __getattr__(handle: str) -> Table:
    """`tables.LAMP`: the table `lamp`, looked up once (module attributes, PEP 562)."""
    try:
        table = named(handle.lower()) if handle.isupper() else None
    except KeyError:
        table = None
    if table is None:
        raise AttributeError(f"module {__name__!r} has no attribute {handle!r}")
    globals()[handle] = table
    return table
