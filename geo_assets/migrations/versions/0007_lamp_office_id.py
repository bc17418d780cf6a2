"""Lamps keep the public-works office's own id (`ID PJU`, `KODE` of its survey), for search.

A survey has no codes of ours: each lamp imported from one gets a code made from its kecamatan,
and the office's id is kept beside it so that people can find a lamp by the number they know.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `lamp.office_id` with an index."""
    op.add_column("lamp", sa.Column("office_id", sa.String(length=40), nullable=True))
    op.create_index(op.f("ix_lamp_office_id"), "lamp", ["office_id"], unique=False)


def downgrade() -> None:
    """Drop `lamp.office_id` and its index."""
    op.drop_index(op.f("ix_lamp_office_id"), table_name="lamp")
    op.drop_column("lamp", "office_id")
