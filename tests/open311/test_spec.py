"""`/open311/v2/` against the GeoReport v2 specification: names, both formats, errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.open311.places import Place

BASE = "/open311/v2"
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def _xml(response) -> ElementTree.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def _report(client: TestClient, place: Place, dx: float = 5, fmt: str = "json", **form: str):
    lon, lat = place.at(dx)
    data = {
        "api_key": place.key,
        "service_code": "streetlight_out",
        "lat": str(lat),
        "long": str(lon),
        "description": "Lampu mati sejak kemarin malam",
        "email": "warga@example.org",
        **form,
    }
    return client.post(f"{BASE}/requests.{fmt}", data=data)


def _stored(place: Place) -> int:
    with place.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM service_request")).scalar_one()


def test_discovery_in_both_formats(client: TestClient) -> None:
    """discovery.json and .xml name the GeoReport v2 endpoint, its formats and how to get a key."""
    body = client.get(f"{BASE}/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]


def test_service_list_fields_and_indonesian_names(client: TestClient) -> None:
    """services.json lists the four services with exactly the spec's fields, named in Indonesian."""
    response = client.get(f"{BASE}/services.json")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    services = {s["service_code"]: s for s in response.json()}
    assert {
        "streetlight_out",
        "streetlight_damaged",
        "cemetery_road_damaged",
        "cemetery_facility",
    } <= set(services)
    assert all(list(s) == SERVICE_FIELDS for s in services.values())
    assert services["streetlight_out"]["service_name"] == "Lampu jalan mati"
    assert "lampu mati" in services["streetlight_out"]["keywords"]
    assert services["cemetery_facility"]["metadata"] is True
    assert {s["type"] for s in services.values()} == {"realtime"}


def test_service_list_xml_matches_json(client: TestClient) -> None:
    """services.xml holds one <service> per JSON entry, with the same fields and values."""
    listed = client.get(f"{BASE}/services.json").json()
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == [s["service_code"] for s in listed]
    assert [child.tag for child in services[0]] == SERVICE_FIELDS
    assert services[0].findtext("metadata") in ("true", "false")


