"""`/api/v1/reports`: the planners' reports as files: SPM (also PDF), coverage, cemeteries, energy.

`?format=xlsx` answers a spreadsheet (geo_assets.reports.workbooks), `?format=pdf` the printable
SPM report (geo_assets.reports.spm_pdf); both are attachments with a file name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api import analysis_examples as ex
from api.dependencies import ReadEngineDep, SettingsDep
from api.openapi import READ_PROBLEMS
from api.routes.analysis import (
    AsOfQuery,
    KecamatanQuery,
    read_cemetery_analysis,
    read_coverage,
    read_energy,
)
from api.security import ReaderDep
from geo_assets.analysis.spm import spm_report
from geo_assets.analysis.spm_render import render
from geo_assets.io.xlsx_writer import MEDIA_TYPE as XLSX
from geo_assets.reports import workbooks

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

PDF = "application/pdf"
MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX,
    "pdf": PDF,
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
SheetFormat = Annotated[
    Literal["json", "xlsx"], Query(description="json (default) or xlsx (a spreadsheet).")
]


def attachment(body: bytes | str, fmt: str, name: str) -> Response:
    """`body` as a download named `name.fmt`, with the format's media type."""
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _file_responses(description: str, example: Any) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": description,
            "content": {
                "application/json": {"schema": {"type": "object"}, "example": example},
                XLSX: BINARY,
            },
        },
        **READ_PROBLEMS,
    }


@router.get(
    "/spm",
    summary="Quarterly SPM achievement report",
    responses={
        200: {
            "description": "The report: JSON, a printable page or PDF, a CSV table or a workbook.",
            "content": {
                "application/json": {"schema": {"type": "object"}, "example": ex.SPM},
                "text/html": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                XLSX: BINARY,
                PDF: BINARY,
            },
        },
        **READ_PROBLEMS,
    },
)
def read_spm_report(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    year: Annotated[int, Query(ge=2000, le=2100, description="Year, e.g. 2024.")],
    quarter: Annotated[int, Query(ge=1, le=4, description="Triwulan 1–4.")],
    format: Annotated[
        Literal["json", "html", "csv", "xlsx", "pdf"],
        Query(description="json (default), printable html or pdf (A4), csv, or xlsx."),
    ] = "json",
) -> Response:
    """Per kecamatan and city: lamps, % working at quarter end, faults reported and repaired,
    median repair hours, % within SLA, coverage %, energy kWh; plus the year's trend."""
    report = spm_report(engine, year=year, quarter=quarter, settings=settings)
    name = f"spm-{year}-tw{quarter}"
    if format == "xlsx":
        return attachment(workbooks.spm_workbook(report), format, name)
    if format == "pdf":
        from geo_assets.reports.spm_pdf import spm_pdf

        return attachment(spm_pdf(report), format, name)
    if format == "csv":
        return attachment(render(report, format), format, name)
    return Response(render(report, format), media_type=MEDIA_TYPES[format])


def _json_or_workbook(
    figures: dict[str, Any], format: str, workbook: Callable[[], bytes], name: str
) -> Response:
    """The figures as JSON, or (format=xlsx) the workbook `workbook()` writes, named `name`."""
    if format == "xlsx":
        return attachment(workbook(), format, name)
    return JSONResponse(figures)


@router.get(
    "/coverage",
    summary="Lighting coverage report (JSON or spreadsheet)",
    responses=_file_responses("Coverage per kecamatan, kelurahan and road class.", ex.COVERAGE),
)
def read_coverage_report(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
    format: SheetFormat = "json",
) -> Response:
    """The coverage figures of /analysis/coverage; as xlsx a sheet per level, the city last."""
    summary = read_coverage(engine, settings, account, kecamatan)
    return _json_or_workbook(
        summary, format, lambda: workbooks.coverage_workbook(summary), "cakupan-penerangan"
    )


@router.get(
    "/cemeteries",
    summary="Cemetery capacity report (JSON or spreadsheet)",
    responses=_file_responses("Capacity and musala access per TPU.", ex.CEMETERIES),
)
def read_cemetery_report(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    as_of: AsOfQuery = None,
    format: SheetFormat = "json",
) -> Response:
    """The figures of /analysis/cemeteries; as xlsx one row per TPU with the plots summed."""
    report = read_cemetery_analysis(engine, settings, account, as_of)
    return _json_or_workbook(
        report, format, lambda: workbooks.cemeteries_workbook(report), f"tpu-{report['as_of']}"
    )


@router.get(
    "/energy",
    summary="Energy report (JSON or spreadsheet)",
    responses=_file_responses("kWh per month and the LED-conversion saving.", ex.ENERGY),
)
def read_energy_report(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
    format: SheetFormat = "json",
) -> Response:
    """The figures of /analysis/energy; as xlsx item, value and unit rows."""
    figures = read_energy(engine, settings, account, kecamatan)
    return _json_or_workbook(
        figures, format, lambda: workbooks.energy_workbook(figures, kecamatan), "energi-pju"
    )
