"""Service requests (read-only here), tokens, the audit log and the inventory figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import FeatureCollectionOut, FeatureOut, Link, Versioned


class ServiceRequestPropertiesPublic(Versioned):
    """A fault report and its work order; reporters' contacts are shown to staff/admin only."""

    model_config = ConfigDict(extra="allow")

    service_code: str
    description: str | None
    status: str = Field(examples=["open"])
    requested_at: datetime
    lamp_id: int | None
    work_state: str = Field(examples=["assigned"])
    due_at: datetime | None


class ServiceRequestPublic(FeatureOut[ServiceRequestPropertiesPublic]):
    """A service request."""


class ServiceRequestsPublic(FeatureCollectionOut[ServiceRequestPublic]):
    """A page of service requests."""


class TokenPublic(BaseModel):
    """A bearer token for `Authorization: Bearer <access_token>`."""

    access_token: str
    token_type: str = Field("bearer", examples=["bearer"])
    expires_in: int = Field(description="Seconds until the token expires.", examples=[43200])
    role: str = Field(examples=["crew"])


class AccountPublic(BaseModel):
    """The signed-in account."""

    username: str
    role: str
    full_name: str | None


class AuditEntryPublic(BaseModel):
    """One write: who, when, which row, before and after."""

    id: int
    occurred_at: datetime
    actor: str | None
    action: str = Field(examples=["update"])
    table_name: str = Field(examples=["lamp"])
    row_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPublic(BaseModel):
    """A page of the audit log, newest first."""

    numberMatched: int
    numberReturned: int
    links: list[Link]
    entries: list[AuditEntryPublic]


class StatsPublic(BaseModel):
    """Inventory figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sla_hours": 72,
                    "lamps_by_kecamatan": [
                        {
                            "kecamatan_code": "63.72.04",
                            "kecamatan_name": "Banjarbaru Utara",
                            "total": 3100,
                            "by_status": {"working": 2950, "out": 90},
                        }
                    ],
                    "lamps_by_status": {"working": 13300, "out": 420, "damaged": 180},
                    "lamps_out_over_sla": {
                        "count": 35,
                        "oldest": [
                            {
                                "code": "PJU-63.72.04-00017",
                                "status": "out",
                                "status_changed_at": "2026-01-02T19:00:00+00:00",
                                "kecamatan_code": "63.72.04",
                                "hours": 130.5,
                            }
                        ],
                    },
                    "plots_by_cemetery": [
                        {
                            "cemetery_code": "TPU-01",
                            "cemetery_name": "TPU Guntung Manggis",
                            "total": 2400,
                            "by_status": {"available": 800, "occupied": 1500},
                        }
                    ],
                    "prayer_rooms_by_status": {"existing": 6, "planned": 4},
                }
            ]
        }
    )

    sla_hours: float
    lamps_by_kecamatan: list[dict[str, Any]]
    lamps_by_status: dict[str, int]
    lamps_out_over_sla: dict[str, Any]
    plots_by_cemetery: list[dict[str, Any]]
    prayer_rooms_by_status: dict[str, int]
