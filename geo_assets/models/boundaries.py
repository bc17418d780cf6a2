"""Administrative areas: kecamatan (district) and kelurahan (sub-district)."""

from __future__ import annotations

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geo_assets.models.base import SRID, Base, valid_geometry_check


class Kecamatan(Base):
    """A district of the city (5 in Banjarbaru), Kemendagri code such as `63.72.04`."""

    __tablename__ = "kecamatan"
    __table_args__ = (valid_geometry_check(),)

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    official_area_km2: Mapped[float | None] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(Geometry("MULTIPOLYGON", srid=SRID))

    kelurahan: Mapped[list[Kelurahan]] = relationship(back_populates="kecamatan")


class Kelurahan(Base):
    """A sub-district (20 in Banjarbaru), code such as `63.72.04.1002`."""

    __tablename__ = "kelurahan"
    __table_args__ = (valid_geometry_check(),)

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    geom: Mapped[WKBElement] = mapped_column(Geometry("MULTIPOLYGON", srid=SRID))

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="kelurahan")
