"""The OGC collections, derived from the entity registry: ids, words, queryables and extents.

A collection is an `Entity` seen through OGC: its public columns only (never a personal one),
the properties its `/api/v1` resource joins in (a lamp's `kecamatan_code`), and its temporal
column. Interments are never a collection; work orders are one for staff only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, select, text
from sqlalchemy.types import TypeEngine

from geo_assets import entities, tables
from geo_assets.entities import Entity, Label
from geo_assets.entities.base import SQL_TYPES
from geo_assets.errors import NotFound
from geo_assets.inventory.catalog import resource
from geo_assets.inventory.params import Clause
from geo_assets.inventory.resources import Joined, Resource
from geo_assets.vocab import codes

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOMETRY = "geometry"
# How long a worker reuses a collection's extents: they change slowly, and computing them
# must not be per-request work that grows with the table.
EXTENT_SECONDS = 60.0


@dataclass(frozen=True)
class Queryable:
    """A property clients may filter on: its JSON Schema and the kind of its values."""

    name: str
    kind: str  # a registry column kind, or "text" for joined codes and names
    schema: dict[str, Any]
    column: str | None = None  # the table's own column; None for a joined property

    @property
    def sql_type(self) -> TypeEngine[Any]:
        """The SQL type its values are bound as."""
        return SQL_TYPES[self.kind]

    def expression(self, collection: Collection, joined: Joined) -> ColumnElement:
        """The SQL expression of this property in a statement over `joined`."""
        if self.column is not None:
            return collection.resource.table.c[self.column]
        return joined.properties[self.name]


@dataclass(frozen=True)
class Collection:
    """One OGC collection: the entity it shows and who may read it."""

    id: str
    entity: Entity
    title: Label
    description: Label
    staff_only: bool = False
    base: Clause | None = None  # a condition every item of the collection meets

    @property
    def resource(self) -> Resource:
        """The `/api/v1` resource whose feature builder the items reuse."""
        return _RESOURCES[self.entity.name]

    @property
    def temporal_column(self) -> str | None:
        """The column `datetime` filters on, if the entity has one."""
        return self.entity.temporal_column

    @property
    def queryables(self) -> dict[str, Queryable]:
        """The properties clients may filter on, by name."""
        return _queryables(self)


_RESOURCES: dict[str, Resource] = {e.name: resource(e) for e in entities.ENTITIES}


def _kind_schema(kind: str, entity: Entity, name: str) -> dict[str, Any]:
    column = next((c for c in entity.columns if c.name == name), None)
    if kind == "vocabulary" and column is not None and column.vocabulary is not None:
        return {"type": "string", "enum": list(codes(column.vocabulary))}
    return {
        "integer": {"type": "integer"},
        "id": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "date": {"type": "string", "format": "date"},
        "datetime": {"type": "string", "format": "date-time"},
    }.get(kind, {"type": "string"})


_QUERYABLES: dict[str, dict[str, Queryable]] = {}


def _queryables(collection: Collection) -> dict[str, Queryable]:
    found = _QUERYABLES.get(collection.id)
    if found is not None:
        return found
    entity = collection.entity
    result: dict[str, Queryable] = {}
    for column in entity.columns:
        if column.public and not column.personal and column.kind != "point":
            schema = _kind_schema(column.kind, entity, column.name)
            label = column.label.id if column.label else column.name
            result[column.name] = Queryable(
                column.name, column.kind, {"title": label, **schema}, column.name
            )
    for name in collection.resource.joined().properties:
        result[name] = Queryable(name, "text", {"title": name, "type": "string"})
    _QUERYABLES[collection.id] = result
    return result


def geometry_schema(collection: Collection) -> dict[str, Any]:
    """The queryable `geometry`: the collection's primary geometry."""
    kind = (collection.entity.geometry_type or "Geometry").lower()
    return {"title": "Geometri", "format": f"geometry-{kind}", "x-ogc-role": "primary-geometry"}


def _not_duplicate(joined: Joined) -> ColumnElement[bool]:
    """A work order is a service request that is not a duplicate of another."""
    return tables.SERVICE_REQUEST.c.duplicate_of_id.is_(None)


def _registry(name: str) -> Entity:
    return entities.BY_NAME[name]


def _public(name: str, title: Label, description: Label) -> Collection:
    """The collection of the registry's entity `name`, under the entity's collection id."""
    entity = _registry(name)
    return Collection(entity.collection_id, entity, title, description)


