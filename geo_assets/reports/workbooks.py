"""The planners' reports as `.xlsx` workbooks: SPM, coverage, cemeteries, energy, proposal.

Each takes the report's own dict (as the JSON output has it) and returns the workbook's bytes.
Headers and sheet names are the Indonesian labels the other formats already use; where a report
has a total (the city row of SPM and coverage, the sums of the proposal), it is the last row,
in bold. Plot counts of the cemetery report are summed the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geo_assets.io.xlsx_writer import (
    COORDINATE_FORMAT,
    INTEGER_FORMAT,
    Column,
    Sheet,
    write_workbook,
)

CITY_NAME = "Kota Banjarbaru"
CITY_CODE = "63.72"
ONE_DECIMAL = "#,##0.0"
THREE_DECIMALS = "#,##0.000"
TEXT = Column


def _info_sheet(rows: list[tuple[str, Any]]) -> Sheet:
    """A 'Keterangan' sheet of (item, value) pairs; dates stay dates."""
    return Sheet("Keterangan", [Column("Uraian"), Column("Nilai")], rows)


# --- SPM ------------------------------------------------------------------------------------


def _spm_columns() -> list[Column]:
    from geo_assets.analysis.spm import FIGURE_LABELS
    from geo_assets.analysis.spm_render import WHOLE_NUMBERS

    return [
        Column(label, INTEGER_FORMAT if key in WHOLE_NUMBERS else ONE_DECIMAL)
        for key, label in FIGURE_LABELS.items()
    ]


def spm_workbook(report: dict[str, Any]) -> bytes:
    """Per kecamatan with the city as the totals row, the year's trend, and the report's facts."""
    from geo_assets.analysis.spm import FIGURE_LABELS

    keys = list(FIGURE_LABELS)
    figures = _spm_columns()
    by_kecamatan = Sheet(
        "Capaian per kecamatan",
        [TEXT("Kecamatan"), TEXT("Kode"), *figures],
        [(r["name"], r["code"], *(r[k] for k in keys)) for r in report["kecamatan"]],
        totals=(CITY_NAME, CITY_CODE, *(report["city"][k] for k in keys)),
    )
    trend = Sheet(
        f"Tren {report['year']}",
        [TEXT("Triwulan"), *figures],
        [(r["label"], *(r[k] for k in keys)) for r in report["trend"]],
    )
    start = datetime.fromisoformat(report["period"]["start"]).date()
    end = datetime.fromisoformat(report["period"]["end"]).date()
    info = _info_sheet(
        [
            ("Laporan", "Capaian SPM Penerangan Jalan Umum (PJU)"),
            ("Kota", CITY_NAME),
            ("Triwulan", report["label"]),
            ("Awal periode", start),
            ("Akhir periode", date.fromordinal(end.toordinal() - 1)),
            ("Batas waktu perbaikan (SLA, jam)", report["sla_hours"]),
            ("Jam nyala per malam", report["burning_hours_per_night"]),
            ("Dibuat (WITA)", _now()),
        ]
    )
    return write_workbook([by_kecamatan, trend, info])


# --- coverage -------------------------------------------------------------------------------

COVERAGE_FIGURES = [
    Column("Panjang jalan (km)", THREE_DECIMALS),
    Column("Terang (km)", THREE_DECIMALS),
    Column("Gelap (km)", THREE_DECIMALS),
    Column("Cakupan (%)", "0.00"),
    Column("Celah gelap", INTEGER_FORMAT),
    Column("Usulan titik baru", INTEGER_FORMAT),
]
COVERAGE_KEYS = ("total_km", "lit_km", "dark_km", "coverage_pct", "gap_count", "proposed_lamps")


def _coverage_values(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in COVERAGE_KEYS)


def coverage_workbook(summary: dict[str, Any]) -> bytes:
    """Kecamatan, kelurahan and road-class sheets, each closed by the city's figures."""
    city = (CITY_NAME, CITY_CODE, *_coverage_values(summary["city"]))
    sheets = [
        Sheet(
            "Kecamatan",
            [TEXT("Kecamatan"), TEXT("Kode"), *COVERAGE_FIGURES],
            [(r["name"], r["code"], *_coverage_values(r)) for r in summary["kecamatan"]],
            totals=city,
        ),
        Sheet(
            "Kelurahan",
            [TEXT("Kelurahan"), TEXT("Kode"), TEXT("Kode kecamatan"), *COVERAGE_FIGURES],
            [
                (r["name"], r["code"], r["kecamatan_code"], *_coverage_values(r))
                for r in summary["kelurahan"]
            ],
            totals=(CITY_NAME, CITY_CODE, None, *_coverage_values(summary["city"])),
        ),
        Sheet(
            "Kelas jalan",
            [TEXT("Kelas jalan"), TEXT("Kode"), *COVERAGE_FIGURES],
            [(r["label"], r["road_class"], *_coverage_values(r)) for r in summary["road_class"]],
            totals=city,
        ),
        _info_sheet(
            [
                ("Laporan", "Cakupan penerangan jalan (SNI 7391:2008)"),
                ("Kota", CITY_NAME),
                ("Dibuat (WITA)", _now()),
            ]
        ),
    ]
    return write_workbook(sheets)


