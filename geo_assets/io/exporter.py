"""`export_features`: write an entity's features as GeoJSON, GeoPackage, CSV or XLSX.

GeoJSON follows RFC 7946: lon/lat (EPSG:4326), no `crs` member, exterior rings counter-clockwise
(`ST_ForcePolygonCCW`), 7 decimals (about 1 cm). Each feature is built by PostgreSQL
(`row_to_json` + `ST_AsGeoJSON`) and copied out as bytes (`COPY … TO STDOUT`) straight
into the file; GeoPackages are written in batches (geo_assets.io.gpkg_export). Memory stays flat
however many features there are. Files are written next to the target and renamed at the end:
a failed export never leaves half a file behind.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, Float, Numeric, Select, Text, func, select, true
from sqlalchemy.sql import literal_column

from geo_assets.errors import InvalidInput
from geo_assets.io.export_queries import (
    ExportFilters,
    entity_query,
    filtered_select,
    kecamatan_condition,
)
from geo_assets.io.export_tables import export_table
from geo_assets.io.names import EXPORT_FORMATS, FORMAT_BY_EXTENSION

CHUNK_ROWS = 5000
CHUNK_BYTES = 256 * 1024
HEADER = b'{"type":"FeatureCollection","features":[\n'
FOOTER = b"\n]}\n"
DECIMALS = 7
FORMAT_ALIASES = {"json": "geojson", "geopackage": "gpkg"}

Counter = Callable[[int], None]


def export_format(out: Path | str | None, fmt: str | None) -> str:
    """The format: `fmt` when given, else from the file's extension, else GeoJSON."""
    if fmt:
        chosen = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if chosen not in EXPORT_FORMATS:
            raise InvalidInput(f"Unknown format '{fmt}'. Allowed: {', '.join(EXPORT_FORMATS)}.")
        return chosen
    if isinstance(out, str | Path):
        return FORMAT_BY_EXTENSION.get(Path(out).suffix.lower(), "geojson")
    return "geojson"


def export_features(
    engine: Engine,
    *,
    entity: str,
    out: Path | str | IO[bytes],
    fmt: str | None = None,
    filters: ExportFilters | None = None,
    lang: str = "id",
    progress: Counter | None = None,
) -> int:
    """Export `entity` (filtered) to `out` (a path, or a binary stream for GeoJSON/CSV).

    Returns the number of features written.
    """
    fmt = export_format(out if isinstance(out, str | Path) else None, fmt)
    filters = filters or ExportFilters()
    query = entity_query(entity, lang)
    with engine.connect() as connection:
        kecamatan_id = resolve_kecamatan(connection, filters.kecamatan)
        statement = filtered_select(query, entity, filters, kecamatan_id)
        if fmt == "gpkg":
            if not isinstance(out, str | Path):
                raise InvalidInput("A GeoPackage can only be written to a file.")
            return _write_gpkg(
                connection, statement, Path(out), entity, query.geometry_type, progress
            )
        if fmt == "geojson":
            return _write_geojson(connection, statement, out, progress)
        if fmt == "xlsx":
            return _write_xlsx(connection, statement, out, entity, query.geometry_type, lang)
        with _text_target(out) as stream:
            return _write_csv(connection, statement, stream, query.geometry_type, progress)


def resolve_kecamatan(connection: Connection, given: str | None) -> int | None:
    """The id of the kecamatan named by code or name (any case); InvalidInput lists the known."""
    if given is None:
        return None
    kecamatan = export_table("kecamatan")
    found = connection.execute(select(kecamatan.c.id).where(kecamatan_condition(given))).first()
    if found:
        return found[0]
    known = connection.execute(
        select(kecamatan.c.code, kecamatan.c.name).order_by(kecamatan.c.code)
    )
    listed = "; ".join(f"{code} {name}" for code, name in known) or "none are stored yet"
    raise InvalidInput(f"Unknown kecamatan '{given}'. Give a code or a name: {listed}.")


# --- GeoJSON --------------------------------------------------------------------------------


