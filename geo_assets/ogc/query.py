"""An OGC items request as a `ListQuery`: limit, bbox, datetime, property equality and filter.

The items are then read by the same SQL feature builder as `/api/v1` lists
(`inventory/features.py`); this module only adds the OGC conditions as bound clauses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, bindparam
from sqlalchemy.types import DateTime

from geo_assets.errors import InvalidInput, InvalidQuery
from geo_assets.inventory.params import MAX_LIMIT, Clause, ListQuery, parse_bbox
from geo_assets.inventory.resources import Joined
from geo_assets.ogc.collections import Collection, Queryable
from geo_assets.ogc.cql2 import filter_clause, parse_filter

DEFAULT_LIMIT = 10
# numberMatched is exact up to this many matches and left out above it (OGC API Features lets a
# server omit it): counting a large area costs more than the page itself. Above the seeded
# city's 14,000 lamps, so a whole small city is still counted.
MATCH_CAP = 15_000
# Query parameters of the items request itself; any other must name a queryable.
STANDARD = frozenset(
    {"f", "lang", "limit", "offset", "bbox", "bbox-crs", "datetime", "filter", "filter-lang"}
)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def ogc_limit(limit: int | None) -> int:
    """The page size: default 10, at most 10,000 (larger is clamped, never refused)."""
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(limit, MAX_LIMIT))


def items_query(
    collection: Collection,
    params: Mapping[str, list[str]],
    *,
    limit: int | None,
    offset: int,
) -> ListQuery:
    """The list query of an items request, or InvalidQuery naming the bad parameter."""
    clauses: list[Clause] = [collection.base] if collection.base else []
    single = {name: values[-1] for name, values in params.items() if values}
    try:
        bbox = parse_bbox(single["bbox"]) if single.get("bbox") else None
    except InvalidInput as error:
        raise InvalidQuery(str(error)) from None
    if single.get("bbox-crs", CRS84) != CRS84:
        raise InvalidQuery(f"bbox-crs: only {CRS84} (lon/lat) is offered.")
    if single.get("datetime"):
        clauses.append(datetime_clause(collection, single["datetime"]))
    if single.get("filter"):
        language = single.get("filter-lang")
        node = parse_filter(single["filter"], language)
        clauses.append(filter_clause(collection, node, from_json=language == "cql2-json"))
    elif single.get("filter-lang"):
        parse_filter("", single["filter-lang"])  # an unknown language is refused even alone
    clauses += property_clauses(collection, params)
    return ListQuery(
        bbox=bbox,
        limit=ogc_limit(limit),
        offset=offset,
        clauses=tuple(clauses),
        count_cap=MATCH_CAP,
    )


def property_clauses(collection: Collection, params: Mapping[str, list[str]]) -> list[Clause]:
    """`name=value` for queryable properties (repeatable: any of the values)."""
    queryables = collection.queryables
    clauses: list[Clause] = []
    for name, values in params.items():
        if name in STANDARD:
            continue
        queryable = queryables.get(name)
        if queryable is None:
            raise InvalidQuery(
                f"Unknown parameter {name!r}. Filter {collection.id} by one of its queryables "
                f"({', '.join(queryables)}) or by {', '.join(sorted(STANDARD))}."
            )
        clauses.append(_equals(collection, queryable, [_typed(queryable, v) for v in values]))
    return clauses


def _typed(queryable: Queryable, text: str) -> object:
    kind, name = queryable.kind, queryable.name
    try:
        if kind in ("integer", "id"):
            value: object = int(text)
            if abs(int(text)) > 2**31 - 1:
                raise ValueError
            return value
        if kind == "number":
            return float(text)
        if kind == "boolean":
            return {"true": True, "false": False}[text.lower()]
        if kind == "date":
            return date.fromisoformat(text)
        if kind == "datetime":
            return _instant(text)
    except (ValueError, KeyError):
        raise InvalidQuery(f"{name} is {_kind_words(kind)}; got {text!r}.") from None
    allowed = queryable.schema.get("enum")
    if allowed and text not in allowed:
        raise InvalidQuery(f"{name} is one of {', '.join(allowed)}; got {text!r}.")
    return text


def _kind_words(kind: str) -> str:
    return {
        "integer": "a whole number",
        "id": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "date": "a date like 2024-01-31",
        "datetime": "a date-time like 2024-01-31T08:00:00Z",
    }.get(kind, "text")


def _equals(collection: Collection, queryable: Queryable, values: list[object]) -> Clause:
    sql_type = queryable.sql_type

    def clause(joined: Joined) -> ColumnElement[bool]:
        expression = queryable.expression(collection, joined)
        return expression.in_([bindparam(None, v, type_=sql_type) for v in values])

    return clause


def _instant(text: str) -> datetime:
    """An RFC 3339 date-time (or a date, as its midnight UTC); naive ones are UTC."""
    text = text.strip()
    parsed = (
        datetime.fromisoformat(text.replace("z", "Z"))
        if "T" in text.upper()
        else datetime.combine(date.fromisoformat(text), time())
    )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def datetime_clause(collection: Collection, text: str) -> Clause:
    """`datetime`: an instant, or an interval `start/end` where `..` or nothing is open."""
    column_name = collection.temporal_column
    if column_name is None:
        raise InvalidQuery(f"{collection.id} has no time to filter by datetime.")
    start, end = _interval(text)
    column = collection.resource.table.c[column_name]
    kind = DateTime(timezone=True)

    def clause(joined: Joined) -> ColumnElement[bool]:
        conditions = []
        if start is not None:
            conditions.append(column >= bindparam(None, start, type_=kind))
        if end is not None:
            conditions.append(column <= bindparam(None, end, type_=kind))
        return and_(*conditions) if conditions else column.is_not(None)

    return clause


def _interval(text: str) -> tuple[datetime | None, datetime | None]:
    parts = text.split("/")
    if len(parts) > 2:
        raise InvalidQuery(f"datetime {text!r}: give one instant or one interval start/end.")
    try:
        if len(parts) == 1:
            instant = _instant(parts[0])
            if "T" not in parts[0].upper():  # a date is the whole day
                return instant, instant + timedelta(days=1) - timedelta(microseconds=1)
            return instant, instant
        start, end = (None if p.strip() in ("", "..") else _instant(p) for p in parts)
    except ValueError:
        raise InvalidQuery(
            f"datetime {text!r} is not RFC 3339: e.g. 2024-01-31T08:00:00Z, "
            "2024-01-01/2024-06-30, or 2024-01-01T00:00:00Z/.. (open end)."
        ) from None
    if start is not None and end is not None and start > end:
        raise InvalidQuery(f"datetime {text!r}: the interval ends before it starts.")
    return start, end