# --- cemeteries -----------------------------------------------------------------------------

PLOT_STATES = ("available", "reserved", "occupied", "unusable")


def cemeteries_workbook(report: dict[str, Any]) -> bytes:
    """One row per TPU (plot counts summed in the totals row) and the musala candidates."""
    tpus = report["cemeteries"]
    rows = [
        (
            t["code"],
            t["name"],
            t["kind_label"],
            t["kelurahan"],
            t["kecamatan"],
            *(t["plots"][s] for s in PLOT_STATES),
            t["burials_per_year"],
            t["years_until_full"],
            t.get("walk_to_musala_m"),
            "Ya" if t["nearly_full"] else "Tidak",
            "Ya" if t.get("musala_candidate") else "Tidak",
            t["lon"],
            t["lat"],
        )
        for t in tpus
    ]
    plot_sums = [sum(t["plots"][s] for t in tpus) for s in PLOT_STATES]
    columns = [
        TEXT("Kode"),
        TEXT("TPU"),
        TEXT("Jenis"),
        TEXT("Kelurahan"),
        TEXT("Kecamatan"),
        Column("Petak tersedia", INTEGER_FORMAT),
        Column("Petak dipesan", INTEGER_FORMAT),
        Column("Petak terisi", INTEGER_FORMAT),
        Column("Petak tak terpakai", INTEGER_FORMAT),
        Column("Makam per tahun", "0.00"),
        Column("Sisa (tahun)", ONE_DECIMAL),
        Column("Jalan kaki ke musala (m)", INTEGER_FORMAT),
        TEXT(f"Penuh < {report['flag_years']:.0f} tahun"),
        TEXT("Calon musala"),
        Column("Bujur (lon)", COORDINATE_FORMAT),
        Column("Lintang (lat)", COORDINATE_FORMAT),
    ]
    candidates = Sheet(
        "Calon musala",
        [
            TEXT("Kode"),
            TEXT("TPU"),
            TEXT("Kecamatan"),
            Column("Jalan kaki ke musala (m)", INTEGER_FORMAT),
            TEXT("Musala direncanakan"),
        ],
        [
            (
                c["code"],
                c["name"],
                c["kecamatan"],
                c["walk_to_musala_m"],
                ", ".join(p["code"] for p in c["planned_musala"]) or "belum direncanakan",
            )
            for c in report["musala_candidates"]
        ],
    )
    info = _info_sheet(
        [
            ("Laporan", "Kapasitas TPU dan akses musala"),
            ("Per tanggal", date.fromisoformat(report["as_of"])),
            ("Batas jalan kaki ke musala (m)", report["max_walk_m"]),
            ("Metode", report["method"]),
            ("Dibuat (WITA)", _now()),
        ]
    )
    totals = ("Jumlah", None, None, None, None, *plot_sums)
    return write_workbook([Sheet("TPU", columns, rows, totals=totals), candidates, info])


