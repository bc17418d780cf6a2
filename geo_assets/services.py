"""The catalogue of services: what a resident may report and a crew's fault opens.

One place for each service's code, its names in Bahasa Indonesia and English, its group and
keywords, the agency that answers it, the lamp status it means, and its deadline (SLA) from the
settings. Work orders, Open311 and the sample city all read it; it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geo_assets.errors import NotFound
from geo_assets.settings import Settings

LIGHTING_AGENCY = "Dinas Perkim Kota Banjarbaru - Bidang Penerangan Jalan Umum (PJU)"
CEMETERY_AGENCY = "Dinas Perkim Kota Banjarbaru - UPT Pemakaman"
ROADS_AGENCY = "Dinas PUPR Kota Banjarbaru - Bidang Bina Marga"

STREETLIGHT_OUT = "streetlight_out"
STREETLIGHT_DAMAGED = "streetlight_damaged"
CEMETERY_ROAD_DAMAGED = "cemetery_road_damaged"
CEMETERY_FACILITY = "cemetery_facility"


@dataclass(frozen=True)
class Service:
    """One request type: code, names, group, agency, and what it does to a nearby lamp."""

    code: str
    name: str
    name_en: str
    description: str
    group: str
    keywords: tuple[str, ...]
    agency: str
    # The lamp status a report sets on the lamp it is snapped to; None: not about a lamp.
    lamp_status: str | None = None


SERVICES: tuple[Service, ...] = (
    Service(
        code=STREETLIGHT_OUT,
        name="Lampu jalan mati",
        name_en="Street light out",
        description="Lampu penerangan jalan umum (PJU) tidak menyala di malam hari. "
        "A street light does not burn at night.",
        group="Penerangan Jalan Umum (PJU)",
        keywords=(
            "lampu mati",
            "PJU mati",
            "lampu padam",
            "jalan gelap",
            "lampu jalan",
            "street light out",
            "dark street",
        ),
        agency=LIGHTING_AGENCY,
        lamp_status="out",
    ),
    Service(
        code=STREETLIGHT_DAMAGED,
        name="Lampu jalan rusak / tiang miring",
        name_en="Street light damaged / pole leaning",
        description="Tiang PJU miring atau roboh, kabel putus, armatur atau kap lampu rusak. "
        "A street-light pole leans or fell, a cable is cut, a fitting is broken.",
        group="Penerangan Jalan Umum (PJU)",
        keywords=(
            "tiang miring",
            "tiang roboh",
            "kabel putus",
            "lampu rusak",
            "lampu berkedip",
            "street light damaged",
            "pole leaning",
        ),
        agency=LIGHTING_AGENCY,
        lamp_status="damaged",
    ),
    Service(
        code=CEMETERY_ROAD_DAMAGED,
        name="Jalan akses makam rusak",
        name_en="Cemetery access road damaged",
        description="Jalan menuju Tempat Pemakaman Umum (TPU) berlubang, tergenang atau tidak "
        "dapat dilalui. The road to a public cemetery is potholed, flooded or "
        "impassable.",
        group="Pemakaman (TPU)",
        keywords=(
            "jalan makam",
            "jalan TPU",
            "jalan berlubang",
            "banjir",
            "tidak bisa dilalui",
            "cemetery road",
            "access road",
        ),
        agency=ROADS_AGENCY,
    ),
    Service(
        code=CEMETERY_FACILITY,
        name="Masalah petak atau fasilitas makam",
        name_en="Cemetery plot or facility problem",
        description="Petak makam amblas atau rusak, pagar, musala, air bersih, toilet atau "
        "kebersihan di TPU. A sunken or damaged plot, or a problem with the fence, "
        "prayer room, water, toilet or upkeep of a public cemetery.",
        group="Pemakaman (TPU)",
        keywords=(
            "makam",
            "petak makam",
            "pagar makam",
            "musala",
            "toilet",
            "kebersihan TPU",
            "cemetery plot",
            "cemetery facility",
        ),
        agency=CEMETERY_AGENCY,
    ),
)
_BY_CODE = {service.code: service for service in SERVICES}
# The service a crew's fault event opens a work order under, by the lamp status it reports.
SERVICE_FOR_LAMP_STATUS = {
    "out": STREETLIGHT_OUT,
    "damaged": STREETLIGHT_DAMAGED,
    "in_repair": STREETLIGHT_DAMAGED,
}


def get_service(code: str) -> Service:
    """The service with `code`; NotFound names the known codes."""
    try:
        return _BY_CODE[code]
    except KeyError:
        known = ", ".join(_BY_CODE)
        raise NotFound(f"service_code '{code}' was not found. Known codes: {known}.") from None


def service_name(code: str) -> str:
    """The Indonesian name of `code`, or the code itself for a service no longer offered."""
    service = _BY_CODE.get(code)
    return service.name if service else code


def sla_hours(code: str, settings: Settings) -> float:
    """Hours to fix a request of `code`: `settings.sla_hours_by_service`, else `sla_hours`."""
    return float(settings.sla_hours_by_service.get(code, settings.sla_hours))


def due_at(code: str, requested_at: datetime, settings: Settings) -> datetime:
    """When a request of `code` made at `requested_at` must be fixed (the SLA due time)."""
    return requested_at + timedelta(hours=sla_hours(code, settings))
