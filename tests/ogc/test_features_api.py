"""OGC API – Features on the seeded city: each declared conformance class works, no personal
data leaks, work orders are for staff, paging, datetime and CQL2 filters answer as specified."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, and_, func, select, text

import geo_assets.ogc.query as ogc_query
from geo_assets import tables
from geo_assets.embedded import EmbeddedCluster
from geo_assets.ogc.conformance import FEATURES_CONFORMANCE
from tests.ogc.ogc_server import OgcServer, seeded_server

LAMPS = "/ogc/collections/lamps/items"
BOX = (114.80, -3.46, 114.85, -3.42)


@pytest.fixture(scope="module")
def server(cluster: EmbeddedCluster, seeded_template: str) -> Iterator[OgcServer]:
    """One server on a copy of the seeded 14,000-lamp city for this module."""
    with seeded_server(cluster, seeded_template) as running:
        yield running


def _count(engine: Engine, *conditions: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(tables.LAMP).where(*conditions)
        ).scalar_one()


def _items(server: OgcServer, path: str = LAMPS, **params: Any) -> dict[str, Any]:
    response = server.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    return response.json()


def _problem(server: OgcServer, status: int, path: str = LAMPS, **params: Any) -> str:
    response = server.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()["detail"]


def _matched(server: OgcServer, cql: str) -> int:
    return _items(server, filter=cql, limit=1)["numberMatched"]


# One check per declared conformance class: declaring a class without a check fails below.
def check_core(server: OgcServer) -> None:
    landing = server.get("/ogc").json()
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert server.get(rels["service-desc"]["href"]).status_code == 200
    lamps = server.get("/ogc/collections/lamps").json()
    assert lamps["itemType"] == "feature"
    assert lamps["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
    west, south, east, north = lamps["extent"]["spatial"]["bbox"][0]
    assert 114.6 < west < east < 115.0 and -3.6 < south < north < -3.3
    page = _items(server)
    assert page["numberMatched"] == 14_000 and page["numberReturned"] == 10
    assert page["timeStamp"].endswith("Z")
    one = page["features"][0]
    item = server.get(f"{LAMPS}/{one['id']}").json()
    assert item["properties"]["code"] == one["properties"]["code"]
    assert server.get(f"{LAMPS}/{one['properties']['code']}").json()["id"] == one["id"]
    assert "There is no lamp" in _problem(server, 404, f"{LAMPS}/999999")


def check_geojson(server: OgcServer) -> None:
    page = _items(server, limit=3)
    assert page["type"] == "FeatureCollection"
    assert all(
        f["type"] == "Feature" and f["geometry"]["type"] == "Point" for f in page["features"]
    )


def check_html(server: OgcServer) -> None:
    for path in ("/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/lamps", LAMPS):
        response = server.get(path, headers={"Accept": "text/html"})
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.text.startswith("<!doctype html>"), path
    assert "Lampu PJU" in server.get(f"{LAMPS}?f=html").text
    assert "Street lights" in server.get(f"{LAMPS}?f=html&lang=en").text


def check_oas30(server: OgcServer) -> None:
    document = server.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for path in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/{collection_id}",
        "/ogc/collections/{collection_id}/items",
        "/ogc/collections/{collection_id}/items/{feature_id}",
        "/ogc/collections/{collection_id}/queryables",
    ):
        assert "get" in document["paths"][path], path
    names = {
        p["name"]
        for p in document["paths"]["/ogc/collections/{collection_id}/items"]["get"]["parameters"]
    }
    assert {"limit", "bbox", "datetime", "filter", "filter-lang"} <= names


def check_queryables(server: OgcServer) -> None:
    response = server.get("/ogc/collections/lamps/queryables")
    assert response.headers["content-type"].startswith("application/schema+json")
    schema = response.json()
    assert schema["type"] == "object"
    assert schema["properties"]["status"]["enum"][:2] == ["working", "out"]
    assert schema["properties"]["wattage"]["type"] == "integer"
    assert schema["properties"]["geometry"]["x-ogc-role"] == "primary-geometry"
    assert "kecamatan_code" in schema["properties"]


def check_queryables_query_parameters(server: OgcServer) -> None:
    expected = _count(
        server.engine,
        tables.LAMP.c.status == "out",
        tables.LAMP.c.kelurahan_id.in_(
            select(tables.KELURAHAN.c.id)
            .join(tables.KECAMATAN, tables.KECAMATAN.c.id == tables.KELURAHAN.c.kecamatan_id)
            .where(tables.KECAMATAN.c.code == "63.72.04")
        ),
    )
    page = _items(server, status="out", kecamatan_code="63.72.04", limit=1000)
    assert page["numberMatched"] == expected > 0
    assert {f["properties"]["kecamatan_code"] for f in page["features"]} == {"63.72.04"}
    assert "Unknown parameter 'colour'" in _problem(server, 400, colour="red")
    assert "wattage is a whole number" in _problem(server, 400, wattage="lots")


def check_filter(server: OgcServer) -> None:
    assert _matched(server, "status = 'out'") == _count(
        server.engine, tables.LAMP.c.status == "out"
    )
    assert "filter-lang 'sql'" in _problem(server, 400, **{"filter": "x", "filter-lang": "sql"})


def check_features_filter(server: OgcServer) -> None:
    page = _items(server, filter="wattage > 100 AND status = 'working'", limit=50)
    assert page["numberReturned"] == 50
    assert all(f["properties"]["wattage"] > 100 for f in page["features"])
    assert page["numberMatched"] == _count(
        server.engine, tables.LAMP.c.wattage > 100, tables.LAMP.c.status == "working"
    )


def check_cql2_text(server: OgcServer) -> None:
    assert _items(server, filter="status='out'", **{"filter-lang": "cql2-text"})["numberMatched"]
    detail = _problem(server, 400, filter="status = = 'out'")
    assert "cql2-text filter cannot be read" in detail


def check_cql2_json(server: OgcServer) -> None:
    cql = {
        "op": "and",
        "args": [
            {"op": "=", "args": [{"property": "status"}, "out"]},
            {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": BOX}]},
        ],
    }
    page = _items(server, filter=json.dumps(cql), limit=1, **{"filter-lang": "cql2-json"})
    assert page["numberMatched"] == _count(server.engine, tables.LAMP.c.status == "out", _box(*BOX))
    assert "cannot be read" in _problem(server, 400, filter="{", **{"filter-lang": "cql2-json"})


def check_basic_cql2(server: OgcServer) -> None:
    lamp = tables.LAMP.c
    cases = {
        "status = 'out' OR status = 'damaged'": lamp.status.in_(["out", "damaged"]),
        "NOT (status = 'working')": lamp.status != "working",
        "wattage >= 60 AND wattage < 150": and_(lamp.wattage >= 60, lamp.wattage < 150),
        "status <> 'working'": lamp.status != "working",
        "office_id IS NULL": lamp.office_id.is_(None),
        "installed_on > DATE('2020-01-01')": lamp.installed_on > text("'2020-01-01'::date"),
        "status_changed_at < TIMESTAMP('2024-01-01T00:00:00Z')": lamp.status_changed_at
        < text("'2024-01-01T00:00:00Z'::timestamptz"),
    }
    for cql, condition in cases.items():
        assert _matched(server, cql) == _count(server.engine, condition), cql


def check_advanced_comparison_operators(server: OgcServer) -> None:
    lamp = tables.LAMP.c
    cases = {
        "code LIKE 'PJU-63.72.04-%'": lamp.code.like("PJU-63.72.04-%"),
        "code NOT LIKE 'PJU-63.72.0%'": lamp.code.not_like("PJU-63.72.0%"),
        "lamp_type IN ('led', 'sodium')": lamp.lamp_type.in_(["led", "sodium"]),
        "wattage BETWEEN 60 AND 100": lamp.wattage.between(60, 100),
        "wattage NOT BETWEEN 60 AND 100": ~lamp.wattage.between(60, 100),
    }
    for cql, condition in cases.items():
        assert _matched(server, cql) == _count(server.engine, condition), cql


def _box(x0: float, y0: float, x1: float, y1: float) -> Any:
    return func.ST_Intersects(tables.LAMP.c.geom, func.ST_MakeEnvelope(x0, y0, x1, y1, 4326))


def check_basic_spatial_functions(server: OgcServer) -> None:
    expected = _count(server.engine, _box(114.80, -3.46, 114.85, -3.42))
    cql = "S_INTERSECTS(geometry, BBOX(114.80, -3.46, 114.85, -3.42))"
    assert _matched(server, cql) == expected > 0
    assert _items(server, bbox="114.80,-3.46,114.85,-3.42", limit=1)["numberMatched"] == expected
    mentaos = _items(
        server,
        "/ogc/collections/kelurahan/items",
        filter="S_INTERSECTS(geometry, POINT(114.8349 -3.4336))",
    )
    assert [f["properties"]["code"] for f in mentaos["features"]] == ["63.72.04.1002"]


def check_basic_spatial_functions_plus(server: OgcServer) -> None:
    polygon = "POLYGON((114.80 -3.46, 114.85 -3.46, 114.85 -3.42, 114.80 -3.42, 114.80 -3.46))"
    expected = _count(server.engine, _box(114.80, -3.46, 114.85, -3.42))
    assert _matched(server, f"S_INTERSECTS(geometry, {polygon})") == expected
    roads = _items(
        server,
        "/ogc/collections/roads/items",
        filter="S_INTERSECTS(geometry, LINESTRING(114.80 -3.46, 114.85 -3.42))",
    )
    assert roads["numberMatched"] > 0


CHECKS: dict[str, Callable[[OgcServer], None]] = {
    "ogcapi-features-1/1.0/conf/core": check_core,
    "ogcapi-features-1/1.0/conf/geojson": check_geojson,
    "ogcapi-features-1/1.0/conf/html": check_html,
    "ogcapi-features-1/1.0/conf/oas30": check_oas30,
    "ogcapi-features-3/1.0/conf/queryables": check_queryables,
    "ogcapi-features-3/1.0/conf/queryables-query-parameters": check_queryables_query_parameters,
    "ogcapi-features-3/1.0/conf/filter": check_filter,
    "ogcapi-features-3/1.0/conf/features-filter": check_features_filter,
    "cql2/1.0/conf/cql2-text": check_cql2_text,
    "cql2/1.0/conf/cql2-json": check_cql2_json,
    "cql2/1.0/conf/basic-cql2": check_basic_cql2,
    "cql2/1.0/conf/advanced-comparison-operators": check_advanced_comparison_operators,
    "cql2/1.0/conf/basic-spatial-functions": check_basic_spatial_functions,
    "cql2/1.0/conf/basic-spatial-functions-plus": check_basic_spatial_functions_plus,
}


def test_conformance_declares_exactly_the_checked_classes(server: OgcServer) -> None:
    """/ogc/conformance lists the Features classes, and each one has a check here."""
    declared = server.get("/ogc/conformance").json()["conformsTo"]
    assert set(FEATURES_CONFORMANCE) <= set(declared)
    spec = "http://www.opengis.net/spec/"
    assert {uri.removeprefix(spec) for uri in FEATURES_CONFORMANCE} == set(CHECKS)


@pytest.mark.parametrize("conformance_class", sorted(CHECKS))
def test_declared_class_works(server: OgcServer, conformance_class: str) -> None:
    """Each declared conformance class is exercised against the database's own answer."""
    CHECKS[conformance_class](server)


