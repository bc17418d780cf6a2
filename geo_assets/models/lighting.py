"""Street lights (PJU), their status events, and the service requests that report faults."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geo_assets.entities.lighting import LAMP_CODE_PATTERN
from geo_assets.models.base import ID_ORDER_INDEX, SRID, Base, vocabulary_check
from geo_assets.vocab import (
    EVENT_SOURCE,
    LAMP_STATUS,
    LAMP_TYPE,
    MOUNTING,
    OWNERSHIP,
    POWER_BILLING,
    REQUEST_STATUS,
    RESOLUTION,
    WORK_STATE,
)

LAST_LAMP_NUMBER = 9_999_999


class Lamp(Base):
    """A street-light point. Its `status` is the result of its events (see `lamp_status`)."""

    __tablename__ = "lamp"
    __table_args__ = (
        CheckConstraint(f"code ~ '{LAMP_CODE_PATTERN}'", name="code_format"),
        vocabulary_check("lamp_type", LAMP_TYPE),
        vocabulary_check("mounting", MOUNTING),
        vocabulary_check("ownership", OWNERSHIP),
        vocabulary_check("power_billing", POWER_BILLING),
        vocabulary_check("status", LAMP_STATUS),
        CheckConstraint("wattage > 0 AND wattage <= 2000", name="wattage_range"),
        CheckConstraint("pole_height_m > 0 AND pole_height_m <= 40", name="pole_height_range"),
        Index("uq_lamp_osm_id", "osm_id", unique=True, postgresql_where=text("osm_id IS NOT NULL")),
        # The lamps' spatial index (migration 0012), with btree_gist's id beside the point: it
        # serves every box test on geom, and a bbox page reads its lamps from it in id order
        # (`id_order` in inventory/features.py). The id enters as `id + 0`, so that the planner
        # never takes this index to look a lamp up by `id = x`: the primary key does that.
        Index(
            "ix_lamp_geom_id",
            "geom",
            text("(id + 0)"),
            postgresql_using="gist",
            info={ID_ORDER_INDEX: True},
        ),
    )

    code: Mapped[str] = mapped_column(String(24), unique=True)
    office_id: Mapped[str | None] = mapped_column(String(40), index=True)  # the office's own id
    road_id: Mapped[int | None] = mapped_column(ForeignKey("road.id"), index=True)
    # Set by a trigger from the kelurahan polygon that covers the point, on every insert/move.
    kelurahan_id: Mapped[int | None] = mapped_column(ForeignKey("kelurahan.id"), index=True)
    lamp_type: Mapped[str] = mapped_column(String(16))
    wattage: Mapped[int] = mapped_column(Integer)
    pole_height_m: Mapped[float] = mapped_column(Float)
    mounting: Mapped[str] = mapped_column(String(16), server_default="pole")
    ownership: Mapped[str] = mapped_column(String(16), server_default="pemkot")
    power_billing: Mapped[str] = mapped_column(String(16), server_default="metered")
    installed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default="working", index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=SRID, spatial_index=False))
    osm_id: Mapped[str | None] = mapped_column(String(24))  # `n123`: the OSM node it came from
    osm_version: Mapped[int | None] = mapped_column(Integer)  # that node's version when read

    events: Mapped[list[LampEvent]] = relationship(
        back_populates="lamp", order_by="LampEvent.occurred_at.desc()"
    )


class LampEvent(Base):
    """One change of a lamp's status. History is append-only: events are never rewritten."""

    __tablename__ = "lamp_event"
    __table_args__ = (
        Index("ix_lamp_event_lamp_id_occurred_at", "lamp_id", "occurred_at"),
        vocabulary_check("from_status", LAMP_STATUS),
        vocabulary_check("to_status", LAMP_STATUS),
        vocabulary_check("source", EVENT_SOURCE),
    )

    # No cascade: a lamp with history is decommissioned, never deleted.
    lamp_id: Mapped[int] = mapped_column(ForeignKey("lamp.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(80))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    service_request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id"))

    lamp: Mapped[Lamp] = relationship(back_populates="events")


class ServiceRequest(Base):
    """A fault report (Open311 GeoReport v2) and the work order that answers it."""

    __tablename__ = "service_request"
    __table_args__ = (
        vocabulary_check("status", REQUEST_STATUS),
        vocabulary_check("work_state", WORK_STATE),
        vocabulary_check("resolution", RESOLUTION),
        vocabulary_check("source", EVENT_SOURCE),
        CheckConstraint("lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90", name="lon_lat"),
        # One live work order per lamp; later reports are merged into it as duplicates.
        Index(
            "uq_service_request_active_lamp",
            "lamp_id",
            unique=True,
            postgresql_where=text(
                "duplicate_of_id IS NULL AND work_state IN ('open', 'assigned', 'in_progress')"
            ),
        ),
    )

    service_code: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    # Null when a resident gave only an address_string: staff place it on the map later.
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    geom: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=SRID))
    address_string: Mapped[str | None] = mapped_column(String(255))
    media_url: Mapped[str | None] = mapped_column(String(500))
    attributes: Mapped[dict | None] = mapped_column(JSONB)
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(80))
    account_id: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(8), server_default="open", index=True)
    status_notes: Mapped[str | None] = mapped_column(Text)
    agency_responsible: Mapped[str | None] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lamp_id: Mapped[int | None] = mapped_column(ForeignKey("lamp.id"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id"))
    # Work-order side.
    work_state: Mapped[str] = mapped_column(String(16), server_default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Open311 side: the token of GET tokens/{token}, who reported (a resident's app, a crew's
    # fault event, staff), through which API key, and how often a fix did not last.
    token: Mapped[str] = mapped_column(
        String(32), unique=True, server_default=text("replace(gen_random_uuid()::text, '-', '')")
    )
    source: Mapped[str] = mapped_column(String(16), server_default="open311")
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    reopened_count: Mapped[int] = mapped_column(Integer, server_default="0")
