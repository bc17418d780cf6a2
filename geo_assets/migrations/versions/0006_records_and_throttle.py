"""Interments are legal records (voided, never deleted) and sign-in throttling shared by workers.

- `interment.voided_at` / `void_reason`: a wrong record is voided with a reason and stays. The
  database refuses to delete an interment and to change a voided one, whatever the path (API,
  import, psql). Voiding the last live burial of a plot, or moving a burial to another plot,
  releases the plot it leaves (`occupied` -> `available`), the reverse of revision 0005.
- `throttle`: failures and hits per account, client address or API key, with how long each must
  wait, so that several worker processes throttle together.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _interment_columns() -> None:
    op.add_column("interment", sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("interment", sa.Column("void_reason", sa.String(length=500), nullable=True))
    op.create_check_constraint(
        op.f("ck_interment_voided_with_reason"),
        "interment",
        "(voided_at IS NULL) = (void_reason IS NULL)",
    )


def _interment_triggers() -> None:
    op.execute("""
        CREATE FUNCTION geo_assets_interment_is_a_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'interment % is a legal record and is never deleted', OLD.id
                    USING ERRCODE = 'restrict_violation',
                          HINT = 'Void it with a reason: POST /api/v1/interments/{id}/void.';
            END IF;
            IF OLD.voided_at IS NOT NULL THEN
                RAISE EXCEPTION 'interment % was voided and is no longer changed', OLD.id
                    USING ERRCODE = 'check_violation',
                          HINT = 'Record the burial again as a new interment if it is real.';
            END IF;
            RETURN NEW;
        END $$;
    """)
    op.execute(
        "CREATE TRIGGER interment_is_a_record BEFORE UPDATE OR DELETE ON interment "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_interment_is_a_record()"
    )
    op.execute("""
        CREATE FUNCTION geo_assets_interment_releases_plot() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW.voided_at IS NOT NULL OR NEW.plot_id <> OLD.plot_id) AND NOT EXISTS (
                SELECT 1 FROM interment
                WHERE plot_id = OLD.plot_id AND voided_at IS NULL AND id <> OLD.id
            ) THEN
                UPDATE plot SET status = 'available', version = version + 1
                WHERE id = OLD.plot_id AND status = 'occupied';
            END IF;
            RETURN NULL;
        END $$;
    """)
    op.execute(
        "CREATE TRIGGER interment_releases_plot AFTER UPDATE OF plot_id, voided_at ON interment "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_interment_releases_plot()"
    )


def _throttle_table() -> None:
    op.create_table(
        "throttle",
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("hits", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "window_started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("strikes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "last_hit_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_throttle_scope")),
    )
    op.create_index(op.f("ix_throttle_last_hit_at"), "throttle", ["last_hit_at"], unique=False)


def upgrade() -> None:
    """Add the void columns and record rules of interments, and the throttle table."""
    _interment_columns()
    _interment_triggers()
    _throttle_table()


def downgrade() -> None:
    """Drop the throttle table, the record rules and the void columns."""
    op.drop_index(op.f("ix_throttle_last_hit_at"), table_name="throttle")
    op.drop_table("throttle")
    op.execute("DROP TRIGGER interment_releases_plot ON interment")
    op.execute("DROP FUNCTION geo_assets_interment_releases_plot()")
    op.execute("DROP TRIGGER interment_is_a_record ON interment")
    op.execute("DROP FUNCTION geo_assets_interment_is_a_record()")
    op.drop_constraint(op.f("ck_interment_voided_with_reason"), "interment", type_="check")
    op.drop_column("interment", "void_reason")
    op.drop_column("interment", "voided_at")