COLLECTIONS: tuple[Collection, ...] = (
    _public(
        "lamps",
        Label("Lampu PJU", "Street lights"),
        Label("Titik penerangan jalan umum (PJU) dan statusnya.", "Street lights, status."),
    ),
    _public(
        "roads",
        Label("Jaringan jalan", "Road network"),
        Label("Ruas jalan kota dengan kelas dan permukaan.", "City roads, class and surface."),
    ),
    _public(
        "kecamatan",
        Label("Batas kecamatan", "Kecamatan boundaries"),
        Label("Lima kecamatan Kota Banjarbaru.", "The city's five districts."),
    ),
    _public(
        "kelurahan",
        Label("Batas kelurahan", "Kelurahan boundaries"),
        Label("Dua puluh kelurahan Kota Banjarbaru.", "The city's twenty sub-districts."),
    ),
    _public(
        "cemeteries",
        Label("Tempat pemakaman umum (TPU)", "Public cemeteries"),
        Label("Batas TPU, jenis dan kapasitasnya.", "Cemetery outlines, kind and capacity."),
    ),
    _public(
        "blocks",
        Label("Blok makam", "Cemetery blocks"),
        Label("Blok di dalam setiap TPU.", "The blocks within each cemetery."),
    ),
    _public(
        "plots",
        Label("Petak makam", "Burial plots"),
        Label(
            "Petak makam dan statusnya (tanpa data pribadi).",
            "Burial plots and their status (no personal data).",
        ),
    ),
    _public(
        "access-roads",
        Label("Jalan akses TPU", "Cemetery access roads"),
        Label("Jalan menuju TPU dan kondisinya.", "Roads to the cemeteries and their condition."),
    ),
    _public(
        "prayer-rooms",
        Label("Musala", "Prayer rooms"),
        Label("Musala yang ada dan yang direncanakan.", "Existing and planned prayer rooms."),
    ),
    _public(
        "service-requests",
        Label("Laporan warga", "Service requests"),
        Label(
            "Laporan warga (Open311) tanpa kontak pelapor.",
            "Residents' reports (Open311) without the reporters' contacts.",
        ),
    ),
    Collection(
        "work-orders",
        _registry("service-requests"),
        Label("Perintah kerja", "Work orders"),
        Label("Perintah kerja perbaikan (khusus staf).", "Repair work orders (staff only)."),
        staff_only=True,
        base=_not_duplicate,
    ),
)
BY_ID: dict[str, Collection] = {c.id: c for c in COLLECTIONS}


def visible_collections(*, staff: bool) -> tuple[Collection, ...]:
    """The collections a reader sees: work orders only for staff."""
    return tuple(c for c in COLLECTIONS if staff or not c.staff_only)


def find_collection(collection_id: str) -> Collection:
    """The collection called `collection_id`, else NotFound naming the ones that exist."""
    found = BY_ID.get(collection_id)
    if found is None:
        public = ", ".join(c.id for c in COLLECTIONS if not c.staff_only)
        raise NotFound(f"There is no collection {collection_id!r}. Collections: {public}.")
    return found


@dataclass(frozen=True)
class Extent:
    """A collection's bounding box (lon/lat) and time span, either possibly unknown."""

    bbox: tuple[float, float, float, float] | None
    interval: tuple[datetime | date | None, datetime | date | None] | None


_EXTENTS: dict[tuple[str, str], tuple[float, Extent]] = {}


# The planner's statistics give a table's box at once (tipg does the same); a table never
# analysed (just loaded, or small and quiet) is measured instead. Names are ours, not a client's.
_STATISTICS = text(
    "SELECT count(*) FROM pg_stats "
    "WHERE schemaname = :schema_name AND tablename = :table_name AND attname = 'geom'"
)
_ESTIMATED = text(
    "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) "
    "FROM (SELECT ST_EstimatedExtent(:schema_name, :table_name, 'geom') AS b) AS e"
)


def _bbox(connection: Connection, table: Table) -> tuple[float, float, float, float] | None:
    names = {"schema_name": table.schema or "public", "table_name": table.name}
    row = None
    if connection.execute(_STATISTICS, names).scalar_one():
        row = connection.execute(_ESTIMATED, names).one()
    if row is None or row[0] is None:
        box = func.ST_Extent(table.c.geom)
        row = connection.execute(
            select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))
        ).one()
    return None if row[0] is None else (row[0], row[1], row[2], row[3])


def collection_extent(connection: Connection, collection: Collection, key: str) -> Extent:
    """The extent of `collection`, reused for EXTENT_SECONDS per database (`key`)."""
    cached = _EXTENTS.get((key, collection.id))
    now = time.monotonic()
    if cached and now - cached[0] < EXTENT_SECONDS:
        return cached[1]
    extent = _compute_extent(connection, collection)
    _EXTENTS[(key, collection.id)] = (now, extent)
    return extent


def _compute_extent(connection: Connection, collection: Collection) -> Extent:
    table = collection.resource.table
    interval = None
    if collection.temporal_column:
        column = table.c[collection.temporal_column]
        times = connection.execute(select(func.min(column), func.max(column))).one()
        interval = (times[0], times[1])
    return Extent(_bbox(connection, table), interval)