def _personal_values(engine: Engine) -> set[str]:
    """Every reporter contact and interment name or contact stored in the seeded city."""
    request, interment = tables.SERVICE_REQUEST.c, tables.INTERMENT.c
    columns = (
        request.first_name,
        request.last_name,
        request.email,
        request.phone,
        interment.deceased_name,
        interment.heir_name,
        interment.heir_phone,
        interment.heir_address,
    )
    found: set[str] = set()
    with engine.connect() as connection:
        for column in columns:
            found |= {v for v in connection.execute(select(column).distinct()).scalars() if v}
    return found


PERSONAL_NAMES = {
    "first_name",
    "last_name",
    "email",
    "phone",
    "device_id",
    "account_id",
    "deceased_name",
    "heir_name",
    "heir_phone",
    "heir_address",
    "notes",
}


@pytest.mark.parametrize("role", [None, "staff"])
def test_no_collection_leaks_personal_data(server: OgcServer, role: str | None) -> None:
    """Walking every collection and item, anonymous or staff: no reporter contact, no
    interment name, no personal property; interments are never a collection."""
    personal = _personal_values(server.engine)
    assert len(personal) > 20  # the seeded city has reporters and interments
    headers = server.staff if role else {}
    collections = server.get("/ogc/collections", headers=headers).json()["collections"]
    ids = [c["id"] for c in collections]
    assert ("work-orders" in ids) == bool(role)
    assert not {"interments", "blocks"} & set(ids)
    for collection_id in ids:
        url: str | None = f"/ogc/collections/{collection_id}/items?limit=10000"
        seen = 0
        while url:
            page = server.get(url, headers=headers).json()
            for feature in page["features"]:
                names = set(feature["properties"])
                assert not names & PERSONAL_NAMES, (collection_id, names & PERSONAL_NAMES)
                values = {v for v in feature["properties"].values() if isinstance(v, str)}
                assert not values & personal, (collection_id, values & personal)
            seen += page["numberReturned"]
            url = next((x["href"] for x in page["links"] if x["rel"] == "next"), None)
        assert seen == page["numberMatched"], collection_id
        queryables = server.get(f"/ogc/collections/{collection_id}/queryables", headers=headers)
        assert not set(queryables.json()["properties"]) & PERSONAL_NAMES
    assert _problem(server, 404, "/ogc/collections/interments/items")


