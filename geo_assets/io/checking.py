"""One slice of a file checked against an entity's rules and the database, then made ready for COPY.

Everything here only reads the database (through the connection it is given), so that a large
import can check the next slice on a connection of its own while the slice before is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from geo_assets.io.batch import Batch, CopyLoad, copy_load
from geo_assets.io.cemeteries import complete_cemeteries, derive_plot_columns
from geo_assets.io.entities import EntitySpec, Reference
from geo_assets.io.geometry_checks import check_geometries
from geo_assets.io.lamps import complete_lamps, count_tile_cells, prepare_lamps
from geo_assets.io.lookups import city_area, ids_by_code, stored_codes
from geo_assets.io.parsing import parse_column, text_from_value
from geo_assets.io.source import SourceTable
from geo_assets.io.validation import (
    Problems,
    check_code_format,
    check_codes_not_stored,
    check_duplicate_codes,
    check_field,
    check_repeated_codes,
    map_columns,
)


@dataclass(frozen=True)
class EntityHooks:
    """What an entity does beyond the generic checks and COPY."""

    derive: Callable[[Batch], None] | None = None
    complete: Callable[[Connection, Batch], None] | None = None
    # The valid rows made ready for COPY (default: the entity's columns as they are).
    prepare: Callable[..., CopyLoad] | None = None
    # On the writing connection after the last slice is stored, before commit (with the state
    # the loads' `after` steps kept).
    finish: Callable[[Connection, dict[str, object]], None] | None = None
    generated: frozenset[str] = frozenset()


HOOKS: dict[str, EntityHooks] = {
    "lamps": EntityHooks(
        complete=complete_lamps,
        prepare=prepare_lamps,
        finish=count_tile_cells,
        generated=frozenset({"code"}),
    ),
    "cemeteries": EntityHooks(complete=complete_cemeteries),
    "plots": EntityHooks(derive=derive_plot_columns),
}


def check_batch(
    connection: Connection,
    spec: EntitySpec,
    source: SourceTable,
    *,
    repeated: dict[str, dict[str, list[int]]] | None = None,
    shared: dict[str, object] | None = None,
    first_row: int = 0,
    before_lookups: Callable[[], None] | None = None,
) -> Batch:
    """Check every row of `source` against `spec` and the database; nothing is written.

    `repeated`, for a slice of a larger file starting at row `first_row` + 1, holds the values
    (codes, office ids) used more than once in the whole file; `shared` keeps lookups (the
    city's area...) from one slice to the next of the same import; `before_lookups` is called
    once the fields are checked, before the first query.
    """
    problems = Problems(len(source))
    reported = np.zeros(len(source), dtype=bool)
    for problem in source.problems:
        problems.add(problem.index, problem.field, problem.problem, problem.allowed, problem.value)
        reported[problem.index] = True
    mapping, ignored = map_columns(spec, list(source.frame.columns))
    batch = Batch(
        spec,
        source,
        problems,
        ignored_columns=ignored,
        columns={name: source.frame[column] for name, column in mapping.items()},
        shared={} if shared is None else shared,
        first_row=first_row,
        repeated=repeated,
    )
    hooks = HOOKS.get(spec.name, EntityHooks())
    if hooks.derive:
        hooks.derive(batch)
    for item in spec.fields:
        column = batch.columns.get(item.name)
        if column is None and item.name in hooks.generated:
            continue
        batch.values[item.name] = check_field(item, column, len(batch), problems)
    if before_lookups:
        before_lookups()
    if "code" in batch.columns:
        _check_codes(connection, batch)
    for reference in spec.references:
        _resolve(connection, batch, reference)
    if "area" not in batch.shared:
        batch.shared["area"] = city_area(connection)
    batch.area, batch.area_text = batch.shared["area"]
    batch.geometry = check_geometries(
        source.geometry,
        spec.geometry_type,
        batch.area,
        batch.area_text,
        problems,
        reported=reported,
    )
    if hooks.complete:
        hooks.complete(connection, batch)
    return batch


def prepare_load(
    connection: Connection, batch: Batch, *, actor: str, occurred_at: datetime
) -> CopyLoad | None:
    """The valid rows of `batch` ready for COPY (None when there are none)."""
    if not batch.valid.any():
        return None
    prepare = HOOKS.get(batch.spec.name, EntityHooks()).prepare
    if prepare:
        return prepare(connection, batch, actor=actor, occurred_at=occurred_at)
    return copy_load(batch)


def _check_codes(connection: Connection, batch: Batch) -> None:
    codes = batch.values["code"]
    check_code_format(batch.spec, codes, batch.problems)
    if batch.repeated is None:
        check_duplicate_codes(codes, batch.problems)
    else:
        check_repeated_codes(codes, batch.repeated.get("code", {}), batch.problems)
    stored = stored_codes(connection, batch.spec.table, codes)
    check_codes_not_stored(batch.spec, codes, stored, batch.problems)


def _resolve(connection: Connection, batch: Batch, reference: Reference) -> None:
    """Turn a column of codes into the referenced rows' ids; unknown codes are refused."""
    column = batch.columns.get(reference.column)
    allowed = f"the code of a stored {reference.noun} (import the {reference.noun} first)"
    if column is None:
        if reference.required:
            batch.problems.file(
                reference.column, f"the column '{reference.column}' is missing", allowed
            )
        return
    codes, blank, _ = parse_column(column, lambda value: text_from_value(value) or None)
    found = ids_by_code(connection, reference.table, codes[~blank])
    ids = np.full(len(batch), None, dtype=object)
    for index in range(len(batch)):
        code = codes[index]
        if code is None:
            if reference.required:
                batch.problems.add(
                    index, reference.column, "is empty; a value is required", allowed
                )
        elif code in found:
            ids[index] = found[code]
        else:
            batch.problems.add(
                index, reference.column, f"no {reference.noun} with code '{code}'", allowed, code
            )
    batch.values[reference.target] = ids
