"""The SPM report as an A4 PDF to print: the same title, tables and three charts as the HTML page.

Drawn with matplotlib's PDF backend (imported here only when a PDF is written) in DejaVu Sans,
the font matplotlib ships, embedded as TrueType so the text can be searched and copied; no
system fonts are needed. Page 1: title, city summary, the table per kecamatan and Gambar 1;
page 2: the year's trend table, Gambar 2 and 3, and the definitions.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime
from typing import Any

from geo_assets.analysis.charts import PALETTE, number_id

A4_INCHES = (8.27, 11.69)
TITLE = "Laporan Capaian SPM Penerangan Jalan Umum (PJU)"
MARGIN = 0.06  # of the page width/height
HEADER_HEIGHT = 0.045  # of the page height: the table's header row
# matplotlib's rc settings are global: one PDF at a time (the API serves requests in threads).
_DRAWING = threading.Lock()


def spm_pdf(report: dict[str, Any]) -> bytes:
    """The report as PDF bytes: two A4 portrait pages."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from geo_assets.analysis.spm_render import CITY_NAME

    params: dict[Any, Any] = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "font.size": 8}
    buffer = io.BytesIO()
    with _DRAWING, matplotlib.rc_context(params):
        metadata = {
            "Title": f"{TITLE} — {report['label']} — {CITY_NAME}",
            "Subject": "Standar Pelayanan Minimal",
            "Creator": "geo-assets",
        }
        with PdfPages(buffer, metadata=metadata) as pdf:
            for draw in (_first_page, _second_page):
                figure = Figure(figsize=A4_INCHES)
                draw(figure, report)
                pdf.savefig(figure)
    return buffer.getvalue()


def _header(figure: Any, report: dict[str, Any], page: int) -> None:
    from geo_assets.analysis.spm import CITY_TIMEZONE
    from geo_assets.analysis.spm_render import CITY_NAME, period_text

    figure.text(MARGIN, 0.965, TITLE, fontsize=13, fontweight="bold", va="top")
    generated = datetime.now(CITY_TIMEZONE).strftime("%d-%m-%Y %H:%M WITA")
    figure.text(
        MARGIN,
        0.94,
        f"{CITY_NAME} · {report['label']} ({period_text(report)}) · dibuat {generated}",
        fontsize=8.5,
        color="#555555",
        va="top",
    )
    figure.add_artist(_rule(figure, 0.928))
    figure.text(1 - MARGIN, 0.02, f"Halaman {page} dari 2", fontsize=7.5, ha="right")


