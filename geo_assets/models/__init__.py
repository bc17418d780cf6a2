"""The data model of SPEC §3 as typed SQLAlchemy 2 / GeoAlchemy2 classes."""

from geo_assets.models.accounts import AccessToken, ApiKey, AuditLog, Throttle, User
from geo_assets.models.base import METRIC_SRID, SRID, Base
from geo_assets.models.boundaries import Kecamatan, Kelurahan
from geo_assets.models.cemeteries import (
    AccessRoad,
    Cemetery,
    CemeteryBlock,
    Interment,
    Plot,
    PrayerRoom,
)
from geo_assets.models.lighting import Lamp, LampEvent, ServiceRequest
from geo_assets.models.roads import Road

__all__ = [
    "METRIC_SRID",
    "SRID",
    "AccessRoad",
    "AccessToken",
    "ApiKey",
    "AuditLog",
    "Base",
    "Cemetery",
    "CemeteryBlock",
    "Interment",
    "Kecamatan",
    "Kelurahan",
    "Lamp",
    "LampEvent",
    "Plot",
    "PrayerRoom",
    "Road",
    "ServiceRequest",
    "Throttle",
    "User",
]
