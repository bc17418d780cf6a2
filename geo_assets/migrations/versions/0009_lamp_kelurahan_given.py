"""A lamp inserted with its kelurahan keeps it; the trigger derives it only when none is given.

The bulk importer derives every lamp's kelurahan itself, set-based, from the same rule
(the kelurahan covering the point, the lowest id when several do), so the per-row trigger
`lamp_kelurahan` now fires on INSERT only `WHEN (NEW.kelurahan_id IS NULL)`. A lamp that moves
(`UPDATE OF geom`) gets its kelurahan derived again as before, by `lamp_kelurahan_moved`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Split the kelurahan trigger: INSERT without a kelurahan, and UPDATE OF geom."""
    op.execute("DROP TRIGGER lamp_kelurahan ON lamp")
    op.execute(
        "CREATE TRIGGER lamp_kelurahan BEFORE INSERT ON lamp FOR EACH ROW "
        "WHEN (NEW.kelurahan_id IS NULL) EXECUTE FUNCTION geo_assets_lamp_kelurahan()"
    )
    op.execute(
        "CREATE TRIGGER lamp_kelurahan_moved BEFORE UPDATE OF geom ON lamp FOR EACH ROW "
        "EXECUTE FUNCTION geo_assets_lamp_kelurahan()"
    )


def downgrade() -> None:
    """One trigger for every INSERT and UPDATE OF geom again (revision 0002's)."""
    op.execute("DROP TRIGGER lamp_kelurahan_moved ON lamp")
    op.execute("DROP TRIGGER lamp_kelurahan ON lamp")
    op.execute(
        "CREATE TRIGGER lamp_kelurahan BEFORE INSERT OR UPDATE OF geom ON lamp "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_lamp_kelurahan()"
    )
