"""What only Open311 (GeoReport v2) says about the services: its jurisdiction, the extra
questions (attributes) a service asks, and the JSON/XML shapes of the service list and of a
service definition. The services themselves are in `geo_assets.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo_assets.errors import InvalidInput
from geo_assets.services import CEMETERY_FACILITY, SERVICES, STREETLIGHT_DAMAGED, Service

JURISDICTION_ID = "banjarbarukota.go.id"
# Bumped whenever the catalogue changes, so that clients refresh their cached copy.
CHANGESET = "2026-11-27T00:00:00+08:00"


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

# The attributes each service asks for (a service not named here asks none).
ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    STREETLIGHT_DAMAGED: (DAMAGE_KIND,),
    CEMETERY_FACILITY: (CEMETERY_PART,),
}


def attributes_of(service: Service) -> tuple[Attribute, ...]:
    """The extra questions `service` asks, in order."""
    return ATTRIBUTES.get(service.code, ())


def service_entry(service: Service) -> dict[str, Any]:
    """One entry of GET services: the specification's fields, Indonesian name first."""
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(attributes_of(service)),
        "type": "realtime",
        "keywords": ", ".join(service.keywords),
        "group": service.group,
    }


def service_list() -> list[dict[str, Any]]:
    """GET services: every service of the catalogue, in its order."""
    return [service_entry(service) for service in SERVICES]


def _attribute_entry(attribute: Attribute) -> dict[str, Any]:
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": v.key, "name": v.name} for v in attribute.values],
    }


def service_definition(service: Service) -> dict[str, Any]:
    """GET service definition: the service's code and its attributes."""
    return {
        "service_code": service.code,
        "attributes": [_attribute_entry(attribute) for attribute in attributes_of(service)],
    }


def check_attributes(service: Service, given: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers to `service`'s attributes, checked: required ones present, list keys known."""
    known = {attribute.code: attribute for attribute in attributes_of(service)}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidInput(
            f"attribute[{unknown[0]}] is not an attribute of service_code '{service.code}'."
        )
    for attribute in attributes_of(service):
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
