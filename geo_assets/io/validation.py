"""Check every row of a file against an entity's rules, one column at a time.

Problems are collected per row (never raised), so that one pass over the file tells the person
everything that is wrong with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo_assets.io.entities import EntitySpec, Field, Reference
from geo_assets.io.parsing import (
    date_from_value,
    number_from_text,
    parse_column,
    text_from_value,
)
from geo_assets.io.report import Issue, Severity
from geo_assets.io.vocabulary import vocabulary_key, vocabulary_lookup
from geo_assets.vocab import label

SHAPEFILE_NAME_LIMIT = 10


@dataclass
class Problems:
    """Problems found so far, by row index; `bad` marks the rows that are refused."""

    size: int
    bad: np.ndarray = field(init=False)
    items: list[tuple[int | None, str, str, str, str, Severity]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bad = np.zeros(self.size, dtype=bool)

    def add(
        self,
        index: int,
        field_name: str,
        problem: str,
        allowed: str = "",
        value: object = "",
        severity: Severity = "error",
    ) -> None:
        """Record a problem in row `index` (0-based); an error refuses the row."""
        self.items.append((index, field_name, problem, allowed, _shown(value), severity))
        if severity == "error":
            self.bad[index] = True

    def file(self, field_name: str, problem: str, allowed: str = "") -> None:
        """Record a problem of the whole file: every row is refused."""
        self.items.append((None, field_name, problem, allowed, "", "error"))
        self.bad[:] = True

    def issues(self, codes: np.ndarray | None, lines: np.ndarray | None) -> list[Issue]:
        """The problems as report issues (file-level first, then by row), rows counted from 1."""
        ordered = sorted(self.items, key=lambda item: -1 if item[0] is None else item[0])
        result = []
        for index, name, problem, allowed, value, severity in ordered:
            code = "" if index is None or codes is None else _shown(codes[index])
            line = None if index is None or lines is None else int(lines[index])
            row = None if index is None else index + 1
            result.append(Issue(row, name, problem, allowed, value, code, line, severity))
        return result


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return text_from_value(value)[:80]


# --- columns --------------------------------------------------------------------------------


def column_key(name: object) -> str:
    """How column names are compared: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def map_columns(spec: EntitySpec, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map the file's columns to the spec's fields and references: ({name: column}, ignored).

    Names match by the field name or an alias; a Shapefile's names cut to 10 characters match
    the one field they are the start of (`pole_heigh` → `pole_height_m`).
    """
    accepted: dict[str, str] = {}
    items: list[Field | Reference] = [*spec.fields, *spec.references]
    for item in items:
        name = item.name if isinstance(item, Field) else item.column
        for key in (name, *item.aliases):
            accepted.setdefault(key, name)
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for column in columns:
        key = column_key(column)
        found = accepted.get(key) or _truncated_match(key, accepted)
        if found and found not in mapping:
            mapping[found] = column
        else:
            ignored.append(str(column))
    return mapping, ignored


def _truncated_match(key: str, accepted: dict[str, str]) -> str | None:
    if len(key) != SHAPEFILE_NAME_LIMIT:
        return None
    names = {name for alias, name in accepted.items() if alias.startswith(key)}
    return names.pop() if len(names) == 1 else None


# --- values ---------------------------------------------------------------------------------


def describe(item: Field) -> str:
    """What a field allows, in words a person reads in the report."""
    if item.hint:
        return item.hint
    if item.kind == "vocabulary" and item.vocabulary:
        return ", ".join(f"{code} ({label(item.vocabulary, code)})" for code in item.vocabulary)
    if item.kind == "date":
        return "a date as YYYY-MM-DD (or DD/MM/YYYY)"
    if item.kind == "text":
        return f"text of at most {item.max_length} characters" if item.max_length else "text"
    noun = "a whole number" if item.kind == "integer" else "a number"
    bounds = []
    if item.minimum is not None:
        bounds.append(f"{'more than' if item.minimum_exclusive else 'at least'} {item.minimum:g}")
    if item.maximum is not None:
        bounds.append(f"at most {item.maximum:g}")
    unit = f" {item.unit}" if item.unit else ""
    return f"{noun} {' and '.join(bounds)}{unit}".strip() if bounds else noun + unit


def check_field(item: Field, column: pd.Series | None, size: int, problems: Problems) -> np.ndarray:
    """Parse and check one field's column; returns the values (None where blank or refused)."""
    if column is None:
        if item.required:
            problems.file(item.name, f"the column '{item.name}' is missing", describe(item))
        values = np.empty(size, dtype=object)
        values[:] = [item.default] * size
        return values
    parser = _PARSERS[item.kind](item)
    values, blank, bad = parse_column(column, parser)
    raw = column.to_numpy(object)
    for index in np.flatnonzero(bad):
        problems.add(
            int(index), item.name, _bad_message(item, raw[index]), describe(item), raw[index]
        )
    if item.default is not None:
        values[blank] = item.default
    elif item.required:
        for index in np.flatnonzero(blank):
            problems.add(int(index), item.name, "is empty; a value is required", describe(item))
    _check_range(item, values, raw, problems)
    return values


def _check_range(item: Field, values: np.ndarray, raw: np.ndarray, problems: Problems) -> None:
    if item.kind == "text" and item.max_length:
        for index, value in enumerate(values):
            if value is not None and len(value) > item.max_length:
                problems.add(
                    index, item.name, f"is {len(value)} characters long", describe(item), raw[index]
                )
                values[index] = None
    if item.kind not in ("integer", "number"):
        return
    for index, value in enumerate(values):
        if value is None:
            continue
        low = item.minimum is not None and (
            value <= item.minimum if item.minimum_exclusive else value < item.minimum
        )
        high = item.maximum is not None and value > item.maximum
        if low or high:
            problems.add(
                index,
                item.name,
                f"{value:g}{' ' + item.unit if item.unit else ''} is out of range",
                describe(item),
                raw[index],
            )
            values[index] = None


def _bad_message(item: Field, raw: object) -> str:
    shown = _shown(raw)
    if item.kind == "vocabulary":
        return f"'{shown}' is not an allowed {item.name.replace('_', ' ')}"
    if item.kind == "date":
        return f"'{shown}' is not a date"
    if item.kind == "integer" and number_from_text(raw) is not None:
        return f"'{shown}' is not a whole number"
    return f"'{shown}' is not a number"


def _integer(value: object) -> int | None:
    number = number_from_text(value)
    return int(number) if number is not None and number.is_integer() else None


def _vocabulary_parser(item: Field):  # noqa: ANN202 - a parser closure
    lookup = vocabulary_lookup(item.vocabulary or {})
    return lambda value: lookup.get(vocabulary_key(value))


_PARSERS = {
    "text": lambda item: lambda value: text_from_value(value) or None,
    "integer": lambda item: _integer,
    "number": lambda item: number_from_text,
    "date": lambda item: date_from_value,
    "vocabulary": _vocabulary_parser,
}


# --- codes ----------------------------------------------------------------------------------


def check_code_format(spec: EntitySpec, codes: np.ndarray, problems: Problems) -> None:
    """Refuse codes that do not follow the entity's pattern (lamps: PJU-<kecamatan>-<nnnnn>)."""
    if not spec.code_pattern:
        return
    pattern = re.compile(spec.code_pattern)
    for index, code in enumerate(codes):
        if code is not None and not pattern.match(code):
            problems.add(
                index,
                "code",
                f"'{code}' does not follow the {spec.noun} code format",
                f"like {spec.code_example}",
                code,
            )


def check_duplicate_codes(codes: np.ndarray, problems: Problems) -> None:
    """Refuse every row whose code appears more than once in the file (which one is right?)."""
    series = pd.Series(codes, dtype=object)
    repeated = series[series.notna() & series.duplicated(keep=False)]
    rows_by_code = repeated.groupby(repeated).groups
    for code, indices in rows_by_code.items():
        rows = ", ".join(str(i + 1) for i in indices)
        for index in indices:
            problems.add(
                int(index),
                "code",
                f"code '{code}' appears more than once in the file (rows {rows})",
                "a code used by one row only",
                code,
            )


def check_codes_not_stored(
    spec: EntitySpec, codes: np.ndarray, stored: set[str], problems: Problems
) -> None:
    """Refuse rows whose code is already in the database."""
    for index, code in enumerate(codes):
        if code is not None and code in stored:
            problems.add(
                index,
                "code",
                f"a {spec.noun} with code '{code}' already exists in the database",
                "a code not used yet",
                code,
            )


def check_repeated_codes(
    codes: np.ndarray, repeated: dict[str, list[int]], problems: Problems
) -> None:
    """Like check_duplicate_codes, for one slice of a file read in slices.

    `repeated` holds the codes used more than once in the whole file, with their file rows.
    """
    for index, code in enumerate(codes):
        rows = repeated.get(code) if code is not None else None
        if rows:
            problems.add(
                index,
                "code",
                f"code '{code}' appears more than once in the file "
                f"(rows {', '.join(map(str, rows))})",
                "a code used by one row only",
                code,
            )
