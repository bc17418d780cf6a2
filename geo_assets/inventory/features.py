"""Reading the inventory as GeoJSON text built by PostgreSQL: pages of features and single items."""

from __future__ import annotations

import math
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    false,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.types import UserDefinedType

from geo_assets.errors import InvalidInput, NotFound
from geo_assets.inventory.params import ListQuery, check_radius, parse_id
from geo_assets.inventory.resources import Joined, Resource
from geo_assets.models import SRID
from geo_assets.models.base import ID_ORDER_INDEX

# Coordinates to 7 decimals: about 1 cm on the ground, and a smaller answer.
PRECISION = 7
METRES_PER_DEGREE = 111_320.0


class Geography(UserDefinedType):
    """PostGIS geography, for casts only (distances in metres)."""

    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "geography"


@dataclass(frozen=True)
class FeaturePage:
    """One page of a list: counts and the features as a JSON array (text).

    `matched` is None when the query's `count_cap` was reached: more than that many match.
    """

    matched: int | None
    returned: int
    features: str


def key_literal(name: str) -> ColumnElement:
    """A JSON key as a SQL literal (names are ours, never a client's)."""
    assert name.replace("_", "").isalnum(), name
    return literal_column(f"'{name}'")


def json_object(pairs: dict[str, ColumnElement]) -> ColumnElement:
    """`json_build_object` over named expressions."""
    args: list[ColumnElement] = []
    for name, expression in pairs.items():
        args += [key_literal(name), expression]
    return func.json_build_object(*args)


def geojson(expression: ColumnElement) -> ColumnElement:
    """A geometry as a GeoJSON object (json)."""
    return cast(func.ST_AsGeoJSON(expression, PRECISION), JSON)


def properties(resource: Resource, joined: Joined, *, privileged: bool) -> dict[str, ColumnElement]:
    """The expressions of every property a reader may see."""
    table = resource.table
    names = resource.columns + (resource.personal if privileged else ())
    props: dict[str, ColumnElement] = {name: table.c[name] for name in names}
    props |= {name.removesuffix("_geom"): geojson(table.c[name]) for name in resource.point_columns}
    props |= joined.properties
    props |= {"version": table.c.version, "updated_at": table.c.updated_at}
    return props


def feature(
    resource: Resource,
    joined: Joined,
    *,
    privileged: bool,
    extra: dict[str, ColumnElement] | None = None,
) -> ColumnElement:
    """One GeoJSON Feature as a json expression."""
    props = properties(resource, joined, privileged=privileged) | (extra or {})
    geometry = geojson(joined.geometry) if joined.geometry is not None else literal_column("null")
    return json_object(
        {
            "type": literal_column("'Feature'"),
            "id": resource.table.c.id,
            "geometry": geometry,
            "properties": json_object(props),
        }
    )


def point(lon: float, lat: float) -> ColumnElement:
    """A lon/lat point in the storage SRID."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def metres(geometry: ColumnElement, other: ColumnElement) -> ColumnElement:
    """Distance in metres on the spheroid."""
    return func.ST_Distance(cast(geometry, Geography), cast(other, Geography))


def within_metres(geometry: ColumnElement, centre: ColumnElement) -> ColumnElement[bool]:
    """Within :radius metres of `centre`: a box test (:dx, :dy degrees) on the GIST index, then
    the exact distance on the spheroid."""
    return and_(
        geometry.op("&&")(func.ST_Expand(centre, bindparam("dx"), bindparam("dy"))),
        func.ST_DWithin(cast(geometry, Geography), cast(centre, Geography), bindparam("radius")),
    )


def where_clauses(resource: Resource, joined: Joined, query: ListQuery) -> list[ColumnElement]:
    """The WHERE conditions for a list query (bbox and near as bound parameters)."""
    return filter_clauses(resource, joined, query) + area_clauses(resource, joined, query)


def filter_clauses(resource: Resource, joined: Joined, query: ListQuery) -> list[ColumnElement]:
    """The conditions of a list query's filters and clauses."""
    clauses: list[ColumnElement] = []
    for name, values in query.filters.items():
        if name not in resource.filters:
            raise InvalidInput(f"{resource.name} cannot be filtered by {name}.")
        clauses.append(resource.filters[name](resource.table, values))
    return clauses + [clause(joined) for clause in query.clauses]


def area_clauses(
    resource: Resource, joined: Joined, query: ListQuery, *, counting: bool = False
) -> list[ColumnElement]:
    """The bbox and near conditions; `counting`: the same rows, tested the way cheapest per row
    (see `in_box`)."""
    geometry = joined.geometry
    if not (query.bbox or query.near):
        return []
    if geometry is None:
        raise InvalidInput(f"{resource.name} have no geometry to filter by area.")
    clauses: list[ColumnElement] = []
    if query.bbox:
        clauses.append(in_box(resource, geometry, counting=counting))
    if query.near:
        clauses.append(within_metres(geometry, _centre()))
    return clauses


