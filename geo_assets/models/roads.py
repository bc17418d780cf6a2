"""Roads (ruas jalan)."""

from __future__ import annotations

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import Boolean, CheckConstraint, Float, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from geo_assets.models.base import SRID, Base, valid_geometry_check, vocabulary_check
from geo_assets.vocab import ROAD_CLASS, ROAD_SURFACE


class Road(Base):
    """A road segment with its class (which sets the lamp-spacing norm) and surface."""

    __tablename__ = "road"
    __table_args__ = (
        vocabulary_check("road_class", ROAD_CLASS),
        vocabulary_check("surface", ROAD_SURFACE),
        CheckConstraint("width_m IS NULL OR width_m > 0", name="width_m_positive"),
        valid_geometry_check(),
        Index("uq_road_osm_id", "osm_id", unique=True, postgresql_where=text("osm_id IS NOT NULL")),
    )

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    road_class: Mapped[str] = mapped_column(String(16))
    surface: Mapped[str] = mapped_column(String(16))
    width_m: Mapped[float | None] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(Geometry("LINESTRING", srid=SRID))
    lit: Mapped[bool | None] = mapped_column(Boolean)  # OSM `lit`: is the road lit at night
    osm_id: Mapped[str | None] = mapped_column(String(24))  # `w123`: the OSM way it came from
