"""List filters several entities share, each declared once with its query-parameter text."""

from __future__ import annotations

from sqlalchemy import Table

from geo_assets.entities.base import ListFilter
from geo_assets.inventory.resources import Filter, equals, numbers, reference, spatial_within
from geo_assets.vocab import Vocabulary, codes


def in_areas(
    kecamatan: Filter | None = None, kelurahan: Filter | None = None
) -> tuple[ListFilter, ListFilter]:
    """The `kecamatan` and `kelurahan` filters: by default, rows whose geometry lies in them."""
    return (
        ListFilter(
            "kecamatan",
            kecamatan or spatial_within("kecamatan"),
            "Kecamatan code, id or name (repeatable).",
            examples=(["63.72.04"],),
        ),
        ListFilter(
            "kelurahan",
            kelurahan or spatial_within("kelurahan"),
            "Kelurahan code, id or name (repeatable).",
            examples=(["63.72.04.1002"],),
        ),
    )


# Everything with a geometry of its own can be asked for by the area it lies in.
IN_AREA = in_areas()


def exact(column: str, description: str) -> ListFilter:
    """A filter on a text column: equal to one of the values."""
    return ListFilter(column, equals(column), description)


def one_of(
    column: str,
    values: Vocabulary,
    title: str,
    *,
    name: str | None = None,
    examples: tuple[object, ...] = (),
    query_parameter: bool = True,
) -> ListFilter:
    """A filter on a vocabulary column: `title: code, code, ...` in the docs."""
    return ListFilter(
        name or column,
        equals(column, values),
        f"{title}: {', '.join(codes(values))}.",
        examples=examples,
        query_parameter=query_parameter,
    )


def points_at(
    name: str, column: str, target: Table | str, description: str, *, many: bool = True
) -> ListFilter:
    """A filter on a foreign key: the row it points at (`target`, a table or its name), by id,
    code or name."""
    return ListFilter(name, reference(column, target), description, many=many)


def number_filter(
    column: str, description: str, kind: type = float, *, query_parameter: bool = True
) -> ListFilter:
    """A filter on a numeric column."""
    return ListFilter(
        column,
        numbers(column, kind),
        description,
        value_type=kind,
        query_parameter=query_parameter,
    )
