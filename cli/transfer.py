"""`geo-assets import` and `geo-assets export`: the inventory to and from files.

The entity is a choice built from `geo_assets.io.names`, so a new entity (or issue 6's
`proposal`) is one more name there and one more branch here.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import console, err_console, friendly_errors, open_engine, progress_bar
from geo_assets.errors import InvalidInput
from geo_assets.io.names import (
    BOUNDARY_IMPORTS,
    EXPORT_ENTITIES,
    EXPORT_FORMATS,
    IMPORT_ENTITIES,
)

# Built from the name lists on purpose (they grow); mypy cannot see such members.
# `import osm` reads an OpenStreetMap extract into several tables; `--format osm` writes lamps.
OSM = "osm"
ImportEntity = StrEnum(  # type: ignore[misc]  # members from a list
    "ImportEntity", {name: name for name in (*IMPORT_ENTITIES, *BOUNDARY_IMPORTS, OSM)}
)
ExportEntity = StrEnum("ExportEntity", {name: name for name in EXPORT_ENTITIES})  # type: ignore[misc]  # members from a list
ExportFormat = StrEnum("ExportFormat", {name: name for name in (*EXPORT_FORMATS, OSM)})  # type: ignore[misc]  # members from a list

if TYPE_CHECKING:
    from rich.table import Table

EXIT_NOTHING_IMPORTED = 1
EXIT_SOME_REFUSED = 2
REPORT_ROWS_SHOWN = 30


def _lean_start() -> None:
    """Before NumPy and the settings load (start-up time): one OpenBLAS thread, not one per
    core (starting them costs 30-60 ms of CPU, for matrix products no import or export makes);
    no search for pydantic plugins through every installed package's entry points (10-15 ms;
    we use none). Either can still be set in the environment."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@friendly_errors
def import_command(
    entity: Annotated[ImportEntity, typer.Argument(help="What the file holds.")],
    file: Annotated[
        Path,
        typer.Argument(
            help="GeoJSON, GeoPackage, Shapefile (.shp or zipped) or CSV with lon/lat columns; "
            "for osm: an OpenStreetMap extract (.osm or .osm.pbf)."
        ),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the valid rows even when some rows are refused."
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Where to write the row-level report (default: FILE.report.csv).",
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            help="TARGET=SOURCE: read our field TARGET from the file's column SOURCE "
            "(repeatable), e.g. --column code=KDEPUM --column name=WADMKD.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            help="Spreadsheets: the sheet to read (default: the first with a known header).",
        ),
    ] = None,
) -> None:
    """Import a file of lamps, roads, cemetery data, or kecamatan/kelurahan boundaries.

    Reads GeoJSON, GeoPackage, Shapefile (.shp or zipped), CSV with lon/lat, or an
    office's survey workbook (.xlsx, .xls, .ods: a title block, merged Indonesian
    headers such as NO, ID PJU, JENIS LAMPU, DAYA (WATT), KONDISI, LINTANG, BUJUR,
    coordinates in degrees-minutes-seconds and a JUMLAH row are fine).
    A CRS with an EPSG code is reprojected to WGS 84; no CRS means lon/lat.
    Without --skip-invalid, one bad row means nothing is imported.

    The report is printed and written as FILE.report.csv.
    Row 1 is the first feature, or the first data line of a CSV;
    for a CSV, 'line' is the line in the file (the header is line 1);
    for a spreadsheet, 'excel row' is the row Excel shows and 'NO' the sheet's own
    number, and the report is also written as FILE.report.xlsx.

    kecamatan and kelurahan REPLACE the stored boundaries (all or nothing; codes
    that match keep their rows) and derive every lamp's kelurahan again; the
    summary says what moved and what now lies outside the city. Official field
    names (KDEPUM, KDCPUM, WADMKD, WADMKC, NAMOBJ, kode, nama...) are recognised.

    Exit status: 0 all rows imported; 1 nothing imported;
    2 valid rows imported with --skip-invalid, others refused.
    """
    _lean_start()
    from geo_assets.io.columns import parse_column_specs

    columns = parse_column_specs(column)
    if entity.value in BOUNDARY_IMPORTS:
        _import_boundaries(entity.value, file, columns, skip_invalid, report)
        return

    from geo_assets.bulk import collector_paused

    with collector_paused():  # the loading of pandas, NumPy, Shapely: no garbage to find yet
        from geo_assets.io.importer import import_file

    if entity.value == OSM:
        _import_osm(file)
        return
    engine = open_engine()
    try:
        with progress_bar() as progress, collector_paused():
            task = progress.add_task(f"importing {file.name}", total=None)
            result = import_file(
                engine,
                entity=entity.value,
                path=file,
                skip_invalid=skip_invalid,
                actor=f"cli:{getpass.getuser()}",
                report_path=report,
                sheet=sheet,
                progress=lambda message: progress.update(task, description=message),
                columns=columns,
            )
    finally:
        engine.dispose()
    _print_report(result)
    if not result.ok:
        raise typer.Exit(EXIT_SOME_REFUSED if result.imported else EXIT_NOTHING_IMPORTED)