def in_box(resource: Resource, geometry: ColumnElement, *, counting: bool) -> ColumnElement[bool]:
    """The geometry intersects the bbox (:x0, :y0, :x1, :y1).

    Counting the lamps of a large box tests thousands of rows: there a point column is tested
    by its box on the GiST index, then its coordinates compared, edges included: the answer of
    ST_Intersects at half its cost per row. Pages keep ST_Intersects, whose row estimate (from
    PostGIS's statistics) the planner needs to choose how to read a page; the comparisons would
    be estimated as matching almost nothing.
    """
    x0, y0, x1, y1 = (bindparam(name, type_=Float) for name in ("x0", "y0", "x1", "y1"))
    envelope = func.ST_MakeEnvelope(x0, y0, x1, y1, SRID)
    own_point = resource.geometry_type == "Point" and geometry is resource.table.c.get("geom")
    if not (counting and own_point):
        return func.ST_Intersects(geometry, envelope)
    return and_(
        geometry.op("&&")(envelope),
        func.ST_X(geometry).between(x0, x1),
        func.ST_Y(geometry).between(y0, y1),
    )


def _centre() -> ColumnElement:
    return func.ST_SetSRID(func.ST_MakePoint(bindparam("lon"), bindparam("lat")), SRID)


def query_parameters(query: ListQuery) -> dict[str, float | int]:
    """The bound values of a page statement: page, bbox, and the near circle."""
    values: dict[str, float | int] = {"page_limit": query.limit, "page_offset": query.offset}
    if query.bbox:
        values |= dict(zip(("x0", "y0", "x1", "y1"), query.bbox, strict=True))
    if query.near:
        lon, lat = query.near
        radius = check_radius(query.radius_m)
        dy = radius / METRES_PER_DEGREE * 1.01
        dx = dy / max(math.cos(math.radians(lat)), 0.01)
        values |= {"lon": lon, "lat": lat, "radius": radius, "dx": dx, "dy": dy}
    return values


def _build_page_statement(resource: Resource, query: ListQuery, privileged: bool) -> Select:
    """The page's ids first, on the filtered rows alone (outer joins no clause uses are dropped
    by PostgreSQL), then the features built for those ids only: a skipped row costs no JSON."""
    joined = resource.joined()
    filters = filter_clauses(resource, joined, query)
    clauses = filters + area_clauses(resource, joined, query)
    counted = filters + area_clauses(resource, joined, query, counting=True)
    table = resource.table
    sort_key: ColumnElement = id_order(table, joined.geometry, query)
    order: list[ColumnElement] = [sort_key]
    if query.near and joined.geometry is not None:
        sort_key = metres(joined.geometry, _centre())
        order = [sort_key, table.c.id]
    ids = (
        select(table.c.id.label("id"), sort_key.label("sort_key"))
        .select_from(joined.from_clause)
        .where(*clauses)
        .order_by(*order)
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
        .subquery("ids")
    )
    page = (
        select(
            ids.c.id,
            ids.c.sort_key,
            feature(resource, joined, privileged=privileged).label("feature"),
        )
        .select_from(joined.from_clause.join(ids, ids.c.id == table.c.id))
        .subquery("page")
    )
    aggregated = func.json_agg(aggregate_order_by(page.c.feature, page.c.sort_key, page.c.id))
    return select(
        _matched(joined, counted, query.count_cap).label("matched"),
        func.count().label("returned"),
        cast(func.coalesce(aggregated, cast(literal_column("'[]'"), JSON)), Text).label("features"),
    ).select_from(page)


def id_order(table: Table, geometry: ColumnElement | None, query: ListQuery) -> ColumnElement:
    """The id, as the key a page is sorted by.

    In a bbox, on a table with a GiST index on (geom, (id + 0)), it is `(id + 0) <-> 0`
    (btree_gist's distance of the id to 0: the id itself, ids being positive). PostgreSQL then
    reads the box's rows from that index in id order and stops after the page, where
    `ORDER BY id` walks the primary key past every row outside the box (slow when the box's
    rows have high ids) or sorts every row inside it (slow for a large box).
    """
    if query.bbox and geometry is not None and _id_order_index(table, geometry):
        zero = literal_column("0", Integer)
        return (table.c.id + zero).self_group().op("<->", return_type=Integer)(zero)
    return table.c.id


def _id_order_index(table: Table, geometry: ColumnElement) -> bool:
    """True when `table` has a GiST index reading `geometry`'s boxes in id order."""
    return any(
        index.info.get(ID_ORDER_INDEX) and index.expressions[0] is geometry
        for index in table.indexes
    )


