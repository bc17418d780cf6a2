"""Controlled vocabularies: English snake_case codes with Indonesian and English labels.

The database enforces each vocabulary with a CHECK constraint built from these tuples.
"""

from __future__ import annotations

Vocabulary = dict[str, dict[str, str]]

ROAD_CLASS: Vocabulary = {
    "arteri": {"id": "Arteri", "en": "Arterial"},
    "kolektor": {"id": "Kolektor", "en": "Collector"},
    "lokal": {"id": "Lokal", "en": "Local"},
    "lingkungan": {"id": "Lingkungan", "en": "Neighbourhood"},
}
ROAD_SURFACE: Vocabulary = {
    "aspal": {"id": "Aspal", "en": "Asphalt"},
    "beton": {"id": "Beton", "en": "Concrete"},
    "kerikil": {"id": "Kerikil", "en": "Gravel"},
    "tanah": {"id": "Tanah", "en": "Earth"},
}
LAMP_TYPE: Vocabulary = {
    "led": {"id": "LED", "en": "LED"},
    "sodium": {"id": "Sodium (SON)", "en": "Sodium (HPS)"},
    "mercury": {"id": "Merkuri", "en": "Mercury vapour"},
    "cfl": {"id": "Hemat energi (CFL)", "en": "Compact fluorescent"},
    "other": {"id": "Lainnya", "en": "Other"},
}
MOUNTING: Vocabulary = {
    "pole": {"id": "Tiang", "en": "Pole"},
    "wall": {"id": "Dinding", "en": "Wall"},
    "bracket": {"id": "Lengan ornamen", "en": "Bracket"},
}
OWNERSHIP: Vocabulary = {
    "pemkot": {"id": "Pemerintah Kota", "en": "City government"},
    "provinsi": {"id": "Pemerintah Provinsi", "en": "Provincial government"},
    "pln": {"id": "PLN", "en": "PLN (state utility)"},
    "private": {"id": "Swasta", "en": "Private"},
}
POWER_BILLING: Vocabulary = {
    "metered": {"id": "Meteran", "en": "Metered"},
    "flat_rate": {"id": "Abonemen", "en": "Flat rate"},
}
LAMP_STATUS: Vocabulary = {
    "working": {"id": "Menyala", "en": "Working"},
    "out": {"id": "Mati", "en": "Out"},
    "damaged": {"id": "Rusak", "en": "Damaged"},
    "in_repair": {"id": "Dalam perbaikan", "en": "In repair"},
    "planned": {"id": "Direncanakan", "en": "Planned"},
    "decommissioned": {"id": "Dinonaktifkan", "en": "Decommissioned"},
}
EVENT_SOURCE: Vocabulary = {
    "field": {"id": "Petugas lapangan", "en": "Field crew"},
    "open311": {"id": "Laporan warga", "en": "Resident report"},
    "staff": {"id": "Staf dinas", "en": "Staff"},
    "import": {"id": "Impor data", "en": "Import"},
    "system": {"id": "Sistem", "en": "System"},
}
REQUEST_STATUS: Vocabulary = {
    "open": {"id": "Terbuka", "en": "Open"},
    "closed": {"id": "Selesai", "en": "Closed"},
}
WORK_STATE: Vocabulary = {
    "open": {"id": "Baru", "en": "Open"},
    "assigned": {"id": "Ditugaskan", "en": "Assigned"},
    "in_progress": {"id": "Dikerjakan", "en": "In progress"},
    "resolved": {"id": "Diselesaikan", "en": "Resolved"},
    "closed": {"id": "Ditutup", "en": "Closed"},
}
RESOLUTION: Vocabulary = {
    "fixed": {"id": "Diperbaiki", "en": "Fixed"},
    "not_fixed": {"id": "Tidak diperbaiki", "en": "Not fixed"},
    "duplicate": {"id": "Duplikat", "en": "Duplicate"},
}
CEMETERY_KIND: Vocabulary = {
    "muslim": {"id": "Muslim", "en": "Muslim"},
    "christian": {"id": "Kristen", "en": "Christian"},
    "catholic": {"id": "Katolik", "en": "Catholic"},
    "hindu": {"id": "Hindu", "en": "Hindu"},
    "buddhist": {"id": "Buddha", "en": "Buddhist"},
    "chinese": {"id": "Tionghoa", "en": "Chinese"},
    "general": {"id": "Umum", "en": "General"},
}
PLOT_STATUS: Vocabulary = {
    "available": {"id": "Tersedia", "en": "Available"},
    "reserved": {"id": "Dipesan", "en": "Reserved"},
    "occupied": {"id": "Terisi", "en": "Occupied"},
    "unusable": {"id": "Tidak dapat dipakai", "en": "Unusable"},
}
ROAD_CONDITION: Vocabulary = {
    "good": {"id": "Baik", "en": "Good"},
    "fair": {"id": "Sedang", "en": "Fair"},
    "poor": {"id": "Rusak ringan", "en": "Poor"},
    "impassable": {"id": "Tidak dapat dilalui", "en": "Impassable"},
}
PRAYER_ROOM_STATUS: Vocabulary = {
    "existing": {"id": "Sudah ada", "en": "Existing"},
    "planned": {"id": "Direncanakan", "en": "Planned"},
    "under_construction": {"id": "Sedang dibangun", "en": "Under construction"},
}
ROLE: Vocabulary = {
    "admin": {"id": "Administrator", "en": "Administrator"},
    "staff": {"id": "Staf dinas", "en": "Staff"},
    "crew": {"id": "Petugas lapangan", "en": "Field crew"},
    "planner": {"id": "Perencana", "en": "Planner"},
}
AUDIT_ACTION: Vocabulary = {
    "insert": {"id": "Tambah", "en": "Insert"},
    "update": {"id": "Ubah", "en": "Update"},
    "delete": {"id": "Hapus", "en": "Delete"},
    "bulk": {"id": "Muat massal", "en": "Bulk load"},
}

# Lamp states in which a lamp gives no light although it should.
FAULT_STATUSES = ("out", "damaged")


def codes(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The allowed codes of a vocabulary, in their defined order."""
    return tuple(vocabulary)


def label(vocabulary: Vocabulary, code: str, lang: str = "id") -> str:
    """The label of `code` in `lang` (Indonesian by default); the code itself if unknown."""
    return vocabulary.get(code, {}).get(lang, code)