def test_service_definition_with_values(client: TestClient) -> None:
    """A service definition lists its attributes with the spec's fields and list values."""
    body = client.get(f"{BASE}/services/cemetery_facility.json").json()
    assert body["service_code"] == "cemetery_facility"
    [attribute] = body["attributes"]
    assert list(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert attribute["datatype"] == "singlevaluelist" and attribute["required"] is True
    assert {"key", "name"} == set(attribute["values"][0])
    root = _xml(client.get(f"{BASE}/services/cemetery_facility.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "petak"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404_error_list(client: TestClient, fmt: str) -> None:
    """An unknown service_code is a 404 with the spec's error list, in the asked format."""
    response = client.get(f"{BASE}/services/pothole.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == 404 and "pothole" in error["description"]
    else:
        root = _xml(response)
        assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_post_request_answers_id_and_notice(client: TestClient, place: Place) -> None:
    """A report is answered with its id, a service_notice and account_id, as the spec shows."""
    response = _report(client, place)
    assert response.status_code == 200
    [receipt] = response.json()
    assert list(receipt) == ["service_request_id", "service_notice", "account_id"]
    assert isinstance(receipt["service_request_id"], int)
    assert "PJU-63.72.04-00001" in receipt["service_notice"]


def test_post_request_xml(client: TestClient, place: Place) -> None:
    """POST requests.xml answers <service_requests><request> with the new id."""
    root = _xml(_report(client, place, fmt="xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").isdigit()


@pytest.mark.parametrize("key", [None, "", "ga311.deadbeef.not-the-secret", "rubbish"])
def test_missing_or_invalid_api_key_is_refused(
    client: TestClient, place: Place, key: str | None
) -> None:
    """Without a valid api_key nothing is stored; the answer is the spec's 403 error list."""
    form = {"api_key": key} if key is not None else {}
    lon, lat = place.at(5)
    data = {"service_code": "streetlight_out", "lat": str(lat), "long": str(lon), **form}
    response = client.post(f"{BASE}/requests.json", data=data)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403 and "api_key" in response.json()[0]["description"]
    assert _stored(place) == 0


@pytest.mark.parametrize(
    ("form", "status", "words"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "pothole"}, 404, "pothole"),
        ({"lat": "", "long": ""}, 400, "location"),
        ({"long": ""}, 400, "lat and long"),
        ({"lat": "south"}, 400, "lat must be a number"),
        ({"lat": "-6.2", "long": "106.8"}, 400, "outside Banjarbaru"),
        ({"description": "x" * 4001}, 400, "4000"),
        ({"service_code": "cemetery_facility"}, 400, "attribute[bagian] is required"),
        ({"service_code": "cemetery_facility", "attribute[bagian]": "kolam"}, 400, "one of"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"jurisdiction_id": "jakarta.go.id"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_fields_are_refused_and_nothing_stored(
    client: TestClient, place: Place, form: dict, status: int, words: str
) -> None:
    """A missing or malformed field is a 400 (an unknown code a 404) naming it; nothing stored."""
    response = _report(client, place, **form)
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status and words in error["description"]
    assert _stored(place) == 0


def test_get_request_has_exactly_the_spec_fields(client: TestClient, place: Place) -> None:
    """requests/{id} gives the spec's fields in order, the SLA as expected_datetime, no e-mail."""
    request_id = _report(client, place)
    request_id = request_id.json()[0]["service_request_id"]
    response = client.get(f"{BASE}/requests/{request_id}.json")
    [found] = response.json()
    assert list(found) == REQUEST_FIELDS
    assert found["status"] == "open" and found["service_code"] == "streetlight_out"
    assert found["agency_responsible"].startswith("Dinas Perkim")
    requested = datetime.fromisoformat(found["requested_datetime"])
    assert requested.utcoffset() == timedelta(hours=8)  # WITA
    assert datetime.fromisoformat(found["expected_datetime"]) - requested == timedelta(hours=72)
    assert "warga@example.org" not in response.text
    root = _xml(client.get(f"{BASE}/requests/{request_id}.xml"))
    assert [child.tag for child in root.find("request")] == REQUEST_FIELDS
    assert root.findtext("request/status") == "open"


@pytest.mark.parametrize(
    "path", ["requests/999999.json", "requests/abc.json", "tokens/nope.json", "nothing-here.json"]
)
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    """An unknown request id, token or resource is a 404 in the spec's error form."""
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_token_gives_the_request_id(client: TestClient, place: Place) -> None:
    """tokens/{token} answers the request id and the token, in both formats."""
    request_id = _report(client, place).json()[0]["service_request_id"]
    with place.engine.connect() as conn:
        token = conn.execute(
            text("SELECT token FROM service_request WHERE id = :i"), {"i": request_id}
        ).scalar_one()
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [
        {"service_request_id": request_id, "token": token}
    ]
    root = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert root.findtext("request/service_request_id") == str(request_id)


def test_requests_filters(client: TestClient, place: Place) -> None:
    """GET requests filters by status and service_code; service_request_id overrides them."""
    light = _report(client, place).json()[0]["service_request_id"]
    road = _report(client, place, dx=500, service_code="cemetery_road_damaged").json()[0]
    road = road["service_request_id"]

    def ids(**query: str) -> list[int]:
        found = client.get(f"{BASE}/requests.json", params=query).json()
        return [r["service_request_id"] for r in found]

    assert ids() == [road, light]
    assert ids(service_code="cemetery_road_damaged") == [road]
    assert ids(status="closed") == []
    assert ids(status="open,closed", service_code="streetlight_out") == [light]
    assert ids(service_request_id=f"{light}", status="closed") == [light]
    assert ids(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00+08:00") == []


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00"}, "time zone"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"status": "pending"}, "status"),
        ({"service_request_id": "1,x"}, "service_request_id"),
        ({"service_code": "pothole"}, "pothole"),
    ],
)
def test_bad_query_is_an_error_list(client: TestClient, query: dict, words: str) -> None:
    """A malformed GET requests argument is answered with the spec's error list naming it."""
    response = client.get(f"{BASE}/requests.xml", params=query)
    assert response.status_code in (400, 404)
    assert words in _xml(response).findtext("error/description")


def test_unsupported_format_is_refused(client: TestClient) -> None:
    """Only .json and .xml are served."""
    response = client.get(f"{BASE}/services.html")
    assert response.status_code == 400
    assert "json or .xml" in response.json()[0]["description"]
