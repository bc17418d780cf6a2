"""Service request types (Open311 `service_code`) that the inventory knows, with labels.

The seed writes requests of these types; the Open311 API publishes them as its services.
"""

from __future__ import annotations

STREETLIGHT_OUT = "streetlight_out"
STREETLIGHT_DAMAGED = "streetlight_damaged"
CEMETERY_ACCESS_ROAD = "cemetery_access_road"
CEMETERY_FACILITY = "cemetery_facility"

# code -> Indonesian and English name, and the group Open311 lists it under.
SERVICES: dict[str, dict[str, str]] = {
    STREETLIGHT_OUT: {
        "id": "Lampu jalan mati",
        "en": "Street light out",
        "group": "PJU",
    },
    STREETLIGHT_DAMAGED: {
        "id": "Lampu jalan / tiang rusak",
        "en": "Street light or pole damaged",
        "group": "PJU",
    },
    CEMETERY_ACCESS_ROAD: {
        "id": "Jalan akses makam rusak",
        "en": "Cemetery access road in poor condition",
        "group": "TPU",
    },
    CEMETERY_FACILITY: {
        "id": "Fasilitas makam",
        "en": "Cemetery facility (musala, fence, water, lighting)",
        "group": "TPU",
    },
}
# Service codes that report a lamp fault, and the lamp status each one means.
LAMP_FAULT_SERVICES: dict[str, str] = {STREETLIGHT_OUT: "out", STREETLIGHT_DAMAGED: "damaged"}

AGENCY_LIGHTING = "Dinas Perumahan dan Kawasan Permukiman Kota Banjarbaru"
AGENCY_ROADS = "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarbaru"
