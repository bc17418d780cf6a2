"""Declarative base: integer id, timestamps and an optimistic-concurrency `version` everywhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from geo_assets.settings import DEFAULT_METRIC_SRID
from geo_assets.tables import SRID as SRID  # the CRS of every stored geometry
from geo_assets.vocab import Vocabulary, codes

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# `Index.info` key of a GiST index on (geom, (id + 0)) that reads a bbox's rows in id order.
ID_ORDER_INDEX = "id_order"
# The sample city's CRS (the seed draws in it) and pyproj's metres in the importers: a constant
# because those run without settings; SQL analyses take `Settings.metric_srid` as a bound value.
METRIC_SRID = DEFAULT_METRIC_SRID


class Base(DeclarativeBase):
    """Every table: `id`, `created_at`, `updated_at`, `version`."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - SQLAlchemy's signature
        return {"version_id_col": cls.__table__.c.version}


def vocabulary_check(column: str, vocabulary: Vocabulary) -> CheckConstraint:
    """A CHECK constraint that lets the database itself refuse values outside `vocabulary`."""
    allowed = ", ".join(f"'{code}'" for code in codes(vocabulary))
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def valid_geometry_check(column: str = "geom") -> CheckConstraint:
    """A CHECK constraint refusing invalid (e.g. self-intersecting) geometries."""
    return CheckConstraint(f"ST_IsValid({column})", name=f"{column}_valid")
