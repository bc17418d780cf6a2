"""One typed `Table` handle per table, for SQLAlchemy Core queries (bulk paths, joins, analyses).

The ORM classes in `geo_assets.models` declare the tables; Core code reads them from here instead
of reaching into `Model.__table__` (whose declared type is `FromClause`, so every use needed a
cast or a `type: ignore`).
"""

from __future__ import annotations

from sqlalchemy import Table

from geo_assets.models import Base

_tables = Base.metadata.tables

ACCESS_ROAD: Table = _tables["access_road"]
ACCESS_TOKEN: Table = _tables["access_token"]
API_KEY: Table = _tables["api_key"]
APP_USER: Table = _tables["app_user"]
AUDIT_LOG: Table = _tables["audit_log"]
CEMETERY: Table = _tables["cemetery"]
CEMETERY_BLOCK: Table = _tables["cemetery_block"]
INTERMENT: Table = _tables["interment"]
KECAMATAN: Table = _tables["kecamatan"]
KELURAHAN: Table = _tables["kelurahan"]
LAMP: Table = _tables["lamp"]
LAMP_EVENT: Table = _tables["lamp_event"]
PLOT: Table = _tables["plot"]
PRAYER_ROOM: Table = _tables["prayer_room"]
ROAD: Table = _tables["road"]
SERVICE_REQUEST: Table = _tables["service_request"]
THROTTLE: Table = _tables["throttle"]
