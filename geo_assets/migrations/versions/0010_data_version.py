"""A data version per spatial table, bumped by every statement that changes the table.

Vector tiles take their ETag from it: a tile is unchanged as long as the versions of the tables
it is drawn from are. One statement-level trigger per table (not per row), so a bulk import of a
million lamps bumps the version once. A change rolled back rolls its bump back with it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables vector tiles are drawn from (the OGC collections with a geometry).
VERSIONED_TABLES = (
    "lamp",
    "road",
    "kecamatan",
    "kelurahan",
    "cemetery",
    "cemetery_block",
    "plot",
    "access_road",
    "prayer_room",
    "service_request",
)


def upgrade() -> None:
    """The `data_version` table, its bump function and one trigger per versioned table."""
    op.execute(
        "CREATE TABLE data_version ("
        " table_name text PRIMARY KEY,"
        " version bigint NOT NULL DEFAULT 1,"
        " changed_at timestamptz NOT NULL DEFAULT now())"
    )
    op.execute(
        "CREATE FUNCTION geo_assets_bump_data_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO data_version AS v (table_name) VALUES (TG_TABLE_NAME) "
        "ON CONFLICT (table_name) DO UPDATE SET version = v.version + 1, changed_at = now(); "
        "RETURN NULL; END $$"
    )
    for table in VERSIONED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_data_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION geo_assets_bump_data_version()"
        )
        op.execute(f"INSERT INTO data_version (table_name) VALUES ('{table}')")


def downgrade() -> None:
    """Drop the triggers, the function and the table."""
    for table in VERSIONED_TABLES:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
    op.execute("DROP FUNCTION geo_assets_bump_data_version()")
    op.execute("DROP TABLE data_version")