def test_work_orders_are_for_staff_only(server: OgcServer) -> None:
    """Without a token work orders are absent and answer 401; a crew token gets 403; staff
    read them (service requests that are not duplicates)."""
    for path in ("/ogc/collections/work-orders", "/ogc/collections/work-orders/items"):
        assert server.get(path).status_code == 401
        assert server.get(path, headers=server.crew).status_code == 403
    anonymous = [c["id"] for c in server.get("/ogc/collections").json()["collections"]]
    assert "work-orders" not in anonymous
    page = server.get(
        "/ogc/collections/work-orders/items", params={"limit": 1}, headers=server.staff
    ).json()
    with server.engine.connect() as connection:
        orders = connection.execute(
            select(func.count()).where(tables.SERVICE_REQUEST.c.duplicate_of_id.is_(None))
        ).scalar_one()
    assert page["numberMatched"] == orders > 0


def test_limit_is_clamped_never_refused(server: OgcServer) -> None:
    """limit defaults to 10; 50,000 is answered with 10,000 features, not an error."""
    assert _items(server)["numberReturned"] == 10
    page = _items(server, limit=50_000)
    assert page["numberReturned"] == 10_000 and len(page["features"]) == 10_000
    assert "limit=10000" in next(link["href"] for link in page["links"] if link["rel"] == "next")