def _rule(figure: Any, y: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D(
        [MARGIN, 1 - MARGIN], [y, y], color=PALETTE[0], lw=1.5, transform=figure.transFigure
    )


def _cell(row: dict[str, Any], key: str) -> str:
    from geo_assets.analysis.spm_render import WHOLE_NUMBERS

    return number_id(row[key], 0 if key in WHOLE_NUMBERS else 1)


def _table(figure: Any, rect: list[float], first: str, rows: list[tuple[str, dict]]) -> None:
    """A bordered table: a label column and one column per SPM figure; the last row bold if
    `first` is 'Kecamatan' (the city's totals)."""
    from geo_assets.analysis.spm import FIGURE_LABELS

    ax = figure.add_axes(rect)
    ax.axis("off")
    headers = [first, *(_wrap(text) for text in FIGURE_LABELS.values())]
    body = [[name, *(_cell(row, key) for key in FIGURE_LABELS)] for name, row in rows]
    table = ax.table(cellText=body, colLabels=headers, loc="upper center", cellLoc="right")
    table.auto_set_font_size(False)
    table.set_fontsize(6.5)
    widths = [0.16, *[0.84 / len(FIGURE_LABELS)] * len(FIGURE_LABELS)]
    for (r, c), cell in table.get_celld().items():
        cell.set_width(widths[c])
        cell.set_edgecolor("#bbbbbb")
        if r == 0:
            cell.set_height(HEADER_HEIGHT / rect[3])  # five lines of 6.5 pt
            cell.set_facecolor("#eef3f9")
            cell.get_text().set_fontweight("bold")
            cell.get_text().set_ha("center")
        if c == 0:
            cell.get_text().set_ha("left")
        if first == "Kecamatan" and r == len(rows):
            cell.set_facecolor("#f6f6f6")
            cell.get_text().set_fontweight("bold")


def _wrap(text: str, width: int = 10) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _first_page(figure: Any, report: dict[str, Any]) -> None:
    from geo_assets.analysis.spm_render import CITY_NAME

    _header(figure, report, 1)
    city = report["city"]
    figure.text(MARGIN, 0.9, "Ringkasan kota", fontsize=11, color=PALETTE[0], fontweight="bold")
    cards = [
        (f"{number_id(city['pct_working'])} %", "lampu menyala di akhir triwulan"),
        (f"{number_id(city['coverage_pct'])} %", "cakupan penerangan jalan"),
        (f"{number_id(city['median_repair_hours'])} jam", "median waktu perbaikan"),
        (
            f"{number_id(city['pct_within_sla'])} %",
            f"perbaikan dalam SLA {number_id(report['sla_hours'], 0)} jam",
        ),
    ]
    for i, (value, caption) in enumerate(cards):
        x = MARGIN + i * (1 - 2 * MARGIN) / 4
        figure.text(x, 0.865, value, fontsize=13, fontweight="bold")
        figure.text(x, 0.85, caption, fontsize=7, color="#555555")
    figure.text(
        MARGIN, 0.81, "Capaian per kecamatan", fontsize=11, color=PALETTE[0], fontweight="bold"
    )
    rows = [(r["name"], r) for r in report["kecamatan"]] + [(CITY_NAME, city)]
    _table(figure, [MARGIN, 0.52, 1 - 2 * MARGIN, 0.28], "Kecamatan", rows)
    names = [r["name"] for r in report["kecamatan"]]
    _bars(
        figure.add_axes([MARGIN + 0.04, 0.12, 1 - 2 * MARGIN - 0.06, 0.3]),
        "Lampu menyala dan cakupan penerangan per kecamatan (%)",
        names,
        {
            "% lampu menyala": [r["pct_working"] for r in report["kecamatan"]],
            "Cakupan penerangan (%)": [r["coverage_pct"] for r in report["kecamatan"]],
        },
        y_max=100.0,
    )
    figure.text(
        MARGIN,
        0.065,
        "Gambar 1. Persentase lampu menyala dan cakupan penerangan per kecamatan.",
        fontsize=7.5,
        color="#555555",
    )


def _second_page(figure: Any, report: dict[str, Any]) -> None:
    _header(figure, report, 2)
    trend = report["trend"]
    quarters = [row["label"].replace("Triwulan ", "TW ") for row in trend]
    figure.text(
        MARGIN,
        0.9,
        f"Tren tahun {report['year']}",
        fontsize=11,
        color=PALETTE[0],
        fontweight="bold",
    )
    _table(
        figure, [MARGIN, 0.72, 1 - 2 * MARGIN, 0.17], "Triwulan", [(r["label"], r) for r in trend]
    )
    _lines(
        figure.add_axes([MARGIN + 0.04, 0.45, 1 - 2 * MARGIN - 0.06, 0.22]),
        "Tren capaian per triwulan (%)",
        quarters,
        {
            "% lampu menyala": [r["pct_working"] for r in trend],
            "Cakupan penerangan (%)": [r["coverage_pct"] for r in trend],
            "% diperbaiki dalam SLA": [r["pct_within_sla"] for r in trend],
        },
    )
    figure.text(
        MARGIN,
        0.405,
        "Gambar 2. Tren persentase lampu menyala, cakupan penerangan dan perbaikan dalam SLA.",
        fontsize=7.5,
        color="#555555",
    )
    _bars(
        figure.add_axes([MARGIN + 0.04, 0.16, 1 - 2 * MARGIN - 0.06, 0.2]),
        "Gangguan dilaporkan dan diperbaiki per triwulan",
        quarters,
        {
            "Dilaporkan": [r["faults_reported"] for r in trend],
            "Diperbaiki": [r["faults_repaired"] for r in trend],
        },
    )
    figure.text(
        MARGIN,
        0.115,
        "Gambar 3. Jumlah gangguan dilaporkan dan diperbaiki per triwulan.",
        fontsize=7.5,
        color="#555555",
    )
    figure.text(MARGIN, 0.06, _definitions(report), fontsize=6.5, color="#444444", wrap=True)


def _definitions(report: dict[str, Any]) -> str:
    sla = number_id(report["sla_hours"], 0)
    hours = number_id(report["burning_hours_per_night"], 0)
    return (
        "Definisi: % menyala = lampu berstatus menyala di akhir triwulan dari semua lampu yang\n"
        f"beroperasi; waktu perbaikan = dari gangguan pertama sampai lampu menyala lagi; SLA = "
        f"{sla} jam;\nenergi = daya lampu menyala × {hours} jam per malam. Waktu kota (WITA)."
    )


def _style(ax: Any, title: str, y_max: float, legend_columns: int) -> None:
    ax.set_title(title, fontsize=9, loc="left", pad=18)
    ax.set_ylim(0, y_max)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7)
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=legend_columns,
        fontsize=7,
        frameon=False,
        borderaxespad=0.2,
    )
    ax.yaxis.set_major_formatter(lambda value, _pos: number_id(value, 0))


def _bars(
    ax: Any,
    title: str,
    categories: list[str],
    series: dict[str, list[float | None]],
    y_max: float | None = None,
) -> None:
    from geo_assets.analysis.charts import nice_max

    width = 0.7 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        positions = [c + (i - (len(series) - 1) / 2) * width for c in range(len(categories))]
        heights = [v or 0.0 for v in values]
        ax.bar(positions, heights, width * 0.95, label=name, color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(range(len(categories)), categories)
    shown = [float(v) for vs in series.values() for v in vs if v is not None]
    _style(ax, title, y_max or nice_max(max(shown, default=0.0) * 1.05), len(series))


def _lines(
    ax: Any, title: str, categories: list[str], series: dict[str, list[float | None]]
) -> None:
    for i, (name, values) in enumerate(series.items()):
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        ax.plot(
            [x for x, _ in points],
            [v for _, v in points],
            marker="o",
            lw=2,
            color=PALETTE[i % len(PALETTE)],
            label=name,
        )
    ax.set_xticks(range(len(categories)), categories)
    ax.set_xlim(-0.3, max(len(categories) - 1, 1) + 0.3)
    _style(ax, title, 100.0, len(series))