def _matched(joined: Joined, clauses: list[ColumnElement], cap: int | None) -> ColumnElement:
    """The exact count of matching rows; with a `cap`, at most cap + 1 rows are counted and
    NULL stands for "more than cap"."""
    if cap is None:
        return (
            select(func.count()).select_from(joined.from_clause).where(*clauses).scalar_subquery()
        )
    rows: Select = (
        select(literal_column("1").label("one")).select_from(joined.from_clause).where(*clauses)
    )
    counted = select(func.count()).select_from(rows.limit(cap + 1).subquery("matching"))
    return func.nullif(counted.scalar_subquery(), cap + 1)


# Statements are built once per shape (resource, reader, filter values, area kind); the page,
# bbox and circle are bound parameters. Bounded, since filter values come from clients.
_STATEMENTS: dict[tuple, Select] = {}
_MAX_STATEMENTS = 512


def page_statement(resource: Resource, query: ListQuery, *, privileged: bool) -> Select:
    """One statement: numberMatched, numberReturned and the features array as text."""
    if query.clauses:  # their values are bound into the statement: built for this query only
        return _build_page_statement(resource, query, privileged)
    shape = (
        resource.name,
        privileged,
        bool(query.bbox),
        bool(query.near),
        query.count_cap,
        tuple((name, tuple(values)) for name, values in sorted(query.filters.items())),
    )
    statement = _STATEMENTS.get(shape)
    if statement is None:
        statement = _build_page_statement(resource, query, privileged)
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        _STATEMENTS[shape] = statement
    return statement


def list_features(
    *, connection: Connection, resource: Resource, query: ListQuery, privileged: bool = False
) -> FeaturePage:
    """A page of `resource` matching `query`, as GeoJSON features built by PostgreSQL, in one
    statement (one round trip).

    Read without parallel workers: starting them cost a small page 30-40 ms, more than
    reading it. See `serial`.
    """
    statement = serial(page_statement(resource, query, privileged=privileged))
    row = connection.execute(statement, query_parameters(query)).one()
    matched = row.matched
    if matched is None and 0 < row.returned < query.limit:  # the last page: no count needed
        matched = query.offset + row.returned
    return FeaturePage(matched=matched, returned=row.returned, features=row.features)


# A parallel-unsafe function anywhere in a statement keeps PostgreSQL from planning parallel
# workers for the whole statement; set_config is one, and says what it is there for. Its LOCAL
# setting lasts as long as the statement's transaction: on an autocommit connection, the
# statement itself. One statement, where SET and RESET around the page took two more round trips.
_SERIAL = select(
    func.set_config(
        literal_column("'max_parallel_workers_per_gather'"), literal_column("'0'"), true()
    )
).scalar_subquery()
# The wrapped statement of each page statement alive (page_statement keeps the common ones), so
# that SQLAlchemy's compiled cache sees the same object again.
_SERIAL_STATEMENTS: WeakKeyDictionary[Select, Select] = WeakKeyDictionary()


def serial(statement: Select) -> Select:
    """`statement` with a column that keeps PostgreSQL from planning it with parallel workers."""
    wrapped = _SERIAL_STATEMENTS.get(statement)
    if wrapped is None:
        wrapped = _SERIAL_STATEMENTS[statement] = statement.add_columns(_SERIAL.label("serial"))
    return wrapped


def key_clause(resource: Resource, key: str) -> ColumnElement[bool]:
    """The row named by `key`: its integer id or its code."""
    table = resource.table
    row_id = parse_id(key)
    if row_id is not None:
        return table.c.id == row_id
    if resource.has_code:
        return table.c.code == key
    return false()


def resolve_id(*, connection: Connection, resource: Resource, key: str) -> int:
    """The id of the row named by `key` (id or code), else NotFound."""
    row_id = connection.execute(
        select(resource.table.c.id).where(key_clause(resource, key))
    ).scalar_one_or_none()
    if row_id is None:
        raise NotFound(f"There is no {resource.noun} with id or code {key!r}.")
    return row_id


def read_feature(
    *, connection: Connection, resource: Resource, key: str, privileged: bool = False
) -> tuple[int, str]:
    """The version and GeoJSON Feature (text) of the row named by `key`."""
    joined = resource.joined()
    row = connection.execute(
        select(
            resource.table.c.version,
            cast(feature(resource, joined, privileged=privileged), Text).label("feature"),
        )
        .select_from(joined.from_clause)
        .where(key_clause(resource, key))
    ).one_or_none()
    if row is None:
        raise NotFound(f"There is no {resource.noun} with id or code {key!r}.")
    return row.version, row.feature
