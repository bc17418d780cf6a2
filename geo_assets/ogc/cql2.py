"""CQL2 filters (text, and JSON) to SQLAlchemy conditions over a collection's queryables.

pygeofilter parses the filter into an AST; this module walks it and builds the condition from
the queryables' own SQL expressions, every value a bound parameter checked against the
property's kind. A filter never reaches SQL as text: an unknown property, an operator we do
not offer, or a value of the wrong kind is an `InvalidQuery` naming the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import shapely.geometry
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text
from sqlalchemy import ColumnElement, and_, bindparam, func, not_, or_
from sqlalchemy.types import Float, Text

from geo_assets.errors import InvalidQuery
from geo_assets.inventory.params import Clause
from geo_assets.inventory.resources import Joined
from geo_assets.models import SRID
from geo_assets.ogc.collections import GEOMETRY, Collection, Queryable

LANGUAGES = ("cql2-text", "cql2-json")
MAX_FILTER_LENGTH = 20_000
MAX_DEPTH = 256  # nesting of AND/OR/NOT: much deeper would exhaust the SQL compiler's stack
_COMPARISONS: dict[type, Callable[[Any, Any], ColumnElement[bool]]] = {
    ast.Equal: lambda a, b: a == b,
    ast.NotEqual: lambda a, b: a != b,
    ast.LessThan: lambda a, b: a < b,
    ast.LessEqual: lambda a, b: a <= b,
    ast.GreaterThan: lambda a, b: a > b,
    ast.GreaterEqual: lambda a, b: a >= b,
}


def parse_filter(text: str, language: str | None) -> ast.Node:
    """The AST of a CQL2 filter, else InvalidQuery saying where it stopped making sense."""
    language = language or "cql2-text"
    if language not in LANGUAGES:
        raise InvalidQuery(f"filter-lang {language!r} is not offered; use cql2-text or cql2-json.")
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidQuery(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    try:
        if language == "cql2-json":
            return parse_json(json.loads(text))
        return parse_text(text)
    except RecursionError:
        raise InvalidQuery(f"The filter nests deeper than {MAX_DEPTH} levels.") from None
    except Exception as error:  # lark and json errors: the client's text is malformed
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidQuery(f"The {language} filter cannot be read: {first}") from None


def _check_depth(node: Any) -> None:
    """InvalidQuery when logical operators nest deeper than MAX_DEPTH (walked without
    recursion, so that the check itself cannot overflow)."""
    pending = [(node, 1)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise InvalidQuery(f"The filter nests deeper than {MAX_DEPTH} levels.")
        if isinstance(current, ast.Combination):
            pending += [(current.lhs, depth + 1), (current.rhs, depth + 1)]
        elif isinstance(current, ast.Not):
            pending.append((current.sub_node, depth + 1))


class Translator:
    """Turns one parsed filter into a condition on a statement over `joined`."""

    def __init__(self, collection: Collection, joined: Joined, *, from_json: bool = False) -> None:
        self.collection = collection
        self.joined = joined
        self.from_json = from_json  # cql2-json's {"bbox": [...]} arrives as an Envelope
        self.queryables = collection.queryables
        self.count = 0

    def condition(self, node: Any) -> ColumnElement[bool]:
        """The SQL condition of an AST node."""
        if isinstance(node, ast.And):
            return and_(self.condition(node.lhs), self.condition(node.rhs))
        if isinstance(node, ast.Or):
            return or_(self.condition(node.lhs), self.condition(node.rhs))
        if isinstance(node, ast.Not):
            return not_(self.condition(node.sub_node))
        if isinstance(node, ast.Comparison) and type(node) in _COMPARISONS:
            queryable, expression = self.attribute(node.lhs)
            value = self.value(queryable, node.rhs)
            return _COMPARISONS[type(node)](expression, value)
        if isinstance(node, ast.Like):
            return self.like(node)
        if isinstance(node, ast.In):
            queryable, expression = self.attribute(node.lhs)
            items = [self.value(queryable, item) for item in node.sub_nodes]
            clause = expression.in_(items)
            return not_(clause) if node.not_ else clause
        if isinstance(node, ast.Between):
            queryable, expression = self.attribute(node.lhs)
            clause = expression.between(
                self.value(queryable, node.low), self.value(queryable, node.high)
            )
            return not_(clause) if node.not_ else clause
        if isinstance(node, ast.IsNull):
            _, expression = self.attribute(node.lhs)
            return expression.is_not(None) if node.not_ else expression.is_(None)
        if isinstance(node, ast.GeometryIntersects):
            return self.intersects(node)
        if isinstance(node, bool):
            return and_(True) if node else or_(False)
        raise InvalidQuery(f"This server does not offer {_name(node)} in filters.")

    def attribute(self, node: Any) -> tuple[Queryable, ColumnElement]:
        """The queryable a property name refers to, and its SQL expression."""
        if not isinstance(node, ast.Attribute):
            raise InvalidQuery(
                f"The left side of a comparison must be a property; got {_show(node)}."
            )
        queryable = self.queryables.get(node.name)
        if queryable is None:
            raise InvalidQuery(
                f"{self.collection.id} has no queryable property {node.name!r}; see "
                f"/ogc/collections/{self.collection.id}/queryables "
                f"({', '.join(self.queryables)})."
            )
        return queryable, queryable.expression(self.collection, self.joined)

    def value(self, queryable: Queryable, node: Any) -> ColumnElement:
        """A literal as a bound parameter of the queryable's kind (else InvalidQuery)."""
        checked = _checked(queryable, node)
        self.count += 1
        sql_type = queryable.sql_type
        return bindparam(f"cql_{self.count}", checked, type_=sql_type)

    def like(self, node: ast.Like) -> ColumnElement[bool]:
        queryable, expression = self.attribute(node.lhs)
        if queryable.schema.get("type") != "string" or "format" in queryable.schema:
            raise InvalidQuery(f"LIKE needs a text property; {queryable.name} is not one.")
        pattern = self.value(queryable, node.pattern)
        clause = expression.ilike(pattern) if node.nocase else expression.like(pattern)
        return not_(clause) if node.not_ else clause

    def intersects(self, node: ast.GeometryIntersects) -> ColumnElement[bool]:
        lhs, rhs = node.lhs, node.rhs
        if isinstance(rhs, ast.Attribute):  # S_INTERSECTS(<geometry literal>, geometry)
            lhs, rhs = rhs, lhs
        if not (isinstance(lhs, ast.Attribute) and lhs.name in (GEOMETRY, "geom")):
            raise InvalidQuery(
                f"S_INTERSECTS compares the property {GEOMETRY!r} with a geometry; "
                f"got {_show(lhs)}."
            )
        if self.joined.geometry is None:
            raise InvalidQuery(f"{self.collection.id} has no geometry.")
        return func.ST_Intersects(self.joined.geometry, self.geometry(rhs))

    def geometry(self, node: Any) -> ColumnElement:
        """A BBOX or WKT/GeoJSON geometry literal as a bound, checked geometry."""
        self.count += 1
        name = f"cql_{self.count}"
        if isinstance(node, ast.Function) and node.name.lower() == "bbox":
            return _envelope(name, node.arguments)
        if isinstance(node, values.Envelope):
            if not self.from_json:
                raise InvalidQuery("Give the box as BBOX(west, south, east, north).")
            # pygeofilter fills the Envelope positionally from [west, south, east, north].
            return _envelope(name, [node.x1, node.x2, node.y1, node.y2])
        if isinstance(node, values.Geometry):
            try:
                shape = shapely.geometry.shape(node.geometry)
            except Exception as error:
                raise InvalidQuery(f"The filter's geometry is not valid: {error}.") from None
            if shape.is_empty or not shape.is_valid:
                raise InvalidQuery("The filter's geometry is empty or not valid.")
            return func.ST_GeomFromText(bindparam(name, shape.wkt, type_=Text), SRID)
        raise InvalidQuery(f"S_INTERSECTS needs a BBOX(...) or a geometry; got {_show(node)}.")