def _import_boundaries(
    level: str, file: Path, columns: dict[str, str], skip_invalid: bool, report: Path | None
) -> None:
    """`import kecamatan|kelurahan`: replace the boundaries, print what moved."""
    from cli.boundaries import print_changes
    from geo_assets.io.boundaries import import_boundaries

    if skip_invalid:
        raise InvalidInput(
            "--skip-invalid does not apply to boundaries: they are replaced all at once."
        )
    engine = open_engine()
    try:
        with progress_bar() as progress:
            task = progress.add_task(f"importing {file.name}", total=None)
            result = import_boundaries(
                engine,
                level=level,
                path=file,
                columns=columns,
                actor=f"cli:{getpass.getuser()}",
                report_path=report,
                progress=lambda message: progress.update(task, description=message),
            )
    finally:
        engine.dispose()
    if result.ok:
        print_changes(result)
    _print_report(result)
    if not result.ok:
        raise typer.Exit(EXIT_NOTHING_IMPORTED)


def _import_osm(file: Path) -> None:
    """`import osm FILE`: roads, lamps, cemeteries and musala from an OpenStreetMap extract."""
    from geo_assets.io.osm_store import import_osm

    engine = open_engine()
    try:
        with err_console.status(f"importing {file.name}"):
            report = import_osm(engine, path=file, actor=f"cli:{getpass.getuser()}")
    finally:
        engine.dispose()
    for line in report.lines():
        console.print(line, highlight=False)


def _print_report(result) -> None:  # noqa: ANN001 - an ImportReport (imported lazily)
    if result.reprojected_from:
        console.print(f"reprojected from {result.reprojected_from} to EPSG:4326", highlight=False)
    if result.ignored_columns:
        console.print(f"columns not used: {', '.join(result.ignored_columns)}", highlight=False)
    if result.issues:
        console.print(_issue_table(result.issues[:REPORT_ROWS_SHOWN], result.sheet is not None))
        if len(result.issues) > REPORT_ROWS_SHOWN:
            console.print(f"… and {len(result.issues) - REPORT_ROWS_SHOWN} more.")
    style = "green" if result.ok else ("yellow" if result.imported else "red")
    console.print(f"[{style}]{result.summary()}[/]", highlight=False)
    if result.report_path:
        console.print(f"report: {result.report_path}", highlight=False)
    if result.sheet_report_path:
        console.print(f"report: {result.sheet_report_path}", highlight=False)


def _issue_table(issues: list, sheet: bool = False) -> Table:
    from rich.table import Table

    first = ("row", "excel row", "NO") if sheet else ("row", "line")
    table = Table(*first, "code", "field", "problem", "allowed", show_lines=False)
    for issue in issues:
        shown = issue.value and issue.value not in issue.problem
        problem = issue.problem + (f" ({issue.value})" if shown else "")
        if issue.severity == "warning":
            problem = f"[yellow]warning:[/] {problem}"
        table.add_row(
            str(issue.row or ""),
            str(issue.line or ""),
            *((issue.no,) if sheet else ()),
            issue.code,
            issue.field,
            problem,
            issue.allowed,
        )
    return table


