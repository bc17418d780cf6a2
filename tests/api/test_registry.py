"""The entity registry is the one description: import specs, exports, API resources and routers
are derived from it, and no personal column reaches a public list or an export."""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Column as SqlColumn
from sqlalchemy import Engine, MetaData, String, Table

from api.resource_router import resource_router
from api.routes import inventory
from api.schemas.derived import properties_model
from api.v1 import ROUTERS
from geo_assets import entities, tables
from geo_assets.entities import Column, ListFilter
from geo_assets.inventory.catalog import RESOURCES, resource
from geo_assets.inventory.resources import numbers
from geo_assets.io.entities import ENTITY_SPECS, entity_spec_of
from geo_assets.io.export_queries import ExportFilters, export_query, filtered_select
from geo_assets.io.names import EXPORT_ENTITIES, IMPORT_ENTITIES


def _lamps_with_meter_id() -> entities.Entity:
    """The lamps entry with one more column (and the table widened to hold it)."""
    widened = Table(
        "lamp",
        MetaData(),
        *(column._copy() for column in tables.LAMP.columns),
        SqlColumn("pln_meter_id", String(32)),
    )
    meter_id = Column(
        "pln_meter_id", "text", aliases=("id_meter", "nomor_meter"), example="PLN-532100012345"
    )
    return replace(entities.BY_NAME["lamps"], table=widened).with_column(meter_id, after="code")


def test_a_new_column_reaches_import_export_and_api() -> None:
    """One `Column` line in the registry shows up in the import spec, the export, the API."""
    lamps = _lamps_with_meter_id()
    field = entity_spec_of(lamps).field("pln_meter_id")
    assert field.aliases == ("id_meter", "nomor_meter") and field.max_length == 32
    assert "pln_meter_id" in entity_spec_of(lamps).copy_columns
    exported = [column.key for column in export_query(lamps).columns]
    assert exported[:3] == ["id", "code", "pln_meter_id"]
    api = resource(lamps)
    assert "pln_meter_id" in api.columns and "pln_meter_id" in api.writable
    assert "pln_meter_id" not in RESOURCES["lamps"].columns  # the registry itself is unchanged
    schema = properties_model(lamps, "LampWithOffice", "A lamp.").model_json_schema()
    assert schema["properties"]["pln_meter_id"]["anyOf"][0]["maxLength"] == 32
    assert schema["properties"]["pln_meter_id"]["examples"] == ["PLN-532100012345"]


def test_a_personal_column_stays_out_of_public_lists_and_exports() -> None:
    """A column marked personal is read by staff only: never public, never exported."""
    surveyor = Column("surveyor", "text", public=False, personal=True)
    lamps = _lamps_with_meter_id().with_column(surveyor)
    assert "surveyor" in resource(lamps).personal
    assert "surveyor" not in resource(lamps).columns
    assert "surveyor" not in [column.key for column in export_query(lamps).columns]


def test_no_personal_column_is_public_anywhere() -> None:
    """Interments' names and reporters' contacts are personal, and no listing shows them."""
    personal = {name for entity in entities.ENTITIES for name in entity.personal_columns}
    assert {"deceased_name", "heir_phone", "email", "phone"} <= personal
    for entity in entities.ENTITIES:
        assert not set(resource(entity).columns) & set(entity.personal_columns), entity.name
    for name in EXPORT_ENTITIES:
        if name in entities.BY_FILE_NAME:
            query = export_query(entities.BY_FILE_NAME[name])
            assert not {column.key for column in query.columns} & personal, name


def test_exports_of_the_city_carry_no_personal_data(city: Engine) -> None:
    """Every export query runs on the small city and returns no personal column."""
    personal = {name for entity in entities.ENTITIES for name in entity.personal_columns}
    with city.connect() as connection:
        for name in EXPORT_ENTITIES:
            if name not in entities.BY_FILE_NAME:
                continue  # the budget proposal is an analysis, not a table
            query = export_query(entities.BY_FILE_NAME[name])
            rows = connection.execute(filtered_select(query, name, ExportFilters(), None))
            assert not set(rows.keys()) & personal, name


def test_file_names_and_import_specs_come_from_the_registry() -> None:
    """Each importable name has a registry entry, and its spec is that entry's columns."""
    assert list(ENTITY_SPECS) == [name for name in IMPORT_ENTITIES if name in entities.BY_FILE_NAME]
    for name, spec in ENTITY_SPECS.items():
        entity = entities.BY_FILE_NAME[name]
        assert spec.table == entity.table.name and spec.geometry_type == entity.geometry_type
        imported = {c.name for c in entity.columns if c.imported}
        assert {f.name for f in spec.fields if f.stored} <= imported


def test_list_query_parameters_are_the_registry_filters(client: TestClient) -> None:
    """Each `/api/v1` list offers exactly its registry filters (plus paging and place)."""
    spec = client.get("/openapi.json").json()
    common = {"bbox", "near", "radius_m", "limit", "offset"}
    paths = {"lamps": "/api/v1/lamps", "interments": "/api/v1/interments"}
    paths |= {docs.entity.name: docs.prefix for docs in inventory.DOCS}
    for name, path in paths.items():
        entity = entities.BY_NAME[name]
        offered = {p["name"] for p in spec["paths"][path]["get"]["parameters"]} - common
        parent = {"cemetery"} if name == "blocks" else set()
        wanted = {f.name for f in entity.filters if f.query_parameter} - parent
        assert offered - parent == wanted, name
    assert len(ROUTERS) >= len(inventory.DOCS)


def test_a_filter_added_to_the_registry_becomes_a_query_parameter() -> None:
    """Declaring a filter once in the registry puts it on the list route and in the resource."""
    width = ListFilter("width_m", numbers("width_m"), "Width in m.", value_type=float)
    roads = entities.BY_NAME["roads"]
    wider = replace(roads, filters=(*roads.filters, width))
    app = FastAPI()
    app.include_router(resource_router(replace(inventory.ROADS, entity=wider)))
    parameters = app.openapi()["paths"]["/api/v1/roads"]["get"]["parameters"]
    documented = {p["name"]: p for p in parameters}
    assert documented["width_m"]["description"] == "Width in m."
    assert "width_m" in resource(wider).filters and "width_m" not in RESOURCES["roads"].filters
