"""Open311 XML stays well-formed whatever a resident typed: markup, `]]>` and control characters.

Markup and CDATA ends arrive through the API; control characters that XML 1.0 cannot carry at
all (stored before input was checked, or by an import) are written here straight into the
database. Every list and single answer parses, and reads back the resident's text.
"""

from __future__ import annotations

from xml.etree import ElementTree

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.open311.places import Place

BASE = "/open311/v2"
HOSTILE = 'Lampu <b>mati</b> & "gelap" ]]> <![CDATA[ x ]]> <img src=x onerror=alert(1)>'
CONTROLS = "awal\x01\x08\x0b\x0c\x1f\ufffe akhir\ttab"


def _parse(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)


def test_hostile_text_reads_back_from_well_formed_xml(client: TestClient, place: Place) -> None:
    """Markup, quotes, `&` and `]]>` in a description and address come back as the same text."""
    lon, lat = place.at(5)
    created = client.post(
        f"{BASE}/requests.xml",
        data={
            "api_key": place.key,
            "service_code": "streetlight_out",
            "lat": str(lat),
            "long": str(lon),
            "description": HOSTILE,
            "address_string": f"Jl. {HOSTILE}",
        },
    )
    assert created.status_code in (200, 201), created.text
    request_id = _parse(created.content).findtext("request/service_request_id")
    one = _parse(client.get(f"{BASE}/requests/{request_id}.xml").content)
    assert one.findtext("request/description") == HOSTILE
    assert one.findtext("request/address") == f"Jl. {HOSTILE}"
    listed = _parse(client.get(f"{BASE}/requests.xml").content)
    assert HOSTILE in [r.findtext("description") for r in listed.findall("request")]


def test_control_characters_do_not_break_the_xml(client: TestClient, place: Place) -> None:
    """Characters XML cannot carry are answered as U+FFFD; tab and the rest are kept."""
    lon, lat = place.at(5)
    created = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": place.key,
            "service_code": "streetlight_out",
            "lat": str(lat),
            "long": str(lon),
            "description": "sementara",
        },
    )
    request_id = created.json()[0]["service_request_id"]
    with place.engine.begin() as conn:
        conn.execute(
            text("UPDATE service_request SET description = :d, address_string = :a WHERE id = :id"),
            {"d": CONTROLS, "a": CONTROLS, "id": int(request_id)},
        )
    for path in (f"{BASE}/requests/{request_id}.xml", f"{BASE}/requests.xml"):
        answer = client.get(path)
        assert answer.status_code == 200
        shown = _parse(answer.content).findtext("request/description")
        assert shown == "awal\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd akhir\ttab"