def test_next_and_prev_links_walk_the_pages(server: OgcServer) -> None:
    """Following next then prev keeps the filters and returns the same features."""
    first = _items(server, status="out", limit=7)
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert "prev" not in links
    second = server.get(links["next"]).json()
    assert {f["properties"]["status"] for f in second["features"]} == {"out"}
    assert not {f["id"] for f in first["features"]} & {f["id"] for f in second["features"]}
    back = server.get(next(x["href"] for x in second["links"] if x["rel"] == "prev")).json()
    assert [f["id"] for f in back["features"]] == [f["id"] for f in first["features"]]
    matched = first["numberMatched"]
    last = _items(server, status="out", limit=7, offset=matched - 3)
    assert last["numberReturned"] == 3
    assert "next" not in {link["rel"] for link in last["links"]}


def test_datetime_filters_on_the_temporal_column(server: OgcServer) -> None:
    """datetime as an interval, open at either end, and as a day, on status_changed_at."""
    changed = tables.LAMP.c.status_changed_at
    start, end = "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z"
    ts = (text(f"'{start}'::timestamptz"), text(f"'{end}'::timestamptz"))
    cases = {
        f"{start}/{end}": and_(changed >= ts[0], changed <= ts[1]),
        f"{start}/..": changed >= ts[0],
        f"../{end}": changed <= ts[1],
        f"/{end}": changed <= ts[1],
    }
    for value, condition in cases.items():
        expected = _count(server.engine, condition)
        assert _items(server, datetime=value, limit=1)["numberMatched"] == expected > 0, value
    day = _items(server, limit=1)["features"][0]["properties"]["status_changed_at"][:10]
    assert _items(server, datetime=day, limit=1)["numberMatched"] >= 1
    assert "RFC 3339" in _problem(server, 400, datetime="yesterday")
    assert "ends before it starts" in _problem(server, 400, datetime=f"{end}/{start}")
    assert "no time" in _problem(server, 400, "/ogc/collections/roads/items", datetime=start)


