"""Every inventory resource of `/api/v1`, derived from the entity registry.

A `Resource` is the API's view of an `Entity`: the columns clients read and write, the list
filters, the derived (joined) properties. Nothing here spells an entity's columns out again.
"""

from __future__ import annotations

from geo_assets import entities
from geo_assets.entities import Entity
from geo_assets.inventory.resources import Resource


def resource(entity: Entity) -> Resource:
    """The `/api/v1` resource of `entity`."""
    return Resource(
        name=entity.name,
        noun=entity.noun,
        table=entity.table,
        geometry_type=entity.geometry_type,
        columns=entity.public_columns,
        writable=entity.writable_columns,
        required=entity.required_columns,
        personal=entity.personal_columns,
        derived=entity.derived,
        filters={f.name: f.clause for f in entity.filters},
        point_columns=entity.point_columns,
        immutable=entity.immutable,
        in_use_hint=entity.in_use_hint,
        boundary=entity.boundary,
    )


RESOURCES: dict[str, Resource] = {entity.name: resource(entity) for entity in entities.ENTITIES}
KECAMATAN = RESOURCES["kecamatan"]
KELURAHAN = RESOURCES["kelurahan"]
ROADS = RESOURCES["roads"]
LAMPS = RESOURCES["lamps"]
CEMETERIES = RESOURCES["cemeteries"]
BLOCKS = RESOURCES["blocks"]
PLOTS = RESOURCES["plots"]
INTERMENTS = RESOURCES["interments"]
ACCESS_ROADS = RESOURCES["access-roads"]
PRAYER_ROOMS = RESOURCES["prayer-rooms"]
SERVICE_REQUESTS = RESOURCES["service-requests"]
