"""The sample city's service requests come from the one catalogue of services: its codes and
agencies, and due times from the settings' SLA."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, text

from geo_assets.seed.plan import REQUEST_COLUMNS, build_plan
from geo_assets.services import get_service
from geo_assets.settings import Settings


def test_seeded_due_times_follow_the_settings_sla() -> None:
    """With sla_hours=48 (and 240 h for cemetery facilities) every seeded request is due that
    long after it was made, not after a fixed 72 h."""
    settings = Settings(sla_hours=48, sla_hours_by_service={"cemetery_facility": 240})
    plan = build_plan(seed=7, scale=1, settings=settings)
    column = {name: index for index, name in enumerate(REQUEST_COLUMNS)}
    rows = [row for batch in plan.batches for row in batch.requests]
    waits = {
        (row[column["service_code"]], row[column["due_at"]] - row[column["requested_at"]])
        for row in rows
    }
    assert {code for code, _ in waits} >= {"streetlight_out", "cemetery_facility"}
    for code, wait in waits:
        assert wait == timedelta(hours=240 if code == "cemetery_facility" else 48), code


def test_seeded_requests_use_the_catalogue_codes_and_agencies(seeded_engine: Engine) -> None:
    """Every seeded request names a service of the catalogue and that service's agency."""
    with seeded_engine.connect() as conn:
        pairs = conn.execute(
            text("SELECT DISTINCT service_code, agency_responsible FROM service_request")
        ).all()
    assert len({code for code, _ in pairs}) == 4
    for code, agency in pairs:
        assert agency == get_service(code).agency, code