# --- energy ---------------------------------------------------------------------------------


def energy_workbook(energy: dict[str, Any], kecamatan: str | None = None) -> bytes:
    """The energy figures as item / value / unit rows."""
    rows = [
        ("Wilayah", kecamatan or CITY_NAME, None),
        ("Energi lampu menyala per bulan", energy["kwh_per_month"], "kWh"),
        ("Lampu menyala", energy["working_lamps"], "titik"),
        ("Lampu non-LED", energy["non_led_lamps"], "titik"),
        ("Penghematan konversi LED per tahun", energy["led_saving_kwh_per_year"], "kWh"),
        ("Penghematan konversi LED", energy["led_saving_pct"], "%"),
        ("Jam nyala per malam", energy["burning_hours_per_night"], "jam"),
        ("Dibuat (WITA)", _now(), None),
    ]
    sheet = Sheet("Energi", [TEXT("Uraian"), Column("Nilai", "#,##0.0##"), TEXT("Satuan")], rows)
    return write_workbook([sheet])


# --- budget proposal ------------------------------------------------------------------------


def proposal_workbook(collection: dict[str, Any]) -> bytes:
    """The summary per kecamatan and category (with the total) and every item with its place."""
    from geo_assets.analysis.proposal import CATEGORIES

    totals = collection["totals"]
    summary = Sheet(
        "Ringkasan",
        [
            TEXT("Kategori"),
            TEXT("Kode kategori"),
            Column("Jumlah usulan", INTEGER_FORMAT),
            Column("Biaya (Rp)", INTEGER_FORMAT),
        ],
        [
            (label, code, totals["count_by_category"][code], totals["by_category"][code])
            for code, label in CATEGORIES.items()
        ],
        totals=("JUMLAH", None, len(collection["features"]), totals["total_idr"]),
    )
    items = Sheet(
        "Rincian",
        [
            TEXT("ID"),
            TEXT("Kategori"),
            TEXT("Uraian"),
            Column("Volume", "#,##0.###"),
            TEXT("Satuan"),
            Column("Harga satuan (Rp)", INTEGER_FORMAT),
            Column("Biaya (Rp)", INTEGER_FORMAT),
            TEXT("Kecamatan"),
            TEXT("Kelurahan"),
            TEXT("Prioritas"),
            TEXT("Alasan"),
            Column("Bujur (lon)", COORDINATE_FORMAT),
            Column("Lintang (lat)", COORDINATE_FORMAT),
            TEXT("Geometri (WKT)"),
        ],
        [_proposal_item(f, CATEGORIES) for f in collection["features"]],
        totals=("JUMLAH", *[None] * 5, totals["total_idr"]),
    )
    return write_workbook([summary, items])


def _proposal_item(feature: dict[str, Any], categories: dict[str, str]) -> tuple[Any, ...]:
    p, geometry = feature["properties"], feature.get("geometry") or {}
    lon = lat = wkt = None
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
    elif geometry.get("type") == "LineString":
        wkt = "LINESTRING (" + ", ".join(f"{x} {y}" for x, y, *_ in geometry["coordinates"]) + ")"
    return (
        feature["id"],
        categories.get(p["category"], p["category"]),
        p["item"],
        p["quantity"],
        p["unit"],
        p["unit_cost_idr"],
        p["cost_idr"],
        p["kecamatan"],
        p["kelurahan"],
        p.get("priority_label"),
        p["reason"],
        lon,
        lat,
        wkt,
    )


def _now() -> datetime:
    from geo_assets.io.xlsx_writer import CITY_TIMEZONE

    return datetime.now(CITY_TIMEZONE).replace(second=0, microsecond=0)
