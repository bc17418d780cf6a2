"""Small hand-built SVG charts for printable reports (no plotting library needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f6fb2", "#f0a020", "#3a9a4a", "#c0392b")
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def number_id(value: float | None, decimals: int = 1) -> str:
    """A number the Indonesian way: 1.234,5; '—' when missing."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def nice_max(value: float) -> float:
    """A round axis maximum ≥ `value` whose quarter steps are round too (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    step = value / 4
    magnitude = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 2.5, 5, 10):
        if step <= factor * magnitude:
            return 4 * factor * magnitude
    return 4 * 10 * magnitude


def _legend(series: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for i, name in enumerate(series):
        cx = x + i * 170
        parts.append(
            f"<rect x='{cx}' y='{y - 9}' width='10' height='10' "
            f"fill='{PALETTE[i % len(PALETTE)]}'/>"
        )
        parts.append(f"<text x='{cx + 14}' y='{y}' font-size='11' {FONT}>{escape(name)}</text>")
    return parts


def _frame(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' role='img' aria-label='{escape(title)}'>"
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _axis(
    left: float, top: float, plot_w: float, plot_h: float, y_max: float, decimals: int
) -> list[str]:
    parts = []
    for step in range(5):
        value = y_max * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f"<line x1='{left}' y1='{y:.1f}' x2='{left + plot_w}' y2='{y:.1f}' stroke='#ddd'/>"
        )
        parts.append(
            f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='10' text-anchor='end' "
            f"{FONT}>{number_id(value, decimals)}</text>"
        )
    return parts


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    y_max: float | None = None,
    decimals: int = 0,
) -> Markup:
    """Vertical bars, one group per category and one colour per series."""
    width, height, left, top, bottom = 700, 260, 50, 30, 50
    plot_w, plot_h = width - left - 10, height - top - bottom
    values = [v for vs in series.values() for v in vs if v is not None]
    y_max = y_max or nice_max(max(values, default=0) * 1.05)
    body = _legend(list(series), left, 16) + _axis(left, top, plot_w, plot_h, y_max, decimals)
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    for gi, category in enumerate(categories):
        gx = left + gi * group_w + group_w * 0.15
        for si, values_of in enumerate(series.values()):
            value = values_of[gi] or 0.0
            h = plot_h * min(value, y_max) / y_max
            body.append(
                f"<rect x='{gx + si * bar_w:.1f}' y='{top + plot_h - h:.1f}' "
                f"width='{bar_w - 2:.1f}' height='{h:.1f}' "
                f"fill='{PALETTE[si % len(PALETTE)]}'><title>{escape(category)}: "
                f"{number_id(values_of[gi], 1)}</title></rect>"
            )
        body.append(
            f"<text x='{left + (gi + 0.5) * group_w:.1f}' y='{height - bottom + 16}' "
            f"font-size='10' text-anchor='middle' {FONT}>{escape(category)}</text>"
        )
    return _frame(width, height, title, body)


def lines(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    y_max: float = 100.0,
    decimals: int = 0,
) -> Markup:
    """One line per series over the categories (e.g. quarters); gaps where a value is missing."""
    width, height, left, top, bottom = 700, 240, 50, 30, 40
    plot_w, plot_h = width - left - 20, height - top - bottom
    body = _legend(list(series), left, 16) + _axis(left, top, plot_w, plot_h, y_max, decimals)
    step = plot_w / max(len(categories) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h - plot_h * min(v, y_max) / y_max

    for si, values in enumerate(series.values()):
        colour = PALETTE[si % len(PALETTE)]
        points = [xy(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2'/>"
            )
        body += [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='{colour}'/>" for x, y in points]
    for i, category in enumerate(categories):
        body.append(
            f"<text x='{left + i * step:.1f}' y='{height - bottom + 18}' font-size='10' "
            f"text-anchor='middle' {FONT}>{escape(category)}</text>"
        )
    return _frame(width, height, title, body)
