"""OpenStreetMap ids on roads, lamps, cemeteries and prayer rooms; a road's `lit`.

`geo-assets import osm` keeps each feature's OSM id (`n123`, `w45`, `r6`: element type and
number in one text) so that importing the same extract again updates rather than duplicates; a
lamp also keeps the OSM version it was read at, which `export lamps --format osm` hands back to
JOSM. Each id is unique among the rows that have one (partial unique indexes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("road", "lamp", "cemetery", "prayer_room")


def upgrade() -> None:
    """Add the OSM id columns and their partial unique indexes, a lamp's version, a road's lit."""
    for table in TABLES:
        op.add_column(table, sa.Column("osm_id", sa.String(length=24), nullable=True))
        op.create_index(
            f"uq_{table}_osm_id",
            table,
            ["osm_id"],
            unique=True,
            postgresql_where=sa.text("osm_id IS NOT NULL"),
        )
    op.add_column("lamp", sa.Column("osm_version", sa.Integer(), nullable=True))
    op.add_column("road", sa.Column("lit", sa.Boolean(), nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_column("road", "lit")
    op.drop_column("lamp", "osm_version")
    for table in reversed(TABLES):
        op.drop_index(f"uq_{table}_osm_id", table_name=table)
        op.drop_column(table, "osm_id")
