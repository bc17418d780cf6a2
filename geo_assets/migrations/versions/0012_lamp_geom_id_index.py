"""A GiST index on lamp (geom, id + 0), so that a bbox page hands out its lamps in id order.

An items page of 100 lamps in a box, ordered by id, had two plans: walk the primary key and
test every lamp against the box (slow when the box's lamps have high ids: lamps are numbered
per kecamatan, so the walk passes every earlier kecamatan), or take every lamp in the box and
sort them (slow for a large box). With `btree_gist`, one GiST index holds the point and the id,
and `ORDER BY (id + 0) <-> 0` (the distance of the id to 0, which is the id) is a
nearest-neighbour scan: it reads the box's lamps in id order and stops after the page. The id is
indexed as the expression `id + 0` so that the planner never picks this (large) GiST index to
look a lamp up by `id = x`, which it otherwise costs like the primary key. `btree_gist` is a
trusted contrib extension (PostgreSQL 13+): the database owner may create it.

It replaces the spatial index on geom alone (`idx_lamp_geom`): every box test on geom reads it
as fast, and a lamp insert then updates one GiST index, not two (two cost an insert of 14,000
lamps about a fifth more time).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create btree_gist and the (geom, id + 0) GiST index on lamp, in place of idx_lamp_geom."""
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_index(
        "ix_lamp_geom_id", "lamp", ["geom", sa.text("(id + 0)")], postgresql_using="gist"
    )
    op.drop_index("idx_lamp_geom", table_name="lamp")


def downgrade() -> None:
    """The spatial index on geom alone again; drop the (geom, id + 0) one and btree_gist."""
    op.create_index("idx_lamp_geom", "lamp", ["geom"], postgresql_using="gist")
    op.drop_index("ix_lamp_geom_id", table_name="lamp")
    op.execute("DROP EXTENSION IF EXISTS btree_gist")
