"""Audit triggers skip bulk loads without calling PL/pgSQL (a WHEN clause instead of a check).

A bulk load (seed, import) switches row-level audit off for its transaction and writes one
summary row. The trigger function used to be called for every row only to return at once; a
WHEN clause is evaluated by the executor itself, which makes a 14,000-lamp load measurably faster.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "kecamatan",
    "kelurahan",
    "road",
    "lamp",
    "lamp_event",
    "service_request",
    "cemetery",
    "cemetery_block",
    "plot",
    "interment",
    "access_road",
    "prayer_room",
    "app_user",
    "api_key",
    "access_token",
)
AUDIT_ON = "coalesce(current_setting('geo_assets.audit', true), 'on') <> 'off'"


def _recreate(when: str) -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_audit ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {when} EXECUTE FUNCTION geo_assets_audit()"
        )


def upgrade() -> None:
    """Attach the audit function only when audit is on for the transaction."""
    _recreate(f"WHEN ({AUDIT_ON})")


def downgrade() -> None:
    """Back to calling the function for every row."""
    _recreate("")
