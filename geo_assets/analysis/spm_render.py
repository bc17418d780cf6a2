"""The SPM report as a printable A4 HTML page (Indonesian, inline SVG charts), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from geo_assets.analysis.charts import grouped_bars, lines, number_id
from geo_assets.analysis.spm import CITY_TIMEZONE, FIGURE_LABELS
from geo_assets.errors import InvalidInput

FORMATS = ("html", "csv", "json")
CITY_NAME = "Kota Banjarbaru"
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# Counts are shown without decimals, the rest with one.
WHOLE_NUMBERS = ("lamps_total", "lamps_working", "faults_reported", "faults_repaired", "energy_kwh")


def date_id(moment: datetime) -> str:
    """A date the Indonesian way: 31 Desember 2024."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def period_text(report: dict[str, Any]) -> str:
    """'1 Oktober – 31 Desember 2024' for the report's quarter."""
    start = datetime.fromisoformat(report["period"]["start"])
    last_day = datetime.fromisoformat(report["period"]["end"]) - timedelta(days=1)
    return f"{date_id(start)} – {date_id(last_day)}"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("geo_assets.analysis", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["angka"] = number_id
    return env


def charts(report: dict[str, Any]) -> dict[str, Any]:
    """The report's three charts as inline SVG."""
    names = [row["name"] for row in report["kecamatan"]]
    trend = report["trend"]
    quarters = [row["label"].replace("Triwulan ", "TW ") for row in trend]
    return {
        "by_kecamatan": grouped_bars(
            "Lampu menyala dan cakupan penerangan per kecamatan (%)",
            names,
            {
                "% lampu menyala": [r["pct_working"] for r in report["kecamatan"]],
                "Cakupan penerangan (%)": [r["coverage_pct"] for r in report["kecamatan"]],
            },
            y_max=100.0,
        ),
        "trend": lines(
            "Tren capaian per triwulan (%)",
            quarters,
            {
                "% lampu menyala": [r["pct_working"] for r in trend],
                "Cakupan penerangan (%)": [r["coverage_pct"] for r in trend],
                "% diperbaiki dalam SLA": [r["pct_within_sla"] for r in trend],
            },
        ),
        "faults": grouped_bars(
            "Gangguan dilaporkan dan diperbaiki per triwulan",
            quarters,
            {
                "Dilaporkan": [r["faults_reported"] for r in trend],
                "Diperbaiki": [r["faults_repaired"] for r in trend],
            },
        ),
    }


def render_html(report: dict[str, Any]) -> str:
    """The printable report page."""
    template = _environment().get_template("spm_report.html.j2")
    return template.render(
        report=report,
        labels=FIGURE_LABELS,
        charts=charts(report),
        city_name=CITY_NAME,
        period=period_text(report),
        whole=WHOLE_NUMBERS,
        generated=datetime.now(CITY_TIMEZONE).strftime("%d-%m-%Y %H:%M WITA"),
    )


def render_csv(report: dict[str, Any]) -> str:
    """One row per kecamatan and one for the city; UTF-8 with BOM, Indonesian headers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Triwulan", "Wilayah", "Kode", *FIGURE_LABELS.values()])
    rows = [*report["kecamatan"], {"name": CITY_NAME, "code": "63.72", **report["city"]}]
    for row in rows:
        writer.writerow(
            [
                report["label"],
                row["name"],
                row["code"],
                *("" if row[k] is None else row[k] for k in FIGURE_LABELS),
            ]
        )
    return "\ufeff" + out.getvalue()


def render(report: dict[str, Any], fmt: str) -> str:
    """The report in `fmt` (html, csv or json)."""
    if fmt == "html":
        return render_html(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2)
    raise InvalidInput(f"Unknown report format '{fmt}'. Allowed: {', '.join(FORMATS)}.")


def write_report(report: dict[str, Any], fmt: str, out: Path) -> Path:
    """Write the report to `out` (UTF-8; the CSV starts with a BOM for spreadsheets)."""
    out.write_text(render(report, fmt), encoding="utf-8")
    return out