def geojson_select(statement: Select) -> Select:
    """One text row per RFC 7946 feature, built by PostgreSQL, in id order.

    The rows are sorted before the JSON is built (a plain projection of an ordered subquery
    keeps its order in PostgreSQL): sorting 14,000 narrow rows is in memory, sorting their
    JSON text spills to disk and made the export a third slower.
    The properties are one `row_to_json` of the row's columns but the geometry (a lateral
    subquery names them), and the feature is joined around them as text: `json_build_object`
    looks up every argument's type again on every row, and took a third longer.
    """
    rows = _ordered(statement)
    named = [column for column in rows.c if column.key != "geom"]
    properties = select(*named).correlate(rows).lateral("p")
    geometry = func.ST_AsGeoJSON(func.ST_ForcePolygonCCW(rows.c.geom), DECIMALS)
    # Constant JSON text of our own (never input), written as SQL string literals.
    feature: Any = (
        literal_column("""'{"type":"Feature","id":'""")
        + func.to_json(rows.c.id).cast(Text)
        + literal_column("""',"geometry":'""")
        + func.coalesce(geometry, literal_column("'null'"))
        + literal_column("""',"properties":'""")
        + func.row_to_json(properties.table_valued()).cast(Text)
        + literal_column("'}'")
    )
    return select(feature).select_from(rows.join(properties, true()))


def _ordered(statement: Select) -> Any:
    """`statement` in id order (its first column), as a subquery."""
    return statement.order_by(statement.selected_columns[0]).subquery("f")


def geojson_bytes(
    connection: Connection, statement: Select, progress: Counter | None = None
) -> Iterator[bytes]:
    """A FeatureCollection as UTF-8 chunks of about CHUNK_BYTES, copied out of PostgreSQL.

    `COPY … TO STDOUT` hands over the features PostgreSQL built as bytes, one line each, with
    no row objects in Python: chunks are joined and written as they come, so memory stays flat.
    """
    yield HEADER
    pending, written, parts, size = b"", 0, [], 0
    for block in _copy_lines(connection, geojson_select(statement)):
        parts.append(block)
        size += len(block)
        if size < CHUNK_BYTES:
            continue
        chunk, pending, count = _separated(pending, parts)
        written += count
        parts, size = [], 0
        if progress:
            progress(written)
        yield chunk
    chunk, pending, count = _separated(pending, parts)
    if count and progress:
        progress(written + count)
    yield chunk + FOOTER


def _separated(pending: bytes, parts: list[bytes]) -> tuple[bytes, bytes, int]:
    """Lines joined with `,\\n` (the last line's newline held back), the held byte, the count.

    JSON text built by PostgreSQL has no raw newline, so each newline ends a feature.
    """
    data = pending + b"".join(parts)
    return data[:-1].replace(b"\n", b",\n"), data[-1:], data.count(b"\n") - len(pending)


def _copy_lines(connection: Connection, query: Select) -> Iterator[bytes]:
    """The rows of a one-column text query, each as its bytes and a newline, by COPY TO STDOUT.

    CSV format with a quote and a delimiter that JSON text never holds: nothing is escaped.
    """
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    # The SQL is our own compiled query (no input in it); values stay bound parameters.
    copy_sql = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(copy_sql, compiled.params) as copy:
        for block in copy:
            yield bytes(block)


def stream_geojson(
    engine: Engine, *, entity: str, filters: ExportFilters | None = None, lang: str = "id"
) -> Iterator[bytes]:
    """A FeatureCollection of `entity` as UTF-8 chunks, for streaming (e.g. an HTTP response).

    Filters are checked before the first chunk, so a bad filter raises InvalidInput up front.
    """
    query = entity_query(entity, lang)
    filters = filters or ExportFilters()
    connection = engine.connect()
    try:
        kecamatan_id = resolve_kecamatan(connection, filters.kecamatan)
        statement = filtered_select(query, entity, filters, kecamatan_id)
    except Exception:
        connection.close()
        raise
    return _closing(connection, geojson_bytes(connection, statement))


