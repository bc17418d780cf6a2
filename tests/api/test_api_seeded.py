"""The API on the full seeded city (14,000 lamps): paging through everything, area filters."""

from __future__ import annotations

import pytest
from api_helpers import make_client

pytestmark = pytest.mark.slow


def test_next_links_walk_all_14000_lamps(seeded_url: str) -> None:
    """Following `next` links with the largest page gives every lamp exactly once."""
    with make_client(seeded_url) as client:
        url: str | None = "/api/v1/lamps?limit=20000"
        ids: list[int] = []
        pages = 0
        while url:
            body = client.get(url).json()
            pages += 1
            assert body["numberMatched"] == 14_000
            ids += [feature["id"] for feature in body["features"]]
            url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert pages == 2  # the limit was clamped to 10,000
    assert len(ids) == len(set(ids)) == 14_000


def test_area_filters_partition_the_city(seeded_url: str) -> None:
    """Lamps per kecamatan (by filter) add up to the city, and agree with /stats."""
    with make_client(seeded_url) as client:
        stats = client.get("/api/v1/stats").json()
        total = 0
        for row in stats["lamps_by_kecamatan"]:
            if row["kecamatan_code"] is None:
                continue
            page = client.get(
                "/api/v1/lamps", params={"kecamatan": row["kecamatan_code"], "limit": 1}
            ).json()
            assert page["numberMatched"] == row["total"]
            total += row["total"]
        outside = sum(
            r["total"] for r in stats["lamps_by_kecamatan"] if r["kecamatan_code"] is None
        )
        assert total + outside == 14_000
        bbox = client.get(
            "/api/v1/lamps",
            params={"bbox": "114.80,-3.47,114.85,-3.42", "status": ["out", "damaged"]},
        ).json()
        assert all(f["properties"]["status"] in ("out", "damaged") for f in bbox["features"])
        assert bbox["numberReturned"] == min(100, bbox["numberMatched"])
