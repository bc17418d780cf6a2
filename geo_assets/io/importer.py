"""`import_file`: read a file, check every row, store the valid rows in one transaction.

Without `skip_invalid` a file with any refused row stores nothing; with it the valid rows go in.
A large GeoPackage or Shapefile is read and stored a slice at a time (`ogr_chunks`), inside the
same transaction; the next slice is read, checked and made ready for COPY in a thread, on a
connection of its own, while the database writes the one before (`read_ahead`).
Either way the row-level report is written next to the file as `<file>.report.csv`. Rows go in
with COPY; row-level audit is switched off for the load and one summary audit row names the file.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from geo_assets.bulk import collector_paused, log_bulk_write, row_audit_off, set_actor
from geo_assets.errors import Conflict, InvalidInput
from geo_assets.io.batch import CopyLoad, send_copy
from geo_assets.io.checking import HOOKS, EntityHooks, check_batch, prepare_load
from geo_assets.io.columns import rename_columns
from geo_assets.io.entities import ENTITY_SPECS, EntitySpec
from geo_assets.io.lookups import lock_for_import
from geo_assets.io.ogr_chunks import CHUNK_ROWS, large_ogr_layer, read_chunks, repeated_values
from geo_assets.io.read_ahead import read_ahead
from geo_assets.io.readers import read_source
from geo_assets.io.report import ImportReport, Issue, Progress, finish_report, say
from geo_assets.io.source import SourceTable
from geo_assets.io.spreadsheet import is_spreadsheet
from geo_assets.io.survey import OFFICE_ID, label_issues, read_survey
from geo_assets.io.validation import map_columns

__all__ = ["HOOKS", "EntityHooks", "check_batch", "entity_spec", "import_file"]

# Values that must be unique in a file: found across the slices of a large one by a first pass.
UNIQUE_FIELDS = ("code", OFFICE_ID)


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
    chunk_rows: int = CHUNK_ROWS,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Import `path` into `entity`'s table; returns the report (also written as CSV).

    A GeoPackage or Shapefile of more than `chunk_rows` features is read, checked and stored a
    slice at a time in the same transaction (memory stays flat); the outcome is the same.
    `columns` maps our field names to the file's column names (`--column TARGET=SOURCE`).
    Raises Conflict only when the database refuses what validation accepted (e.g. a concurrent
    writer); every problem with the file itself is in the report. `sheet` picks a spreadsheet's
    sheet (default: the first with a recognisable header); its report is also written as .xlsx.
    """
    spec = entity_spec(entity)
    path = Path(path)
    report = ImportReport(entity, path, skip_invalid=skip_invalid)
    say(progress, f"reading {path.name}")
    report.sheet = (sheet or "") if is_spreadsheet(path) else None
    try:
        with collector_paused():
            slices, repeated = _open_source(spec, path, entity, chunk_rows, columns or {}, report)
            _import_slices(engine, spec, slices, repeated, report, actor=actor, progress=progress)
    except InvalidInput as exc:
        report.issues, report.imported, report.refused = [Issue(None, "(file)", str(exc))], 0, 0
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise Conflict(
            f"The database refused the import of {path.name}; nothing was stored: {reason}"
        ) from None
    return finish_report(report, report_path, write_report)