@friendly_errors
def export_command(
    entity: Annotated[ExportEntity, typer.Argument(help="What to export.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help="geojson, gpkg, csv, xlsx, or osm (lamps only: OpenStreetMap XML for JOSM); "
            "default: from the file's extension, else geojson.",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only this status (lamps, plots, prayer rooms) or condition (access roads).",
        ),
    ] = None,
    kecamatan: Annotated[
        str | None, typer.Option(help="Only inside this kecamatan: its code or name, any case.")
    ] = None,
    bbox: Annotated[
        str | None,
        typer.Option(
            help="Only features touching x0,y0,x1,y1 (lon/lat degrees, west,south,east,north).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of labels: id or en.")] = "id",
    year: Annotated[
        int | None, typer.Option(help="proposal only: the budget year (musala planned for it).")
    ] = None,
    unit_costs: Annotated[
        Path | None,
        typer.Option(help="proposal only: a TOML file overriding data/unit_costs.toml."),
    ] = None,
) -> None:
    """Export features as GeoJSON (RFC 7946), GeoPackage, CSV or XLSX.

    Every feature has its id, code, status or condition with its label,
    and the kelurahan and kecamatan it lies in. CSV has a WKT column,
    and lon/lat columns for points. XLSX has Indonesian headers (--lang en:
    English), real numbers and dates, lon/lat columns for points and a WKT
    column for lines and polygons.
    """
    from geo_assets.bulk import collector_paused

    _lean_start()
    with collector_paused():  # the loading of the stack: no garbage to find yet
        from geo_assets.io.export_queries import ExportFilters, parse_bbox
        from geo_assets.io.exporter import export_features

    if not output.parent.exists():
        raise InvalidInput(f"The folder {output.parent} does not exist.")
    if (fmt.value if fmt else output.suffix.lower().lstrip(".")) == OSM:
        _export_osm(entity.value, output, status, kecamatan, bbox)
        return
    if entity.value == "proposal":
        _export_proposal(output, fmt.value if fmt else None, kecamatan, year, unit_costs)
        return
    filters = ExportFilters(
        status=status, kecamatan=kecamatan, bbox=parse_bbox(bbox) if bbox is not None else None
    )
    engine = open_engine()
    try:
        with progress_bar() as progress, collector_paused():
            task = progress.add_task(f"exporting {entity.value}", total=None)
            written = export_features(
                engine,
                entity=entity.value,
                out=output,
                fmt=fmt.value if fmt else None,
                filters=filters,
                lang=lang,
                progress=lambda done: progress.update(task, description=f"{done} features"),
            )
    finally:
        engine.dispose()
    console.print(f"wrote {written} {entity.value} to {output}", highlight=False)


def _export_osm(
    entity: str, output: Path, status: str | None, kecamatan: str | None, bbox: str | None
) -> None:
    """`export lamps --format osm`: lamps as OpenStreetMap XML for JOSM."""
    from geo_assets.io.export_queries import parse_bbox
    from geo_assets.io.osm_export import export_lamps_osm

    if entity != "lamps":
        raise InvalidInput(f"--format osm writes lamps only, not {entity}.")
    engine = open_engine()
    try:
        written = export_lamps_osm(
            engine,
            out=output,
            status=status,
            kecamatan=kecamatan,
            bbox=parse_bbox(bbox) if bbox is not None else None,
        )
    finally:
        engine.dispose()
    console.print(f"wrote {written} lamps to {output} (OpenStreetMap XML)", highlight=False)


def _export_proposal(
    output: Path, fmt: str | None, kecamatan: str | None, year: int | None, unit_costs: Path | None
) -> None:
    """The budget proposal (geo_assets.analysis.proposal): features with costs and totals."""
    from geo_assets.analysis.proposal_io import write_proposal
    from geo_assets.io.names import FORMAT_BY_EXTENSION

    engine = open_engine()
    try:
        with err_console.status("menyusun usulan anggaran…"):
            totals = write_proposal(
                engine,
                out=output,
                fmt=fmt or FORMAT_BY_EXTENSION.get(output.suffix, "geojson"),
                kecamatan=kecamatan,
                year=year,
                unit_costs=unit_costs,
            )
    finally:
        engine.dispose()
    count = sum(totals["count_by_category"].values())
    console.print(
        f"wrote {count} proposal items to {output}: total Rp {totals['total_idr']:,}".replace(
            ",", "."
        ),
        highlight=False,
    )