def test_cql2_injection_is_only_a_value(server: OgcServer) -> None:
    """A filter smuggling SQL is compared as a value (no match) and the table is intact."""
    attack = "code = 'x'' OR ''1''=''1' OR code = '1; DROP TABLE lamp; --'"
    response = server.get(LAMPS, params={"filter": attack})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["numberMatched"] == 0
    quoted = "code = '1 OR 1=1; DROP TABLE lamp; --'"
    assert _matched(server, quoted) == 0
    assert _count(server.engine) == 14_000


def test_bad_filters_are_400_problems_naming_the_problem(server: OgcServer) -> None:
    """Unknown properties, personal columns, wrong kinds and broken syntax are 400s."""
    assert "no queryable property 'colour'" in _problem(server, 400, filter="colour = 'red'")
    assert "no queryable property 'email'" in _problem(
        server, 400, "/ogc/collections/service-requests/items", filter="email = 'a@b.c'"
    )
    assert "wattage is a number" in _problem(server, 400, filter="wattage = 'sixty'")
    assert "status is one of" in _problem(server, 400, filter="status = 'broken'")
    assert "cannot be read" in _problem(server, 400, filter="status = ")
    assert "LIKE needs a text property" in _problem(server, 400, filter="wattage LIKE '6%'")
    assert "There is no collection" in _problem(server, 404, "/ogc/collections/nope/items")
    deep = " AND ".join(["wattage > 1"] * 400)
    assert "nests deeper than" in _problem(server, 400, filter=deep)


def test_html_pages_open_in_chromium(
    server: OgcServer, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collections page opens in Chromium in Bahasa Indonesia, lists every public
    collection, and leads to a lamps items page, a lamp, the queryables, the landing page and
    English; where more lamps match than are counted, the items page says "more than"."""
    page = browser.new_page()
    try:
        page.goto(f"{server.base}/ogc/collections")
        assert page.locator("h1").inner_text() == "Koleksi data"
        assert page.locator("ul.collections li").count() == 10
        page.get_by_role("link", name="Lampu PJU").click()
        page.get_by_role("link", name="Fitur").click()
        assert page.locator("table.items tr").count() == 11  # header and 10 lamps
        assert page.locator("p").first.inner_text().startswith("14000 cocok, 10 ditampilkan")
        first = page.locator("table.items tr td a").first
        lamp_id = first.inner_text()
        first.click()
        assert page.locator("h1").inner_text() == f"Lampu PJU {lamp_id}"
        assert page.get_by_role("cell", name="code", exact=True).count() == 1
        page.get_by_role("link", name="English").click()
        assert "Street lights" in page.locator("h1").inner_text()
        page.goto(f"{server.base}/ogc/collections/lamps/queryables?f=html")
        assert page.get_by_role("cell", name="status", exact=True).count() == 1
        page.goto(f"{server.base}/ogc?f=html")
        assert page.get_by_role("link", name="Koleksi data").count() >= 1
        monkeypatch.setattr(ogc_query, "MATCH_CAP", 5_000)
        page.goto(f"{server.base}/ogc/collections/lamps/items?f=html")
        assert page.locator("p").first.inner_text().startswith("lebih dari 5.000 cocok")
    finally:
        page.close()
