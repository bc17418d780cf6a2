"""The printable SPM report as a person sees it: real headless Chromium, no errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from geo_assets.analysis.spm import spm_report
from geo_assets.analysis.spm_render import write_report
from tests.analysis.test_spm import build_quarter


@pytest.mark.browser
def test_report_opens_without_errors(engine: Engine, browser, tmp_path: Path) -> None:
    """The Q2 report renders its tables and three SVG charts, prints on two A4 pages, and the
    browser reports no console errors or failed requests."""
    build_quarter(engine)
    page_file = write_report(
        spm_report(engine, year=2024, quarter=2), "html", tmp_path / "spm.html"
    )
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto(page_file.as_uri())
    assert page.locator("h1").inner_text().startswith("Laporan Capaian SPM")
    assert page.locator("svg").count() == 3
    assert page.locator("table").first.locator("tbody tr").count() == 2  # kecamatan + city
    assert "Triwulan II" in page.locator("table").nth(1).inner_text()
    pdf = page.pdf(prefer_css_page_size=True)
    page.screenshot(path=str(tmp_path / "spm.png"), full_page=True)
    page.close()
    assert pdf.startswith(b"%PDF") and problems == []
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]", pdf)  # A4: 595 × 842 pt
