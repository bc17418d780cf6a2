"""Coverage figures per city, kecamatan, kelurahan and road class, and their CSV table."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from geo_assets.analysis.areas import Area
from geo_assets.vocab import ROAD_CLASS, label


def _figures(total_m: float, lit_m: float, gaps: int, proposed: int) -> dict[str, Any]:
    return {
        "total_km": round(total_m / 1000, 3),
        "lit_km": round(lit_m / 1000, 3),
        "dark_km": round((total_m - lit_m) / 1000, 3),
        "coverage_pct": round(100 * lit_m / total_m, 2) if total_m > 0 else None,
        "gap_count": int(gaps),
        "proposed_lamps": int(proposed),
    }


def summaries(
    extent: pd.DataFrame, kel: list[Area], kec: list[Area], area: Area | None
) -> tuple[dict[str, Any], list[dict], list[dict], list[dict]]:
    cols = ["total", "lit", "gaps", "proposed"]
    kel_of = {k.id: k.kecamatan_id for k in kel}
    extent = extent.assign(kec=extent["kel"].map(lambda i: kel_of.get(int(i), -1)))
    city = _figures(*extent[cols].sum())
    per_kel = extent.groupby("kel")[cols].sum()
    per_kec = extent.groupby("kec")[cols].sum()
    zero = pd.Series(0.0, index=cols)
    by_kec = [
        {
            "code": k.code,
            "name": k.name,
            **_figures(*per_kec.loc[k.id] if k.id in per_kec.index else zero),
        }
        for k in kec
        if area is None or k.id == area.id
    ]
    by_kel = [
        {
            "code": k.code,
            "name": k.name,
            "kecamatan_code": next((c.code for c in kec if c.id == k.kecamatan_id), None),
            **_figures(*per_kel.loc[k.id] if k.id in per_kel.index else zero),
        }
        for k in kel
        if area is None or k.kecamatan_id == area.id
    ]
    return city, by_kec, by_kel, _by_class(extent, cols)


def _by_class(extent: pd.DataFrame, cols: list[str]) -> list[dict[str, Any]]:
    return [
        {"road_class": code, "label": label(ROAD_CLASS, code), **_figures(*rows[cols].sum())}
        for code in ROAD_CLASS
        for rows in [extent[extent["road_class"] == code]]
    ]


CSV_HEADERS = (
    "Tingkat",
    "Kode",
    "Nama",
    "Panjang jalan (km)",
    "Terang (km)",
    "Gelap (km)",
    "Cakupan (%)",
    "Celah gelap",
    "Usulan titik baru",
)


def coverage_csv(summary: dict[str, Any]) -> str:
    """The coverage summary as one table (city, kecamatan, kelurahan, road class); UTF-8 BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    levels = [
        ("Kota", [{"code": "63.72", "name": "Kota Banjarbaru", **summary["city"]}]),
        ("Kecamatan", summary["kecamatan"]),
        ("Kelurahan", summary["kelurahan"]),
        (
            "Kelas jalan",
            [{"code": r["road_class"], "name": r["label"], **r} for r in summary["road_class"]],
        ),
    ]
    for level, rows in levels:
        for row in rows:
            writer.writerow(
                [
                    level,
                    row["code"],
                    row["name"],
                    row["total_km"],
                    row["lit_km"],
                    row["dark_km"],
                    "" if row["coverage_pct"] is None else row["coverage_pct"],
                    row["gap_count"],
                    row["proposed_lamps"],
                ]
            )
    return "\ufeff" + out.getvalue()
