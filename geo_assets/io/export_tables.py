"""The tables as the export queries see them: light `table()` clauses made from the registry.

An export reads columns by name and needs no ORM: these clauses carry each registry column with
the SQL type its kind stands for (what a GeoPackage's field types follow), plus `id` and `geom`.
Made from the registry, they are no second description of the tables, and `geo-assets export`
starts without importing the ORM models, GeoAlchemy2, Shapely and NumPy (start-up time).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import TableClause, column, table

from geo_assets.entities import ENTITIES, Entity, Reference
from geo_assets.entities.base import SQL_TYPES


@cache
def export_table(name: str) -> TableClause:
    """The table `name` (`lamp`) with the columns its registry entity describes, `id`, `geom`."""
    return _clause(_entity_of(name))


def entity_table(entity: Entity) -> TableClause:
    """The export's clause of `entity`'s table: the registry's own entity's is made once; an
    entity changed from it (a column added) gets a clause of its own, on every call."""
    if _entity_of(entity.table_name) is entity:
        return export_table(entity.table_name)
    return _clause(entity)


def _clause(entity: Entity) -> TableClause:
    columns = [column("id", SQL_TYPES["id"])]
    if entity.geometry_type is not None:
        columns.append(column("geom"))  # a geometry: no type needed
    columns += [column(c.name, SQL_TYPES[c.kind]) for c in entity.columns]
    return table(entity.table_name, *columns)


def reference_table(reference: Reference) -> TableClause:
    """The export's clause of the table a foreign key points at."""
    return export_table(reference.target_name)


def _entity_of(name: str) -> Entity:
    found = next((e for e in ENTITIES if e.table_name == name), None)
    if found is None:
        raise LookupError(f"No registry entity has the table {name!r}.")
    return found
