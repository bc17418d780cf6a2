"""Migrations are the only source of the schema: they match the models and go down cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from sqlalchemy import Engine, inspect, text

from geo_assets import migrate
from geo_assets.models import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    """Autogenerate against the migrated database finds no difference."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_object": _include,
                "compare_type": True,
                "render_item": alembic_helpers.render_item,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def _include(obj, name, type_, reflected, compare_to):  # noqa: ANN001 - Alembic's hook
    if type_ == "table" and reflected and compare_to is None:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    """Downgrade to base leaves no table of ours; upgrading again restores the schema."""
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) - {"spatial_ref_sys", "alembic_version"} == set()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) is not None
    with engine.connect() as conn:
        triggers = conn.execute(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = 'lamp_kelurahan'")
        ).scalar_one()
    assert triggers == 1
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
