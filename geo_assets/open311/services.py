"""The services a resident may report, with Indonesian names and keywords, and their SLA.

Names shown to people are Indonesian first; each service also carries its English name, and its
keywords mix both languages so that a search in either finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from geo_assets.errors import InvalidInput, NotFound
from geo_assets.settings import Settings

JURISDICTION_ID = "banjarbarukota.go.id"
# Bumped whenever the catalogue below changes, so that clients refresh their cached copy.
CHANGESET = "2026-11-27T00:00:00+08:00"

LIGHTING_AGENCY = "Dinas Perkim Kota Banjarbaru - Bidang Penerangan Jalan Umum (PJU)"
CEMETERY_AGENCY = "Dinas Perkim Kota Banjarbaru - UPT Pemakaman"
ROADS_AGENCY = "Dinas PUPR Kota Banjarbaru - Bidang Bina Marga"


@dataclass(frozen=True)
class AttributeValue:
    """One choice of a list attribute: its key and the name shown to people."""

    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    """An extra question of a service (GeoReport v2 service definition)."""

    code: str
    datatype: str
    required: bool
    description: str
    order: int
    datatype_description: str | None = None
    values: tuple[AttributeValue, ...] = ()
    variable: bool = True


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
    attributes: tuple[Attribute, ...] = field(default_factory=tuple)

    @property
    def metadata(self) -> bool:
        """True when the service has a definition with attributes to ask."""
        return bool(self.attributes)


DAMAGE_KIND = Attribute(
    code="kerusakan",
    datatype="singlevaluelist",
    required=False,
    order=1,
    description="Apa yang rusak? (What is damaged?)",
    values=(
        AttributeValue("tiang_miring", "Tiang miring atau roboh (pole leaning or down)"),
        AttributeValue("kabel_putus", "Kabel putus atau terbuka (cable cut or exposed)"),
        AttributeValue("armatur_rusak", "Armatur atau kap lampu rusak (fitting broken)"),
        AttributeValue("berkedip", "Lampu berkedip (lamp flickering)"),
        AttributeValue("lainnya", "Lainnya (other)"),
    ),
)
CEMETERY_PART = Attribute(
    code="bagian",
    datatype="singlevaluelist",
    required=True,
    order=1,
    description="Bagian makam yang bermasalah (which part of the cemetery)",
    values=(
        AttributeValue("petak", "Petak makam (burial plot)"),
        AttributeValue("pagar", "Pagar atau gerbang (fence or gate)"),
        AttributeValue("musala", "Musala (prayer room)"),
        AttributeValue("air_toilet", "Air bersih atau toilet (water or toilet)"),
        AttributeValue("kebersihan", "Kebersihan atau rumput (cleanliness, overgrowth)"),
        AttributeValue("lainnya", "Lainnya (other)"),
    ),
)

SERVICES: tuple[Service, ...] = (
    Service(
        code="streetlight_out",
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
        code="streetlight_damaged",
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
        attributes=(DAMAGE_KIND,),
    ),
    Service(
        code="cemetery_road_damaged",
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
        code="cemetery_facility",
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
        attributes=(CEMETERY_PART,),
    ),
)
_BY_CODE = {service.code: service for service in SERVICES}
# The service a crew's fault event opens a work order under, by the lamp status it reports.
SERVICE_FOR_LAMP_STATUS = {
    "out": "streetlight_out",
    "damaged": "streetlight_damaged",
    "in_repair": "streetlight_damaged",
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
    """Hours to fix a request of `code`: the per-service setting, else `settings.sla_hours`."""
    per_service: dict[str, float] = getattr(settings, "sla_hours_by_service", None) or {}
    return float(per_service.get(code, settings.sla_hours))


def due_at(code: str, requested_at: datetime, settings: Settings) -> datetime:
    """When a request of `code` made at `requested_at` must be fixed (the SLA due time)."""
    return requested_at + timedelta(hours=sla_hours(code, settings))


def check_attributes(service: Service, given: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers to `service`'s attributes, checked: required ones present, list keys known."""
    known = {attribute.code: attribute for attribute in service.attributes}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidInput(
            f"attribute[{unknown[0]}] is not an attribute of service_code '{service.code}'."
        )
    for attribute in service.attributes:
        values = [value for value in given.get(attribute.code, []) if value != ""]
        if attribute.required and not values:
            raise InvalidInput(
                f"attribute[{attribute.code}] is required for service_code '{service.code}': "
                f"{attribute.description}."
            )
        keys = {value.key for value in attribute.values}
        if keys and any(value not in keys for value in values):
            raise InvalidInput(
                f"attribute[{attribute.code}] must be one of: {', '.join(sorted(keys))}."
            )
        if attribute.datatype == "singlevaluelist" and len(values) > 1:
            raise InvalidInput(f"attribute[{attribute.code}] takes a single value.")
    return {code: values for code, values in given.items() if values}
