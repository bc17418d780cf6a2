"""Public cemeteries (TPU): blocks, plots, interments, access roads and prayer rooms (musala)."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geo_assets.models.base import SRID, Base, valid_geometry_check, vocabulary_check
from geo_assets.vocab import (
    CEMETERY_KIND,
    PLOT_STATUS,
    PRAYER_ROOM_STATUS,
    ROAD_CONDITION,
    ROAD_SURFACE,
)


class Cemetery(Base):
    """A public cemetery (TPU) with its outline, gate and capacity in plots."""

    __tablename__ = "cemetery"
    __table_args__ = (
        vocabulary_check("kind", CEMETERY_KIND),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        valid_geometry_check(),
        Index(
            "uq_cemetery_osm_id", "osm_id", unique=True, postgresql_where=text("osm_id IS NOT NULL")
        ),
    )

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    manager: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    gate_geom: Mapped[WKBElement | None] = mapped_column(Geometry("POINT", srid=SRID))
    geom: Mapped[WKBElement] = mapped_column(Geometry("POLYGON", srid=SRID))
    osm_id: Mapped[str | None] = mapped_column(String(24))  # `w123`/`r45`: its OSM area

    blocks: Mapped[list[CemeteryBlock]] = relationship(back_populates="cemetery")


class CemeteryBlock(Base):
    """A block (blok) of a cemetery, code `<TPU>-<blok>`."""

    __tablename__ = "cemetery_block"
    __table_args__ = (valid_geometry_check(),)

    code: Mapped[str] = mapped_column(String(24), unique=True)
    cemetery_id: Mapped[int] = mapped_column(
        ForeignKey("cemetery.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    geom: Mapped[WKBElement] = mapped_column(Geometry("POLYGON", srid=SRID))

    cemetery: Mapped[Cemetery] = relationship(back_populates="blocks")


class Plot(Base):
    """A grave plot (petak), code `<TPU>-<blok>-<row>-<no>`."""

    __tablename__ = "plot"
    __table_args__ = (
        vocabulary_check("status", PLOT_STATUS),
        CheckConstraint("row_number > 0 AND plot_number > 0", name="row_and_number_positive"),
        valid_geometry_check(),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("cemetery_block.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int] = mapped_column(Integer)
    plot_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), server_default="available", index=True)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POLYGON", srid=SRID))


class Interment(Base):
    """A burial in a plot. Personal data: readable by staff and admin only."""

    __tablename__ = "interment"
    __table_args__ = (
        CheckConstraint(
            "died_on IS NULL OR buried_on IS NULL OR buried_on >= died_on",
            name="buried_after_death",
        ),
        CheckConstraint("(voided_at IS NULL) = (void_reason IS NULL)", name="voided_with_reason"),
    )

    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    deceased_name: Mapped[str] = mapped_column(String(120))
    born_on: Mapped[date | None] = mapped_column(Date)
    died_on: Mapped[date | None] = mapped_column(Date)
    buried_on: Mapped[date] = mapped_column(Date)
    heir_name: Mapped[str | None] = mapped_column(String(120))
    heir_phone: Mapped[str | None] = mapped_column(String(40))
    heir_address: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # A legal record is never deleted: a wrong one is voided, with a reason, and stays.
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(String(500))


class AccessRoad(Base):
    """A road (or a new line) serving a cemetery, with its condition and planned improvement."""

    __tablename__ = "access_road"
    __table_args__ = (
        vocabulary_check("condition", ROAD_CONDITION),
        vocabulary_check("surface", ROAD_SURFACE),
        CheckConstraint(
            "improvement_cost_idr IS NULL OR improvement_cost_idr >= 0", name="cost_non_negative"
        ),
        valid_geometry_check(),
    )

    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    cemetery_id: Mapped[int | None] = mapped_column(ForeignKey("cemetery.id"), index=True)
    road_id: Mapped[int | None] = mapped_column(ForeignKey("road.id"))
    condition: Mapped[str] = mapped_column(String(16))
    surface: Mapped[str] = mapped_column(String(16))
    width_m: Mapped[float | None] = mapped_column(Float)
    planned_improvement: Mapped[str | None] = mapped_column(Text)
    improvement_cost_idr: Mapped[int | None] = mapped_column(BigInteger)
    geom: Mapped[WKBElement] = mapped_column(Geometry("LINESTRING", srid=SRID))


class PrayerRoom(Base):
    """A prayer room (musala), existing or planned, near a cemetery or not."""

    __tablename__ = "prayer_room"
    __table_args__ = (
        vocabulary_check("status", PRAYER_ROOM_STATUS),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "estimated_cost_idr IS NULL OR estimated_cost_idr >= 0", name="cost_non_negative"
        ),
        CheckConstraint(
            "planned_year IS NULL OR planned_year BETWEEN 1900 AND 2100", name="planned_year_range"
        ),
        Index(
            "uq_prayer_room_osm_id",
            "osm_id",
            unique=True,
            postgresql_where=text("osm_id IS NOT NULL"),
        ),
    )

    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    cemetery_id: Mapped[int | None] = mapped_column(ForeignKey("cemetery.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    capacity: Mapped[int | None] = mapped_column(Integer)
    estimated_cost_idr: Mapped[int | None] = mapped_column(BigInteger)
    planned_year: Mapped[int | None] = mapped_column(Integer)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=SRID))
    osm_id: Mapped[str | None] = mapped_column(String(24))  # `n123`/`w45`: its OSM feature