@contextmanager
def _objects_before_frozen() -> Iterator[None]:
    """Set aside (`gc.freeze`) what exists before the first slice (modules, caches), so that a
    full collection between slices walks only the objects made since: cheap, and it frees the
    cycles of every earlier slice (collecting the young generations alone let each slice's
    frames, alive at that moment, age into the oldest one and pile up: 385 MB at 1.4 M rows)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _between_slices() -> None:
    """Free the cycles the slices before left, so memory stays flat while the collector is held."""
    gc.collect()


def _open_source(
    spec: EntitySpec,
    path: Path,
    entity: str,
    chunk_rows: int,
    columns: dict[str, str],
    report: ImportReport,
) -> tuple[Iterator[SourceTable], dict[str, dict[str, list[int]]] | None]:
    """The file's rows as slices (columns renamed by `columns`), and (for a file read in slices)
    the values of its unique fields used more than once. A spreadsheet is read whole, from the
    sheet `report.sheet` names."""
    layer_names = (entity.replace("-", "_"), spec.table)
    targets = [f.name for f in spec.fields] + [r.column for r in spec.references]
    if report.sheet is not None:
        survey = read_survey(path, spec, sheet=report.sheet or None)
        report.sheet = survey.sheet
        return iter([rename_columns(survey, columns, targets)]), None
    large = large_ogr_layer(path, layer_names, chunk_rows)
    if large is None:
        source = read_source(path, layer_names=layer_names)
        return iter([rename_columns(source, columns, targets)]), None
    mapped = map_columns(spec, list(large.columns))[0]
    repeated = {}
    for name in UNIQUE_FIELDS:
        column = columns.get(name) or mapped.get(name)
        if column in large.columns:
            repeated[name] = repeated_values(large, column, chunk_rows)
    slices = read_chunks(large, chunk_rows)
    return (rename_columns(s, columns, targets) for s in slices), repeated


def _import_slices(
    engine: Engine,
    spec: EntitySpec,
    slices: Iterator[SourceTable],
    repeated: dict[str, dict[str, list[int]]] | None,
    report: ImportReport,
    *,
    actor: str,
    progress: Progress | None,
) -> None:
    """Check and store each slice in one transaction; roll back what a refusal must undo.

    A file read in slices (`repeated` given) is checked a slice ahead in a thread, on a
    connection of its own (it sees what was stored before the import, and the import's lock
    keeps other writers out; repeats within the file are known from `repeated`). A store may
    leave its last statement running (`state["pending"]`, the lamps' first events): it is
    awaited before the next query on the writing connection (`_settle`).
    """
    occurred_at = datetime.now(UTC)
    state: dict[str, object] = {}  # kept by the writes, from one slice to the next
    ahead = repeated is not None
    with (
        _objects_before_frozen(),
        engine.connect() as connection,
        connection.begin() as transaction,
    ):
        set_actor(connection, actor)
        lock_for_import(connection, spec.table)
        try:
            with _lookup_connection(engine, connection, ahead) as lookups:
                loads = _checked_loads(
                    lookups,
                    spec,
                    slices,
                    repeated,
                    report,
                    progress,
                    actor=actor,
                    occurred_at=occurred_at,
                    before_lookups=None if ahead else lambda: _settle(state),
                    made_now=ahead,
                )
                with read_ahead(loads) if ahead else nullcontext(loads) as ready:
                    for load in ready:
                        say(progress, f"storing {load.count} rows")
                        report.imported += write_load(connection, load, state)
        finally:
            _settle(state)
        if not skip_invalid_or_clean(report):
            transaction.rollback()  # slices stored before the first refused row
            report.imported = 0
        elif report.imported:
            finish = HOOKS.get(spec.name, EntityHooks()).finish
            if finish:
                finish(connection, state)
            summary = f"import {spec.name} from {report.path.name}"
            log_bulk_write(
                connection, actor=actor, table=spec.table, count=report.imported, summary=summary
            )


@contextmanager
def _lookup_connection(engine: Engine, connection: Connection, own: bool) -> Iterator[Connection]:
    """Where the checks read the database: `connection` itself, or (`own`) a connection of
    their own, reading committed rows only (autocommit: no snapshot held for the import)."""
    if not own:
        yield connection
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lookups:
        yield lookups


def _checked_loads(
    connection: Connection,
    spec: EntitySpec,
    slices: Iterator[SourceTable],
    repeated: dict[str, dict[str, list[int]]] | None,
    report: ImportReport,
    progress: Progress | None,
    *,
    actor: str,
    occurred_at: datetime,
    before_lookups: Callable[[], None] | None,
    made_now: bool,
) -> Iterator[CopyLoad]:
    """Each slice checked (its issues added to the report), and its valid rows ready for COPY
    while no row is refused (or with --skip-invalid); `made_now`: their COPY text formatted
    here (in the read-ahead thread), not while they are sent."""
    shared: dict[str, object] = {}  # lookups made once for all slices (the city's area...)
    for source in slices:
        first_row = report.rows_read
        if not first_row:
            report.reprojected_from = source.reprojected_from
        report.rows_read += len(source)
        say(progress, f"checking {len(source)} rows")
        batch = check_batch(
            connection,
            spec,
            source,
            repeated=repeated,
            shared=shared,
            first_row=first_row,
            before_lookups=before_lookups,
        )
        issues = batch.problems.issues(batch.values.get("code"), source.line_numbers)
        if source.sheet is not None:
            issues = label_issues(issues, source)
        report.issues += _from_row(issues, first_row)
        report.refused += int(batch.problems.bad.sum())
        if not first_row:
            report.ignored_columns = batch.ignored_columns
        load = None
        if skip_invalid_or_clean(report):
            batch.drop_raw()
            load = prepare_load(connection, batch, actor=actor, occurred_at=occurred_at)
            if load is not None and made_now:
                load.made_now()
        del batch, source
        _between_slices()
        if load is not None:
            yield load
            del load


def write_load(connection: Connection, load: CopyLoad, state: dict[str, object]) -> int:
    """COPY one slice's valid rows; row audit is off (one summary row names the file)."""
    _settle(state)
    row_audit_off(connection)
    if load.before:
        load.before(connection, state)
    count = send_copy(connection, load)
    if load.after:
        load.after(connection, state)
    return count


def _settle(state: dict[str, object]) -> None:
    """Wait for the statement a store left running, if any (raising what it raised)."""
    pending = state.pop("pending", None)
    if callable(pending):
        pending()


def skip_invalid_or_clean(report: ImportReport) -> bool:
    """Whether valid rows may be stored: with --skip-invalid, or while no row was refused."""
    return report.skip_invalid or not report.refused


def _from_row(issues: list[Issue], first_row: int) -> list[Issue]:
    """A slice's issues with file row numbers; file-level issues only from the first slice."""
    if not first_row:
        return issues
    return [replace(issue, row=issue.row + first_row) for issue in issues if issue.row is not None]
