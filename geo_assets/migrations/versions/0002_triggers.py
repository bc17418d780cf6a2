"""Triggers: updated_at, a lamp's kelurahan from its position, append-only events, the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
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
# Secrets never reach the audit log, not even hashed.
SECRET_COLUMNS = "'password_hash', 'key_hash', 'token_hash'"


def upgrade() -> None:
    """Create the trigger functions and attach them."""
    op.execute("""
        CREATE FUNCTION geo_assets_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$;
    """)
    op.execute("""
        CREATE FUNCTION geo_assets_lamp_kelurahan() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.kelurahan_id := (
                SELECT k.id FROM kelurahan k WHERE ST_Covers(k.geom, NEW.geom)
                ORDER BY k.id LIMIT 1
            );
            RETURN NEW;
        END $$;
    """)
    op.execute("""
        CREATE FUNCTION geo_assets_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'lamp events are history and are never changed or deleted'
                USING ERRCODE = 'restrict_violation';
        END $$;
    """)
    op.execute(f"""
        CREATE FUNCTION geo_assets_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            before_row jsonb;
            after_row jsonb;
        BEGIN
            IF coalesce(current_setting('geo_assets.audit', true), 'on') = 'off' THEN
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN before_row := to_jsonb(OLD) - ARRAY[{SECRET_COLUMNS}]; END IF;
            IF TG_OP <> 'DELETE' THEN after_row := to_jsonb(NEW) - ARRAY[{SECRET_COLUMNS}]; END IF;
            INSERT INTO audit_log (actor, action, table_name, row_id, before, after)
            VALUES (
                nullif(current_setting('geo_assets.actor', true), ''),
                lower(TG_OP), TG_TABLE_NAME,
                coalesce(after_row ->> 'id', before_row ->> 'id')::integer,
                before_row, after_row
            );
            RETURN NULL;
        END $$;
    """)
    for table in (*TABLES, "audit_log"):
        op.execute(
            f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION geo_assets_touch()"
        )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION geo_assets_audit()"
        )
    op.execute(
        "CREATE TRIGGER lamp_kelurahan BEFORE INSERT OR UPDATE OF geom ON lamp "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_lamp_kelurahan()"
    )
    op.execute(
        "CREATE TRIGGER lamp_event_append_only BEFORE UPDATE OR DELETE ON lamp_event "
        "FOR EACH ROW EXECUTE FUNCTION geo_assets_history_is_append_only()"
    )


def downgrade() -> None:
    """Drop the triggers and their functions."""
    op.execute("DROP TRIGGER lamp_event_append_only ON lamp_event")
    op.execute("DROP TRIGGER lamp_kelurahan ON lamp")
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_audit ON {table}")
    for table in (*TABLES, "audit_log"):
        op.execute(f"DROP TRIGGER {table}_touch ON {table}")
    for function in (
        "geo_assets_audit",
        "geo_assets_history_is_append_only",
        "geo_assets_lamp_kelurahan",
        "geo_assets_touch",
    ):
        op.execute(f"DROP FUNCTION {function}()")
