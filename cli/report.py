"""`geo-assets report coverage|spm|cemeteries|energy`: the planners' figures."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cli.common import console, err_console, friendly_errors, open_engine

app = typer.Typer(
    help="Planners' reports: coverage, SPM, cemeteries, energy.", no_args_is_help=True
)

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (default: print).")
]
KecamatanOption = Annotated[
    str | None,
    typer.Option("--kecamatan", "-k", help="Only this kecamatan: code (63.72.04) or name."),
]


class TableFormat(StrEnum):
    """Output of the coverage and cemetery reports."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class SpmFormat(StrEnum):
    """Output of the SPM report."""

    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


class EnergyFormat(StrEnum):
    """Output of the energy report."""

    json = "json"
    xlsx = "xlsx"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}", highlight=False)


BINARY_FORMATS = ("xlsx", "pdf")


def _check_output(fmt: str, output: Path | None) -> None:
    """A spreadsheet or PDF is written to a file (checked before the report is computed)."""
    from geo_assets.errors import InvalidInput

    if fmt in BINARY_FORMATS and output is None:
        raise InvalidInput(f"--format {fmt} writes a file: add --output FILE.{fmt}.")
    if output is not None and not output.parent.exists():
        raise InvalidInput(f"The folder {output.parent} does not exist.")


def _emit_file(data: bytes, output: Path | None, fmt: str) -> None:
    """Write a binary report (xlsx, pdf) to `output`."""
    _check_output(fmt, output)
    assert output is not None
    output.write_bytes(data)
    console.print(f"wrote {output}", highlight=False)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _coverage_table(summary: dict[str, Any]) -> Table:
    table = Table(title="Cakupan penerangan jalan (SNI 7391:2008)")
    for header in ("Wilayah", "Jalan (km)", "Terang (km)", "Cakupan (%)", "Celah", "Titik baru"):
        table.add_column(header, justify="left" if header == "Wilayah" else "right")
    rows = [
        *summary["kecamatan"],
        {"name": "Kota", **summary["city"]},
        *({"name": f"kelas {r['label']}", **r} for r in summary["road_class"]),
    ]
    for row in rows:
        table.add_row(
            row["name"],
            f"{row['total_km']:.2f}",
            f"{row['lit_km']:.2f}",
            _pct(row["coverage_pct"]),
            str(row["gap_count"]),
            str(row["proposed_lamps"]),
        )
    return table


@app.command("coverage")
@friendly_errors
def report_coverage(
    kecamatan: KecamatanOption = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, json, csv or xlsx.")
    ] = TableFormat.table,
    output: OutputOption = None,
) -> None:
    """Lit length and coverage % per road class, kelurahan, kecamatan and city."""
    from geo_assets.analysis.coverage import compute_coverage
    from geo_assets.analysis.coverage_summary import coverage_csv

    _check_output(fmt.value, output)
    engine = open_engine()
    with err_console.status("menghitung cakupan…"):
        summary = compute_coverage(engine, kecamatan=kecamatan, with_geometry=False).summary()
    if fmt is TableFormat.xlsx:
        from geo_assets.reports.workbooks import coverage_workbook

        _emit_file(coverage_workbook(summary), output, fmt.value)
    elif fmt is TableFormat.table and output is None:
        console.print(_coverage_table(summary))
    elif fmt is TableFormat.csv:
        _emit(coverage_csv(summary), output)
    else:
        _emit(json.dumps(summary, ensure_ascii=False, indent=2), output)


@app.command("spm")
@friendly_errors
def report_spm(
    year: Annotated[int, typer.Option("--year", "-y", help="Year, e.g. 2024.")],
    quarter: Annotated[int, typer.Option("--quarter", "-q", help="Triwulan 1–4.")],
    fmt: Annotated[
        SpmFormat, typer.Option("--format", "-f", help="html, csv, json, xlsx or pdf.")
    ] = SpmFormat.html,
    output: OutputOption = None,
) -> None:
    """The quarterly SPM achievement report (printable A4 HTML or PDF, CSV, XLSX or JSON)."""
    from geo_assets.analysis.spm import spm_report
    from geo_assets.analysis.spm_render import render
    from geo_assets.settings import get_settings

    _check_output(fmt.value, output)
    engine = open_engine()
    with err_console.status(f"menghitung SPM triwulan {quarter} {year}…"):
        report = spm_report(engine, year=year, quarter=quarter, settings=get_settings())
    if fmt is SpmFormat.xlsx:
        from geo_assets.reports.workbooks import spm_workbook

        _emit_file(spm_workbook(report), output, fmt.value)
    elif fmt is SpmFormat.pdf:
        from geo_assets.reports.spm_pdf import spm_pdf

        _emit_file(spm_pdf(report), output, fmt.value)
    else:
        _emit(render(report, fmt.value), output)


