"""Reports as files: xlsx workbooks (typed cells, totals rows) and the SPM PDF; CLI and HTTP."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from pypdf import PdfReader
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.main import create_app
from cli.main import app
from geo_assets.settings import Settings
from tests.analysis.test_cemeteries import build_cemeteries
from tests.analysis.test_proposal import EXPECTED, build_proposal_case
from tests.analysis.test_spm import build_quarter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4_POINTS = (595.0, 842.0)


@pytest.fixture
def run(db_url: str):  # noqa: ANN201 - returns the runner function
    """Run the CLI against this test's database."""
    runner = CliRunner()

    def invoke(*args: str):  # noqa: ANN202
        env = {"GEO_ASSETS_DATABASE_URL": db_url, "COLUMNS": "200"}
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    """The real app on this test's database."""
    with TestClient(create_app(Settings(database_url=db_url))) as test_client:
        yield test_client


def _book(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _rows(sheet) -> list[list]:  # noqa: ANN001 - an openpyxl worksheet
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def _assert_sheet_basics(sheet, headers: list[str]) -> None:  # noqa: ANN001
    """Header labels, frozen header row, bold header, and a width on every used column."""
    assert [c.value for c in sheet[1]][: len(headers)] == headers
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    for cell in sheet[1]:
        assert sheet.column_dimensions[cell.column_letter].width >= 6


def _assert_totals(rows: list[list], columns: range, tolerance: float = 0.0) -> None:
    """The last row is bold and holds the sum of the rows above it in `columns`."""
    *body, totals = rows
    assert all(c.font.b for c in totals if c.value is not None)
    for index in columns:
        assert totals[index].data_type == "n"
        total = sum(row[index].value or 0 for row in body)
        assert abs(totals[index].value - total) <= tolerance, (index, totals[index].value, total)


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_spm_xlsx_from_the_cli(engine: Engine, run, tmp_path: Path) -> None:
    """SPM xlsx: Indonesian headers, numeric figures, the city as the bold totals row equal to
    the sum of the kecamatan counts, the trend sheet and the period as real dates."""
    build_quarter(engine)
    out = tmp_path / "spm.xlsx"
    result = run("report", "spm", "-y", "2024", "-q", "2", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = _book(out.read_bytes())
    assert book.sheetnames == ["Capaian per kecamatan", "Tren 2024", "Keterangan"]
    sheet = book["Capaian per kecamatan"]
    _assert_sheet_basics(sheet, ["Kecamatan", "Kode", "Jumlah lampu", "Lampu menyala"])
    rows = _rows(sheet)
    assert [r[0].value for r in rows] == ["Banjarbaru Utara", "Kota Banjarbaru"]
    assert rows[0][2].value == 4 and rows[0][2].number_format == "#,##0"
    _assert_totals(rows, range(2, 4))  # lamps and working lamps add up
    trend = _rows(book["Tren 2024"])
    assert [r[0].value for r in trend] == ["Triwulan I", "Triwulan II"]
    assert trend[0][6].value == 96.0 and trend[0][6].data_type == "n"  # median repair hours
    facts = {r[0].value: r[1] for r in _rows(book["Keterangan"])}
    assert facts["Awal periode"].is_date and facts["Awal periode"].value.date() == date(2024, 4, 1)
    assert facts["Akhir periode"].value.date() == date(2024, 6, 30)
    assert facts["Kota"].value == "Kota Banjarbaru"


def test_spm_pdf_from_the_cli(engine: Engine, run, tmp_path: Path) -> None:
    """The SPM PDF: two A4 pages with title, city, quarter, the kecamatan table and the three
    charts (captions and legends), text that can be searched, its font embedded."""
    build_quarter(engine)
    out = tmp_path / "spm.pdf"
    result = run("report", "spm", "-y", "2024", "-q", "1", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    reader, text = _pdf_text(out.read_bytes())
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1
    assert "Laporan Capaian SPM Penerangan Jalan Umum" in text
    assert "Kota Banjarbaru" in text and "Triwulan I 2024" in text
    assert "1 Januari 2024 – 31 Maret 2024" in text
    assert "Banjarbaru Utara" in text and "Tren tahun 2024" in text
    assert sorted(set(re.findall(r"Gambar (\d)\.", text))) == ["1", "2", "3"]
    assert "% diperbaiki dalam SLA" in text and "Dilaporkan" in text
    assert reader.metadata.title.startswith("Laporan Capaian SPM")
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    embedded = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts
    ]
    assert embedded and all("/FontFile2" in d and "DejaVuSans" in d["/FontName"] for d in embedded)


def test_binary_format_needs_an_output_file(engine: Engine, run) -> None:
    """xlsx or pdf without --output is one readable error and exit status 1."""
    result = run("report", "spm", "-y", "2024", "-q", "1", "--format", "pdf")
    assert result.exit_code == 1 and "--output" in result.output


def test_coverage_and_energy_xlsx_from_the_cli(engine: Engine, run, tmp_path: Path) -> None:
    """Coverage xlsx: a sheet per level closed by the city row, which is the sum of the
    kecamatan and of the road classes; energy xlsx: numeric figures."""
    build_proposal_case(engine)
    out = tmp_path / "coverage.xlsx"
    assert run("report", "coverage", "--format", "xlsx", "-o", str(out)).exit_code == 0
    book = _book(out.read_bytes())
    assert book.sheetnames == ["Kecamatan", "Kelurahan", "Kelas jalan", "Keterangan"]
    kecamatan = _rows(book["Kecamatan"])
    _assert_sheet_basics(book["Kecamatan"], ["Kecamatan", "Kode", "Panjang jalan (km)"])
    assert kecamatan[-1][0].value == "Kota Banjarbaru" and kecamatan[-1][5].value == 57.6
    _assert_totals(kecamatan, range(2, 5), tolerance=0.002)  # km columns
    _assert_totals(kecamatan, range(6, 8))  # gaps and proposed lamps
    _assert_totals(_rows(book["Kelas jalan"]), range(2, 5), tolerance=0.002)
    energy = tmp_path / "energy.xlsx"
    assert run("report", "energy", "--format", "xlsx", "-o", str(energy)).exit_code == 0
    figures = {r[0].value: r[1] for r in _rows(_book(energy.read_bytes())["Energi"])}
    assert figures["Lampu menyala"].data_type == "n"
    assert figures["Energi lampu menyala per bulan"].value > 0


def test_cemetery_xlsx_from_the_cli(engine: Engine, run, tmp_path: Path) -> None:
    """Cemetery xlsx: a row per TPU with numeric plots and walking distance, plots summed in
    the totals row, the reference date a real date."""
    build_cemeteries(engine)
    out = tmp_path / "tpu.xlsx"
    result = run(
        "report", "cemeteries", "--as-of", "2025-01-31", "--format", "xlsx", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    book = _book(out.read_bytes())
    sheet = book["TPU"]
    _assert_sheet_basics(sheet, ["Kode", "TPU", "Jenis", "Kelurahan", "Kecamatan"])
    rows = _rows(sheet)
    assert [r[0].value for r in rows[:-1]] == ["TPU-01", "TPU-02"]
    assert rows[-1][0].value == "Jumlah"
    _assert_totals(rows, range(5, 9))
    assert rows[0][11].value == 1215 and rows[0][11].data_type == "n"
    facts = {r[0].value: r[1] for r in _rows(book["Keterangan"])}
    assert facts["Per tanggal"].is_date and facts["Per tanggal"].value.date() == date(2025, 1, 31)


def test_proposal_xlsx_from_the_cli(engine: Engine, run, tmp_path: Path) -> None:
    """`export proposal -o usulan.xlsx`: the summary's JUMLAH row is the sum of the categories
    and of the items' costs, in Rupiah as numbers."""
    build_proposal_case(engine)
    out = tmp_path / "usulan.xlsx"
    result = run("export", "proposal", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = _book(out.read_bytes())
    summary = _rows(book["Ringkasan"])
    assert [r[1].value for r in summary[:-1]] == list(EXPECTED)
    assert [r[3].value for r in summary[:-1]] == list(EXPECTED.values())
    _assert_totals(summary, range(2, 4))
    assert summary[-1][3].value == sum(EXPECTED.values())
    items = _rows(book["Rincian"])
    _assert_totals(items, range(6, 7))
    lamp = next(r for r in items if r[1].value == "Titik PJU baru")
    assert lamp[11].data_type == "n" and lamp[11].number_format == "0.0000000"


def _download(client: TestClient, path: str, **params: object):  # noqa: ANN202
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response


def test_http_spm_xlsx_and_pdf(engine: Engine, client: TestClient) -> None:
    """/reports/spm?format=xlsx|pdf: the right media types, file names, and readable files."""
    build_quarter(engine)
    xlsx = _download(client, "/api/v1/reports/spm", year=2024, quarter=1, format="xlsx")
    assert xlsx.headers["content-type"] == XLSX
    assert xlsx.headers["content-disposition"] == 'attachment; filename="spm-2024-tw1.xlsx"'
    assert _book(xlsx.content)["Capaian per kecamatan"]["C2"].value == 4
    pdf = _download(client, "/api/v1/reports/spm", year=2024, quarter=1, format="pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="spm-2024-tw1.pdf"'
    reader, text = _pdf_text(pdf.content)
    assert len(reader.pages) == 2 and "Triwulan I 2024" in text


def test_http_report_and_export_workbooks(engine: Engine, client: TestClient) -> None:
    """Coverage, energy and proposal as xlsx over HTTP; JSON stays the default."""
    build_proposal_case(engine)
    coverage = _download(client, "/api/v1/reports/coverage", format="xlsx")
    assert coverage.headers["content-type"] == XLSX
    assert 'filename="cakupan-penerangan.xlsx"' in coverage.headers["content-disposition"]
    assert _book(coverage.content)["Kecamatan"].freeze_panes == "A2"
    assert _download(client, "/api/v1/reports/coverage").json()["city"]["coverage_pct"] == 57.6
    energy = _download(client, "/api/v1/reports/energy", format="xlsx")
    assert energy.headers["content-type"] == XLSX
    proposal = _download(client, "/api/v1/exports/proposal", format="xlsx", year=2026)
    assert proposal.headers["content-type"] == XLSX
    assert 'filename="usulan-anggaran-2026.xlsx"' in proposal.headers["content-disposition"]
    assert _rows(_book(proposal.content)["Ringkasan"])[-1][0].value == "JUMLAH"


def test_http_cemetery_workbook(engine: Engine, client: TestClient) -> None:
    """/reports/cemeteries?format=xlsx names the file after the reference date."""
    build_cemeteries(engine)
    response = _download(client, "/api/v1/reports/cemeteries", as_of="2025-01-31", format="xlsx")
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == 'attachment; filename="tpu-2025-01-31.xlsx"'
    assert _rows(_book(response.content)["TPU"])[-1][0].value == "Jumlah"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/spm?year=2024&quarter=1&format=docx",
        "/api/v1/reports/coverage?format=pdf",
        "/api/v1/reports/energy?format=ods",
        "/api/v1/exports/proposal?format=xls",
    ],
)
def test_unknown_format_is_a_problem(engine: Engine, client: TestClient, path: str) -> None:
    """An unknown format is a 422 problem+json that lists the formats allowed."""
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "xlsx" in response.text