def _envelope(name: str, arguments: list[Any]) -> ColumnElement:
    numbers = [a for a in arguments if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(arguments) != 4 or len(numbers) != 4:
        raise InvalidQuery("BBOX needs 4 numbers: west, south, east, north (lon/lat).")
    x0, y0, x1, y1 = (float(n) for n in numbers)
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InvalidQuery(f"BBOX({x0}, {y0}, {x1}, {y1}) is not west,south,east,north in lon/lat.")
    parts = [bindparam(f"{name}_{i}", n, type_=Float) for i, n in enumerate((x0, y0, x1, y1))]
    return func.ST_MakeEnvelope(*parts, SRID)


def _checked(queryable: Queryable, node: Any) -> object:
    """`node` when it is a literal fitting the queryable's kind, as the value to bind."""
    kind, name = queryable.kind, queryable.name
    if isinstance(node, ast.Node | values.Geometry | values.Envelope | list):
        raise InvalidQuery(f"Compare {name} with a literal value; got {_show(node)}.")
    if kind in ("integer", "id", "number"):
        if isinstance(node, bool) or not isinstance(node, int | float):
            raise InvalidQuery(f"{name} is a number; got {_show(node)}.")
        if kind != "number" and not float(node).is_integer():
            raise InvalidQuery(f"{name} is a whole number; got {_show(node)}.")
        if abs(node) > 2**31 - 1:
            raise InvalidQuery(f"{name} {node} is out of range.")
        return int(node) if kind != "number" else float(node)
    if kind == "boolean":
        if not isinstance(node, bool):
            raise InvalidQuery(f"{name} is true or false; got {_show(node)}.")
        return node
    if kind in ("date", "datetime"):
        return _moment(name, kind, node)
    if not isinstance(node, str):
        raise InvalidQuery(f"{name} is text: quote the value, e.g. {name} = 'x'.")
    schema_values = queryable.schema.get("enum")
    if schema_values and "%" not in node and node not in schema_values:
        raise InvalidQuery(f"{name} is one of {', '.join(schema_values)}; got {node!r}.")
    return node


def _moment(name: str, kind: str, node: Any) -> date | datetime:
    if isinstance(node, values.Interval | ast.Node):
        raise InvalidQuery(f"Compare {name} with one TIMESTAMP(...) or DATE(...).")
    if isinstance(node, str):
        try:
            node = datetime.fromisoformat(node) if kind == "datetime" else date.fromisoformat(node)
        except ValueError:
            raise InvalidQuery(f"{name} is a {kind}; {node!r} is not an ISO 8601 one.") from None
    if isinstance(node, datetime) and kind == "date":
        return node.date()
    if isinstance(node, date) and not isinstance(node, datetime) and kind == "datetime":
        return datetime(node.year, node.month, node.day)
    if isinstance(node, date):
        return node
    raise InvalidQuery(f"{name} is a {kind}; got {_show(node)}.")


def _name(node: Any) -> str:
    return type(node).__name__


def _show(node: Any) -> str:
    if isinstance(node, ast.Attribute):
        return f"the property {node.name!r}"
    if isinstance(node, str | int | float | bool):
        return repr(node)
    return f"a {_name(node)}"


def filter_clause(collection: Collection, node: ast.Node, *, from_json: bool = False) -> Clause:
    """A `ListQuery` clause applying the parsed filter on the statement's own FROM."""

    def clause(joined: Joined) -> ColumnElement[bool]:
        return Translator(collection, joined, from_json=from_json).condition(node)

    _check_depth(node)
    clause(collection.resource.joined())  # a bad filter is refused before any statement
    return clause
