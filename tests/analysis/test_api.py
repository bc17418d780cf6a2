"""The analysis, report and export endpoints over HTTP, on the hand-built cases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.analysis.geojson_check import assert_rfc7946
from tests.analysis.test_cemeteries import build_cemeteries
from tests.analysis.test_proposal import EXPECTED, build_proposal_case
from tests.analysis.test_spm import build_quarter


def test_coverage_summary_and_layers(engine: Engine, client: TestClient) -> None:
    """/coverage gives the city figures; /gaps and /proposed-lamps are RFC 7946 layers."""
    build_proposal_case(engine)
    body = client.get("/api/v1/analysis/coverage").json()
    assert body["city"]["coverage_pct"] == 57.6 and body["city"]["total_km"] == 1.0
    assert {row["name"] for row in body["kecamatan"]} == {"Banjarbaru Utara", "Banjarbaru Selatan"}
    gaps = client.get("/api/v1/analysis/coverage/gaps")
    assert gaps.headers["content-type"].startswith("application/geo+json")
    assert_rfc7946(gaps.json())
    assert [f["properties"]["length_m"] for f in gaps.json()["features"]] == [172.0, 252.0]
    lamps = client.get(
        "/api/v1/analysis/coverage/proposed-lamps", params={"kecamatan": "63.72.04"}
    ).json()
    assert_rfc7946(lamps)
    assert len(lamps["features"]) == 3


def test_unknown_kecamatan_is_a_problem(engine: Engine, client: TestClient) -> None:
    """An unknown kecamatan answers 422 problem+json naming the known ones."""
    build_proposal_case(engine)
    response = client.get("/api/v1/analysis/coverage", params={"kecamatan": "Atlantis"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "Banjarbaru Utara" in response.json()["detail"]


def test_spm_report_formats(engine: Engine, client: TestClient) -> None:
    """/reports/spm answers JSON, printable HTML and CSV; a bad quarter is a 422 problem."""
    build_quarter(engine)
    body = client.get("/api/v1/reports/spm", params={"year": 2024, "quarter": 1}).json()
    assert (body["year"], body["quarter"]) == (2024, 1)
    assert body["city"]["median_repair_hours"] == 96.0
    assert [row["name"] for row in body["kecamatan"]] == ["Banjarbaru Utara"]
    html = client.get("/api/v1/reports/spm", params={"year": 2024, "quarter": 1, "format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "@page { size: A4" in html.text and "Triwulan I 2024" in html.text
    csv_text = client.get(
        "/api/v1/reports/spm", params={"year": 2024, "quarter": 1, "format": "csv"}
    ).text
    assert csv_text.startswith("\ufeffTriwulan,Wilayah")
    bad = client.get("/api/v1/reports/spm", params={"year": 2024, "quarter": 5})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    future = client.get("/api/v1/reports/spm", params={"year": 2099, "quarter": 1})
    assert future.status_code == 422 and "not started" in future.json()["detail"]


def test_proposal_export(engine: Engine, client: TestClient) -> None:
    """/exports/proposal gives the GeoJSON with totals, a GeoPackage file and a CSV summary."""
    build_proposal_case(engine)
    geojson = client.get("/api/v1/exports/proposal")
    assert geojson.headers["content-type"].startswith("application/geo+json")
    collection = geojson.json()
    assert_rfc7946(collection)
    assert collection["totals"]["by_category"] == EXPECTED
    gpkg = client.get("/api/v1/exports/proposal", params={"format": "gpkg"})
    assert gpkg.content.startswith(b"SQLite format 3")
    assert 'filename="usulan-anggaran.gpkg"' in gpkg.headers["content-disposition"]
    csv_body = client.get("/api/v1/exports/proposal", params={"format": "csv", "year": 2026})
    assert csv_body.content.startswith(b"\xef\xbb\xbfKecamatan,Kategori")
    assert client.get("/api/v1/exports/proposal", params={"format": "xls"}).status_code == 422


def test_cemetery_analysis(engine: Engine, client: TestClient) -> None:
    """/analysis/cemeteries lists TPU-01 as nearly full and as a musala candidate."""
    build_cemeteries(engine)
    body = client.get("/api/v1/analysis/cemeteries", params={"as_of": "2025-01-01"}).json()
    assert body["nearly_full"] == ["TPU-01"]
    assert [c["code"] for c in body["musala_candidates"]] == ["TPU-01"]
    assert "Dijkstra" in body["method"]


def test_analysis_routes_are_documented_with_examples(client: TestClient) -> None:
    """Each analysis, report and export operation has a description, described parameters,
    an example answer and example problems in /openapi.json."""
    from api.routes import analysis, exports, reports

    ours = {route.path for m in (analysis, reports, exports) for route in m.router.routes}
    spec = client.get("/openapi.json").json()
    found = [
        (path, op) for path, item in spec["paths"].items() if path in ours for op in item.values()
    ]
    assert len(found) == 11
    for path, operation in found:
        assert operation["summary"] and operation["description"], path
        assert all(p.get("description") for p in operation.get("parameters", [])), path
        content = operation["responses"]["200"]["content"]
        assert any("example" in media for media in content.values()), path
        assert "example" in operation["responses"]["422"]["content"]["application/problem+json"]
