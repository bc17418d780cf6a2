"""Open311 and work orders: address-only requests, tokens, report source, one live order per lamp.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "duplicate_of_id IS NULL AND work_state IN ('open', 'assigned', 'in_progress')"
SOURCES = "'field', 'open311', 'staff', 'import', 'system'"


def upgrade() -> None:
    """Add the columns, the constraint and the partial unique index."""
    for column in ("lon", "lat", "geom"):
        op.alter_column("service_request", column, nullable=True)
    op.add_column(
        "service_request",
        sa.Column(
            "token",
            sa.String(length=32),
            nullable=False,
            server_default=sa.text("replace(gen_random_uuid()::text, '-', '')"),
        ),
    )
    op.create_unique_constraint(op.f("uq_service_request_token"), "service_request", ["token"])
    op.add_column(
        "service_request",
        sa.Column(
            "source",
            sa.String(length=16),
            nullable=False,
            server_default="open311",
        ),
    )
    op.create_check_constraint(
        op.f("ck_service_request_source"), "service_request", f"source IN ({SOURCES})"
    )
    op.add_column("service_request", sa.Column("api_key_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_service_request_api_key_id_api_key"),
        "service_request",
        "api_key",
        ["api_key_id"],
        ["id"],
    )
    op.add_column(
        "service_request",
        sa.Column(
            "reopened_count",
            sa.Integer(),
            nullable=False,
            server_default="0",
        ),
    )
    op.create_index(
        "uq_service_request_active_lamp",
        "service_request",
        ["lamp_id"],
        unique=True,
        postgresql_where=sa.text(ACTIVE),
    )


def downgrade() -> None:
    """Remove what `upgrade` added; fails while address-only requests exist."""
    op.drop_index("uq_service_request_active_lamp", table_name="service_request")
    op.drop_column("service_request", "reopened_count")
    op.drop_constraint(
        op.f("fk_service_request_api_key_id_api_key"), "service_request", type_="foreignkey"
    )
    op.drop_column("service_request", "api_key_id")
    op.drop_constraint(op.f("ck_service_request_source"), "service_request", type_="check")
    op.drop_column("service_request", "source")
    op.drop_constraint(op.f("uq_service_request_token"), "service_request", type_="unique")
    op.drop_column("service_request", "token")
    for column in ("geom", "lat", "lon"):
        op.alter_column("service_request", column, nullable=False)
