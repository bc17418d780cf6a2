"""Words and colours on the maps: Bahasa Indonesia by default, English with lang='en'.

Vocabulary labels (statuses, lamp types, conditions) come from `geo_assets.vocab`; this module
holds only the map's own words.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]
LANGUAGES: tuple[Lang, ...] = ("id", "en")

TEXT: dict[str, dict[str, str]] = {
    "status_title": {
        "id": "Peta status PJU — Banjarbaru",
        "en": "Street-light status — Banjarbaru",
    },
    "coverage_title": {
        "id": "Peta cakupan penerangan jalan — Banjarbaru",
        "en": "Street-lighting coverage — Banjarbaru",
    },
    "cemeteries_title": {
        "id": "Peta TPU, jalan akses dan musala — Banjarbaru",
        "en": "Cemeteries, access roads and prayer rooms — Banjarbaru",
    },
    "lamp_status": {"id": "Status lampu PJU", "en": "Street-light status"},
    "total": {"id": "Jumlah", "en": "Total"},
    "kecamatan": {"id": "Batas kecamatan", "en": "Kecamatan (district) boundaries"},
    "kelurahan": {"id": "Batas kelurahan", "en": "Kelurahan (sub-district) boundaries"},
    "roads": {"id": "Jaringan jalan", "en": "Road network"},
    "cemetery_outlines": {"id": "Batas TPU", "en": "Cemetery outlines"},
    "base_osm": {"id": "Peta dasar OpenStreetMap", "en": "OpenStreetMap base map"},
    "search": {"id": "Cari kode lampu…", "en": "Search lamp code…"},
    "not_found": {"id": "Kode tidak ditemukan", "en": "No lamp with that code"},
    "code": {"id": "Kode", "en": "Code"},
    "lamp_type": {"id": "Jenis lampu", "en": "Lamp type"},
    "wattage": {"id": "Daya", "en": "Wattage"},
    "road": {"id": "Ruas jalan", "en": "Road"},
    "kelurahan_one": {"id": "Kelurahan", "en": "Kelurahan"},
    "kecamatan_one": {"id": "Kecamatan", "en": "Kecamatan"},
    "status": {"id": "Status", "en": "Status"},
    "last_event": {"id": "Kejadian terakhir", "en": "Last event"},
    "none": {"id": "—", "en": "—"},
    "lit_roads": {"id": "Jalan terang", "en": "Lit roads"},
    "dark_roads": {"id": "Jalan gelap", "en": "Dark roads"},
    "dark_gaps": {"id": "Celah gelap", "en": "Dark gaps"},
    "proposed": {"id": "Usulan titik lampu baru", "en": "Proposed new lamp positions"},
    "coverage_pct": {
        "id": "Cakupan penerangan per kelurahan",
        "en": "Lighting coverage by kelurahan",
    },
    "coverage": {"id": "Cakupan", "en": "Coverage"},
    "length": {"id": "Panjang", "en": "Length"},
    "lit_length": {"id": "Panjang terang", "en": "Lit length"},
    "road_class": {"id": "Kelas jalan", "en": "Road class"},
    "cemeteries": {"id": "TPU (tempat pemakaman umum)", "en": "Public cemeteries (TPU)"},
    "blocks": {"id": "Blok makam", "en": "Cemetery blocks"},
    "plots": {"id": "Petak makam (perbesar untuk melihat)", "en": "Grave plots (zoom in to see)"},
    "plot_status": {"id": "Status petak", "en": "Plot status"},
    "access_roads": {"id": "Jalan akses TPU", "en": "Cemetery access roads"},
    "condition": {"id": "Kondisi", "en": "Condition"},
    "surface": {"id": "Permukaan", "en": "Surface"},
    "width": {"id": "Lebar", "en": "Width"},
    "planned_work": {"id": "Rencana perbaikan", "en": "Planned improvement"},
    "cost": {"id": "Perkiraan biaya", "en": "Estimated cost"},
    "prayer_rooms": {"id": "Musala", "en": "Prayer rooms (musala)"},
    "walk_ring": {"id": "Jangkauan jalan kaki {m} m", "en": "Walking distance {m} m"},
    "lamps_near": {"id": "Lampu PJU di sekitar TPU", "en": "Street lights near cemeteries"},
    "name": {"id": "Nama", "en": "Name"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "manager": {"id": "Pengelola", "en": "Manager"},
    "capacity": {"id": "Kapasitas", "en": "Capacity"},
    "occupancy": {"id": "Keterisian", "en": "Occupancy"},
    "cemetery": {"id": "TPU", "en": "Cemetery"},
    "planned_year": {"id": "Tahun rencana", "en": "Planned year"},
    "plots_unit": {"id": "petak", "en": "plots"},
    "people": {"id": "orang", "en": "people"},
    "lamps": {"id": "Jumlah lampu", "en": "Lamps"},
    "lamp_layer": {"id": "Lampu PJU", "en": "Street lights"},
    "lamp_group": {"id": "Kelompok lampu", "en": "Group of lamps"},
    "worst_status": {"id": "Status terburuk", "en": "Worst status"},
    "base_own": {
        "id": "Peta dasar data kota (batas dan jalan)",
        "en": "City's own base map (boundaries and roads)",
    },
    "not_burning": {"id": "Lampu mati atau rusak", "en": "Lamps out or damaged"},
    "not_burning_pct": {
        "id": "Lampu mati atau rusak per kelurahan",
        "en": "Lamps out or damaged by kelurahan",
    },
    "summary_note": {
        "id": "Kota ini memiliki {total} lampu PJU (lebih dari {threshold}), sehingga peta ini "
        "menampilkan jumlah lampu per kelurahan menurut status, bukan setiap titik lampu. "
        "Setiap titik terlihat di peta status pada server (/maps/status).",
        "en": "The city has {total} street lights (more than {threshold}), so this map shows "
        "the number of lamps per kelurahan by status, not every lamp. Every lamp is shown on "
        "the server's status map (/maps/status).",
    },
    "outside_kelurahan": {"id": "di luar kelurahan", "en": "outside any kelurahan"},
}

STATUS_COLORS = {
    "working": "#2e7d32",
    "out": "#d32f2f",
    "damaged": "#ef6c00",
    "in_repair": "#1565c0",
    "planned": "#8e24aa",
    "decommissioned": "#616161",
}
PLOT_COLORS = {
    "available": "#66bb6a",
    "reserved": "#fdd835",
    "occupied": "#8d6e63",
    "unusable": "#9e9e9e",
}
CONDITION_COLORS = {
    "good": "#2e7d32",
    "fair": "#f9a825",
    "poor": "#ef6c00",
    "impassable": "#b71c1c",
}
PRAYER_ROOM_COLORS = {"existing": "#00695c", "planned": "#6a1b9a", "under_construction": "#f9a825"}
LIT_COLOR, DARK_COLOR, GAP_COLOR, PROPOSED_COLOR = "#f9a825", "#37474f", "#d81b60", "#1e88e5"
CONTEXT_COLOR = "#5c6b73"


def text(key: str, lang: Lang, **values: object) -> str:
    """The map word `key` in `lang`, with `{placeholders}` filled from `values`."""
    return TEXT[key][lang].format(**values)


def number(value: float, lang: Lang, decimals: int = 0) -> str:
    """A number as people write it: 14.000 and 70,8 in Indonesian; 14,000 and 70.8 in English."""
    formatted = f"{value:,.{decimals}f}"
    if lang == "id":
        formatted = formatted.translate(str.maketrans(",.", ".,"))
    return formatted


def check_lang(lang: str) -> Lang:
    """`lang` if it is a supported language, else a ValueError naming the choices."""
    for known in LANGUAGES:
        if lang == known:
            return known
    raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