def _cemetery_table(report: dict[str, Any]) -> Table:
    table = Table(
        title=f"TPU per {report['as_of']} (jalan kaki ke musala, batas "
        f"{report['max_walk_m']:.0f} m)"
    )
    for header in (
        "TPU",
        "Kecamatan",
        "Tersedia",
        "Dipesan",
        "Terisi",
        "Makam/tahun",
        "Sisa (tahun)",
        "Ke musala (m)",
        "Catatan",
    ):
        table.add_column(
            header, justify="left" if header in ("TPU", "Kecamatan", "Catatan") else "right"
        )
    for t in report["cemeteries"]:
        notes = []
        if t["nearly_full"]:
            notes.append(f"penuh < {report['flag_years']:.0f} th")
        if t["musala_candidate"]:
            planned = ", ".join(p["code"] for p in t["planned_musala"]) or "belum direncanakan"
            notes.append(f"calon musala ({planned})")
        walk = t["walk_to_musala_m"]
        table.add_row(
            t["name"],
            t["kecamatan"],
            str(t["plots"]["available"]),
            str(t["plots"]["reserved"]),
            str(t["plots"]["occupied"]),
            f"{t['burials_per_year']:.1f}",
            _pct(t["years_until_full"]),
            "—" if walk is None else f"{walk:.0f}",
            "; ".join(notes),
        )
    return table


@app.command("cemeteries")
@friendly_errors
def report_cemeteries(
    as_of: Annotated[
        str | None, typer.Option(help="Reference date YYYY-MM-DD (default today).")
    ] = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, json or xlsx.")
    ] = TableFormat.table,
    output: OutputOption = None,
) -> None:
    """Capacity (years until full) and musala access of every TPU, with musala candidates."""
    from geo_assets.analysis.cemeteries import cemetery_report
    from geo_assets.errors import InvalidInput

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InvalidInput(f"--as-of '{as_of}' is not a date like 2025-01-31.") from None
    if fmt is TableFormat.csv:
        raise InvalidInput("The cemetery report is available as table, json or xlsx.")
    _check_output(fmt.value, output)
    engine = open_engine()
    report = cemetery_report(engine, as_of=day)
    if fmt is TableFormat.xlsx:
        from geo_assets.reports.workbooks import cemeteries_workbook

        _emit_file(cemeteries_workbook(report), output, fmt.value)
    elif fmt is TableFormat.table and output is None:
        console.print(_cemetery_table(report))
        console.print(report["method"], style="dim")
    else:
        _emit(json.dumps(report, ensure_ascii=False, indent=2), output)


@app.command("energy")
@friendly_errors
def report_energy(
    kecamatan: KecamatanOption = None,
    fmt: Annotated[
        EnergyFormat, typer.Option("--format", "-f", help="json or xlsx.")
    ] = EnergyFormat.json,
    output: OutputOption = None,
) -> None:
    """kWh per month of the working lamps and the yearly saving of converting to LED."""
    from geo_assets.analysis.energy import monthly_energy
    from geo_assets.settings import get_settings

    _check_output(fmt.value, output)
    result = monthly_energy(
        open_engine(),
        kecamatan=kecamatan,
        burning_hours_per_night=get_settings().burning_hours_per_night,
    )
    if fmt is EnergyFormat.xlsx:
        from geo_assets.reports.workbooks import energy_workbook

        _emit_file(energy_workbook(result.as_dict(), kecamatan), output, fmt.value)
    else:
        _emit(json.dumps(result.as_dict(), ensure_ascii=False, indent=2), output)