def iter_geojson(
    engine: Engine, *, entity: str, filters: ExportFilters | None = None, lang: str = "id"
) -> Iterator[str]:
    """`stream_geojson` as text chunks."""
    chunks = stream_geojson(engine, entity=entity, filters=filters, lang=lang)
    decoder = codecs.getincrementaldecoder("utf-8")()
    return (decoder.decode(chunk) for chunk in chunks)


def _closing(connection: Connection, chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from chunks
    finally:
        connection.close()


def _write_geojson(
    connection: Connection,
    statement: Select,
    out: Path | str | IO[bytes],
    progress: Counter | None,
) -> int:
    counted = [0]

    def count(done: int) -> None:
        counted[0] = done
        if progress:
            progress(done)

    with _binary_target(out) as stream:
        for chunk in geojson_bytes(connection, statement, count):
            stream.write(chunk)
    return counted[0]


# --- CSV and GeoPackage ---------------------------------------------------------------------


def _plain_rows(
    connection: Connection, statement: Select, extra: Callable[[Any], list]
) -> tuple[list[str], Iterator[tuple]]:
    rows = _ordered(statement)
    columns = [column for column in rows.c if column.key != "geom"]
    added = extra(rows.c.geom)
    query = select(*columns, *added)
    result = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(query)
    return [c.key for c in columns] + [c.key for c in added], (tuple(r) for r in result)


def _coordinate(expression: Any, name: str) -> Any:
    return func.round(expression.cast(Numeric), DECIMALS).cast(Float).label(name)


def _write_csv(
    connection: Connection,
    statement: Select,
    stream: IO[str],
    geometry_type: str,
    progress: Counter | None,
) -> int:
    """CSV with a WKT column, and lon/lat columns for points."""

    def geometry_columns(geom: Any) -> list:
        wkt = func.ST_AsText(geom, DECIMALS).label("wkt")
        if geometry_type != "Point":
            return [wkt]
        return [_coordinate(func.ST_X(geom), "lon"), _coordinate(func.ST_Y(geom), "lat"), wkt]

    header, rows = _plain_rows(connection, statement, geometry_columns)
    writer = csv.writer(stream)
    writer.writerow(header)
    written = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        written += 1
        if progress and written % CHUNK_ROWS == 0:
            progress(written)
    return written


def _cell(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _write_gpkg(
    connection: Connection,
    statement: Select,
    path: Path,
    entity: str,
    geometry_type: str,
    progress: Counter | None = None,
) -> int:
    """A GeoPackage with one layer named after the entity, written in batches through pyogrio."""
    from geo_assets.io.gpkg_export import write_gpkg

    with _atomic(path) as target:
        return write_gpkg(
            connection,
            _ordered(statement),
            target,
            layer=entity.replace("-", "_"),
            geometry_type=geometry_type,
            progress=progress,
        )


def _write_xlsx(
    connection: Connection,
    statement: Select,
    out: Path | str | IO[bytes],
    entity: str,
    geometry_type: str,
    lang: str,
) -> int:
    """A spreadsheet (geo_assets.io.xlsx_export), written next to `out` and renamed."""
    from geo_assets.io.xlsx_export import write_entity_xlsx

    if not isinstance(out, str | Path):
        raise InvalidInput("A spreadsheet can only be written to a file.")
    with _atomic(Path(out)) as target:
        return write_entity_xlsx(
            connection, statement, target, entity=entity, geometry_type=geometry_type, lang=lang
        )


# --- files ----------------------------------------------------------------------------------


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary name next to `path`, renamed to `path` only when writing succeeded."""
    partial = path.with_name(f".{path.name}.partial{path.suffix}")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _binary_target(out: Path | str | IO[bytes]) -> Iterator[IO[bytes]]:
    if not isinstance(out, str | Path):
        yield out
        return
    with _atomic(Path(out)) as target, target.open("wb") as stream:
        yield stream


@contextmanager
def _text_target(out: Path | str | IO[bytes]) -> Iterator[IO[str]]:
    if not isinstance(out, str | Path):
        import io

        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()
        return
    with _atomic(Path(out)) as target, target.open("w", encoding="utf-8", newline="") as stream:
        yield stream
