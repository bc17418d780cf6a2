"""The OpenAPI document describes the answers really sent: schemas, statuses and content types.

The schemathesis run (test_fuzz_openapi.py) checks real answers against the document; these
checks read the document alone and say precisely which declaration is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.main import create_app
from geo_assets.settings import Settings

JSON_TYPES = ("application/json", "application/geo+json")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The OpenAPI document of the app (built without a database)."""
    return create_app(Settings()).openapi()


def successes(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(operation, status, media type, schema) of every documented 2xx JSON answer."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    if status.startswith("2") and media in JSON_TYPES:
                        yield f"{method.upper()} {path}", status, media, content.get("schema", {})


def test_geojson_answers_are_documented_by_their_models(spec: dict[str, Any]) -> None:
    """Every GeoJSON answer has a Feature or FeatureCollection schema, none is `type: string`."""
    schemas = spec["components"]["schemas"]
    found = 0
    for operation, status, media, schema in successes(spec):
        assert schema.get("type") != "string", (operation, status, schema)
        if media == "application/geo+json":
            found += 1
            name = schema.get("$ref", "").rsplit("/", 1)[-1]
            assert name in schemas, (operation, status, schema)
            members = schemas[name]["properties"]
            assert "features" in members or "geometry" in members, (operation, name)
    assert found >= 40


def test_feature_geometry_is_a_geojson_geometry(spec: dict[str, Any]) -> None:
    """A Feature's geometry is one of the RFC 7946 geometries, with positions as numbers."""
    geometry = spec["components"]["schemas"]["LampPublic"]["properties"]["geometry"]
    kinds = geometry["anyOf"][0]["discriminator"]["mapping"]
    assert {"Point", "LineString", "Polygon", "MultiPolygon"} <= set(kinds)
    point = spec["components"]["schemas"]["PointOut"]["properties"]["coordinates"]
    assert point["items"] == {"type": "number"} and point["minItems"] == 2


def test_open311_documents_its_errors_and_both_formats(spec: dict[str, Any]) -> None:
    """Open311 answers 400/403/404 in its own error list, in JSON and XML; no problem+json 422."""
    post = spec["paths"]["/open311/v2/requests.{fmt}"]["post"]["responses"]
    assert {"200", "400", "403", "404"} <= set(post) and "422" not in post
    for status in ("200", "400", "403", "404"):
        assert {"application/json", "text/xml"} <= set(post[status]["content"]), status
    errors = post["404"]["content"]["application/json"]["schema"]["$ref"]
    assert errors.endswith("/Open311Errors")
    read = spec["paths"]["/open311/v2/requests/{service_request_id}.{fmt}"]["get"]
    fmt = next(p for p in read["parameters"] if p["name"] == "fmt")
    assert fmt["schema"]["enum"] == ["json", "xml"]


@pytest.mark.parametrize(
    ("path", "types"),
    [
        ("/api/v1/reports/spm", {"application/json", "text/html", "text/csv", XLSX, PDF}),
        (
            "/api/v1/exports/proposal",
            {"application/geo+json", "application/geopackage+sqlite3", "text/csv", XLSX},
        ),
        ("/api/v1/reports/coverage", {"application/json", XLSX}),
    ],
)
def test_every_format_is_a_documented_content_type(
    spec: dict[str, Any], path: str, types: set[str]
) -> None:
    """The report and the proposal document each format they answer in, and nothing else."""
    assert set(spec["paths"][path]["get"]["responses"]["200"]["content"]) == types


def test_generic_statuses_are_documented(spec: dict[str, Any]) -> None:
    """401 where a token is read, 403 where a role is needed, 404 on items, 400/413 on bodies,
    503 everywhere the database is used."""
    paths = spec["paths"]
    blocks = paths["/api/v1/cemeteries/{cemetery}/blocks"]["get"]["responses"]
    assert {"401", "404", "422", "503"} <= set(blocks)
    assert "403" not in blocks
    events = paths["/field/api/lamps/{lamp_id}/events"]["post"]["responses"]
    assert {"400", "401", "403", "404", "413", "422", "503"} <= set(events)
    for path, item in paths.items():
        for method, operation in item.items():
            if not path.startswith("/open311/"):
                problem = operation["responses"]["503"]["content"]["application/problem+json"]
                assert problem["example"]["status"] == 503, f"{method} {path}"
