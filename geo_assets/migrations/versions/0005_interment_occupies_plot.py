"""A burial occupies its plot: recording an interment marks the plot `occupied`.

In the database, so that every path (API, import, a staff member in psql) keeps plot states and
interments consistent. A plot marked `unusable` (waterlogged, on a path) takes no burial.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the trigger that occupies a plot when a burial is recorded in it."""
    op.execute("""
        CREATE FUNCTION geo_assets_interment_occupies_plot() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            plot_status text;
        BEGIN
            SELECT status INTO plot_status FROM plot WHERE id = NEW.plot_id FOR UPDATE;
            IF plot_status = 'unusable' THEN
                RAISE EXCEPTION 'plot % is marked unusable and takes no burial', NEW.plot_id
                    USING ERRCODE = 'check_violation',
                          HINT = 'Choose another plot, or change the plot''s status first.';
            END IF;
            IF plot_status IS DISTINCT FROM 'occupied' THEN
                UPDATE plot SET status = 'occupied', version = version + 1 WHERE id = NEW.plot_id;
            END IF;
            RETURN NEW;
        END $$;
    """)
    op.execute(
        "CREATE TRIGGER interment_occupies_plot BEFORE INSERT OR UPDATE OF plot_id ON interment "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_interment_occupies_plot()"
    )


def downgrade() -> None:
    """Drop the trigger and its function."""
    op.execute("DROP TRIGGER interment_occupies_plot ON interment")
    op.execute("DROP FUNCTION geo_assets_interment_occupies_plot()")
