"""`import_file`: read a file, check every row, store the valid rows in one transaction.

Without `skip_invalid` a file with any refused row stores nothing; with it the valid rows go in.
Either way the row-level report is written next to the file as `<file>.report.csv`. Rows go in
with COPY; row-level audit is switched off for the load and one summary audit row names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from geo_assets.bulk import set_actor, without_row_audit
from geo_assets.errors import Conflict, InvalidInput
from geo_assets.io.batch import Batch, copy_batch
from geo_assets.io.cemeteries import complete_cemeteries, derive_plot_columns
from geo_assets.io.entities import ENTITY_SPECS, EntitySpec, Reference
from geo_assets.io.geometry_checks import check_geometries
from geo_assets.io.lamps import complete_lamps, write_lamps
from geo_assets.io.lookups import city_area, ids_by_code, lock_for_import, stored_codes
from geo_assets.io.parsing import parse_column, text_from_value
from geo_assets.io.readers import read_source
from geo_assets.io.report import ImportReport, Issue, default_report_path
from geo_assets.io.sheet_report import write_sheet_report
from geo_assets.io.source import SourceTable
from geo_assets.io.spreadsheet import is_spreadsheet
from geo_assets.io.survey import label_issues, read_survey, sheet_report_path
from geo_assets.io.validation import (
    Problems,
    check_code_format,
    check_codes_not_stored,
    check_duplicate_codes,
    check_field,
    map_columns,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class EntityHooks:
    """What an entity does beyond the generic checks and COPY."""

    derive: Callable[[Batch], None] | None = None
    complete: Callable[[Connection, Batch], None] | None = None
    write: Callable[..., int] | None = None
    generated: frozenset[str] = frozenset()


HOOKS: dict[str, EntityHooks] = {
    "lamps": EntityHooks(complete=complete_lamps, write=write_lamps, generated=frozenset({"code"})),
    "cemeteries": EntityHooks(complete=complete_cemeteries),
    "plots": EntityHooks(derive=derive_plot_columns),
}


def entity_spec(entity: str) -> EntitySpec:
    """The spec of an importable entity, or InvalidInput naming the allowed ones."""
    try:
        return ENTITY_SPECS[entity]
    except KeyError:
        raise InvalidInput(
            f"Cannot import '{entity}'. Allowed: {', '.join(ENTITY_SPECS)}."
        ) from None


def import_file(
    engine: Engine,
    *,
    entity: str,
    path: Path | str,
    skip_invalid: bool = False,
    actor: str = "import",
    report_path: Path | None = None,
    write_report: bool = True,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Import `path` into `entity`'s table; returns the report (also written as CSV).

    Raises Conflict only when the database refuses what validation accepted (e.g. a concurrent
    writer); every problem with the file itself is in the report. `sheet` picks a spreadsheet's
    sheet (default: the first with a recognisable header); its report is also written as .xlsx.
    """
    spec = entity_spec(entity)
    path = Path(path)
    report = ImportReport(entity, path, skip_invalid=skip_invalid)
    _say(progress, f"reading {path.name}")
    report.sheet = (sheet or "") if is_spreadsheet(path) else None
    try:
        if report.sheet is not None:
            source = read_survey(path, spec, sheet=sheet)
        else:
            source = read_source(path, layer_names=(entity.replace("-", "_"), spec.table))
    except InvalidInput as exc:
        report.issues.append(Issue(None, "(file)", str(exc)))
        return _finish(report, report_path, write_report)
    report.rows_read, report.reprojected_from = len(source), source.reprojected_from
    report.sheet = source.sheet
    try:
        with engine.begin() as connection:
            set_actor(connection, actor)
            lock_for_import(connection, spec.table)
            _say(progress, f"checking {len(source)} rows")
            batch = check_batch(connection, spec, source)
            codes = batch.values.get("code")
            report.issues = batch.problems.issues(codes, source.line_numbers)
            if source.sheet is not None:
                report.issues = label_issues(report.issues, source)
            report.refused = int(batch.problems.bad.sum())
            report.ignored_columns = batch.ignored_columns
            if skip_invalid or not report.refused:
                _say(progress, f"storing {int(batch.valid.sum())} rows")
                report.imported = _store(connection, batch, actor=actor)
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise Conflict(
            f"The database refused the import of {path.name}; nothing was stored: {reason}"
        ) from None
    return _finish(report, report_path, write_report)


def check_batch(connection: Connection, spec: EntitySpec, source: SourceTable) -> Batch:
    """Check every row of `source` against `spec` and the database; nothing is written."""
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
    )
    hooks = HOOKS.get(spec.name, EntityHooks())
    if hooks.derive:
        hooks.derive(batch)
    for item in spec.fields:
        column = batch.columns.get(item.name)
        if column is None and item.name in hooks.generated:
            continue
        batch.values[item.name] = check_field(item, column, len(batch), problems)
    if "code" in batch.columns:
        _check_codes(connection, batch)
    for reference in spec.references:
        _resolve(connection, batch, reference)
    batch.area, batch.area_text = city_area(connection)
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


def _check_codes(connection: Connection, batch: Batch) -> None:
    codes = batch.values["code"]
    check_code_format(batch.spec, codes, batch.problems)
    check_duplicate_codes(codes, batch.problems)
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


def _store(connection: Connection, batch: Batch, *, actor: str) -> int:
    count = int(batch.valid.sum())
    if not count:
        return 0
    without_row_audit(
        connection,
        actor=actor,
        table=batch.spec.table,
        count=count,
        summary=f"import {batch.spec.name} from {batch.source.path.name}",
    )
    hooks = HOOKS.get(batch.spec.name, EntityHooks())
    if hooks.write:
        return hooks.write(connection, batch, actor=actor, occurred_at=datetime.now(UTC))
    return copy_batch(connection, batch)


def _finish(report: ImportReport, report_path: Path | None, write_report: bool) -> ImportReport:
    if write_report and (report_path or report.path.exists()):
        try:
            report.write_csv(report_path or default_report_path(report.path))
            if report.sheet is not None and report.report_path:
                write_sheet_report(report, sheet_report_path(report.report_path))
        except OSError:
            report.report_path = None
    return report


def _say(progress: Progress | None, message: str) -> None:
    if progress:
        progress(message)
