"""`/api/v1` for the plain inventory resources, built from the registry by `resource_router`.

Areas (kecamatan, kelurahan), roads, cemeteries and their blocks, plots, access roads, prayer
rooms, and (read-only) service requests. Each keeps its own words, examples and schemas here;
columns and filters come from `geo_assets.entities`. Lamps and interments differ and keep their
own modules.
"""

from __future__ import annotations

from typing import Any

from api.resource_docs import Parent, ResourceDocs
from api.resource_router import resource_router
from api.schemas import areas, cemeteries, reports
from geo_assets import entities
from geo_assets.entities import cemeteries as tpu

UPDATED: dict[str, Any] = {"version": 1, "updated_at": "2026-01-05T09:12:00+00:00"}


def _feature(id_: int, geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": id_, "geometry": geometry, "properties": properties}


KECAMATAN = ResourceDocs(
    entity=entities.BY_NAME["kecamatan"],
    tag="areas",
    example=_feature(
        3,
        {"type": "MultiPolygon", "coordinates": [areas.SQUARE]},
        code="63.72.04",
        name="Banjarbaru Utara",
        official_area_km2=24.4,
        **UPDATED,
    ),
    key_example="63.72.04",
    schemas=(
        areas.KecamatanPublic,
        areas.KecamatanListPublic,
        areas.KecamatanCreate,
        areas.KecamatanUpdate,
    ),
    near=False,
    docs={
        "list": "The districts, as (Multi)Polygons.",
        "read": "One district by id or code.",
        "create": "Add a district (staff, admin).",
        "update": "Change a district (staff, admin); needs If-Match.",
        "delete": "Delete a district without kelurahan (staff, admin); needs If-Match.",
    },
)
KELURAHAN = ResourceDocs(
    entity=entities.BY_NAME["kelurahan"],
    tag="areas",
    example=_feature(
        6,
        {"type": "MultiPolygon", "coordinates": []},
        code="63.72.04.1002",
        name="Mentaos",
        kecamatan_id=3,
        kecamatan_code="63.72.04",
        **UPDATED,
    ),
    key_example="63.72.04.1002",
    schemas=(
        areas.KelurahanPublic,
        areas.KelurahanListPublic,
        areas.KelurahanCreate,
        areas.KelurahanUpdate,
    ),
    near=False,
    docs={"list": "The sub-districts, as (Multi)Polygons, optionally of some kecamatan."},
)
ROADS = ResourceDocs(
    entity=entities.BY_NAME["roads"],
    tag="roads",
    example=_feature(
        1,
        {"type": "LineString", "coordinates": [[114.80, -3.44], [114.84, -3.45]]},
        code="JL-0001",
        name="Jl. Jenderal A. Yani",
        road_class="arteri",
        surface="aspal",
        width_m=12,
        **UPDATED,
    ),
    key_example="JL-0001",
    schemas=(areas.RoadPublic, areas.RoadsPublic, areas.RoadCreate, areas.RoadUpdate),
)
CEMETERIES = ResourceDocs(
    entity=entities.BY_NAME["cemeteries"],
    tag="cemeteries",
    example=_feature(
        1,
        {"type": "Polygon", "coordinates": []},
        code="TPU-01",
        name="TPU Guntung Manggis",
        kind="muslim",
        capacity=2400,
        gate={"type": "Point", "coordinates": [114.8315, -3.45]},
        **UPDATED,
    ),
    key_example="TPU-01",
    schemas=(
        cemeteries.CemeteryPublic,
        cemeteries.CemeteriesPublic,
        cemeteries.CemeteryCreate,
        cemeteries.CemeteryUpdate,
    ),
    docs={"delete": "Delete a cemetery (staff, admin); needs If-Match."},
)
BLOCKS = ResourceDocs(
    entity=entities.BY_NAME["blocks"],
    under="/api/v1/cemeteries/{cemetery}/blocks",
    tag="cemeteries",
    example=_feature(
        1,
        {"type": "Polygon", "coordinates": []},
        code="TPU-01-A",
        name="Blok A",
        cemetery_id=1,
        cemetery_code="TPU-01",
        **UPDATED,
    ),
    key_example="TPU-01-A",
    key_description="The block's id or code.",
    schemas=(
        cemeteries.BlockPublic,
        cemeteries.BlocksPublic,
        cemeteries.BlockCreate,
        cemeteries.BlockUpdate,
    ),
    one="block",
    near=False,
    parent=Parent(
        "cemetery", "cemetery_id", tpu.CEMETERIES, "The cemetery's id or code.", "TPU-01"
    ),
    list_example_path="/api/v1/cemeteries/TPU-01/blocks",
    summaries={"list": "List a cemetery's blocks"},
    docs={
        "list": "The blocks of the cemetery, as Polygons.",
        "create": "Add a block to the cemetery (staff, admin).",
        "update": "Change a block (staff, admin); needs If-Match.",
        "delete": "Delete a block and its plots' outlines (staff, admin); needs If-Match.",
    },
)
PLOTS = ResourceDocs(
    entity=entities.BY_NAME["plots"],
    tag="cemeteries",
    example=_feature(
        1,
        {"type": "Polygon", "coordinates": []},
        code="TPU-01-A-1-1",
        block_id=1,
        row_number=1,
        plot_number=1,
        status="available",
        block_code="TPU-01-A",
        cemetery_code="TPU-01",
        **UPDATED,
    ),
    key_example="TPU-01-A-1-1",
    schemas=(
        cemeteries.PlotPublic,
        cemeteries.PlotsPublic,
        cemeteries.PlotCreate,
        cemeteries.PlotUpdate,
    ),
)
ACCESS_ROADS = ResourceDocs(
    entity=entities.BY_NAME["access-roads"],
    tag="cemeteries",
    example=_feature(
        1,
        {"type": "LineString", "coordinates": [[114.8315, -3.45], [114.832, -3.452]]},
        code="AKS-01",
        name="Jalan masuk TPU",
        cemetery_id=1,
        road_id=None,
        condition="poor",
        surface="tanah",
        width_m=4,
        planned_improvement="Pengaspalan",
        improvement_cost_idr=150000000,
        cemetery_code="TPU-01",
        road_code=None,
        **UPDATED,
    ),
    key_example="AKS-01",
    schemas=(
        cemeteries.AccessRoadPublic,
        cemeteries.AccessRoadsPublic,
        cemeteries.AccessRoadCreate,
        cemeteries.AccessRoadUpdate,
    ),
)
PRAYER_ROOMS = ResourceDocs(
    entity=entities.BY_NAME["prayer-rooms"],
    tag="cemeteries",
    example=_feature(
        1,
        {"type": "Point", "coordinates": [114.8318, -3.4495]},
        code="MSL-01",
        name="Musala TPU",
        cemetery_id=1,
        status="planned",
        capacity=40,
        estimated_cost_idr=350000000,
        planned_year=2027,
        cemetery_code="TPU-01",
        **UPDATED,
    ),
    key_example="MSL-01",
    schemas=(
        cemeteries.PrayerRoomPublic,
        cemeteries.PrayerRoomsPublic,
        cemeteries.PrayerRoomCreate,
        cemeteries.PrayerRoomUpdate,
    ),
)
SERVICE_REQUESTS = ResourceDocs(
    entity=entities.BY_NAME["service-requests"],
    tag="service requests",
    example=_feature(
        12,
        {"type": "Point", "coordinates": [114.8302, -3.4401]},
        service_code="streetlight_out",
        description="Lampu mati",
        status="open",
        requested_at="2026-01-05T19:40:00+00:00",
        lamp_id=17,
        work_state="assigned",
        due_at="2026-01-08T19:40:00+00:00",
        version=2,
        updated_at="2026-01-06T08:00:00+00:00",
    ),
    key_example="12",
    key_description="The request's id.",
    schemas=(reports.ServiceRequestPublic, reports.ServiceRequestsPublic),
    docs={
        "list": "Service requests matching every filter given; reporters' contacts only for "
        "staff/admin.",
        "read": "One service request by id.",
    },
)

# In the order the OpenAPI document lists them.
DOCS = (
    KECAMATAN,
    KELURAHAN,
    ROADS,
    CEMETERIES,
    BLOCKS,
    PLOTS,
    ACCESS_ROADS,
    PRAYER_ROOMS,
    SERVICE_REQUESTS,
)
ROUTERS = {docs.entity.name: resource_router(docs) for docs in DOCS}
