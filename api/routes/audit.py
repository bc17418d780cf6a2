"""`/api/v1/audit`: every write, who made it, before and after (admin, staff)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.dependencies import ConnectionDep
from api.geojson import LimitQuery, OffsetQuery, envelope, page_links
from api.openapi import problems
from api.schemas.reports import AuditPublic
from api.security import AuditorDep
from geo_assets.inventory.audit import AuditQuery, list_audit
from geo_assets.inventory.params import clamp_limit
from geo_assets.vocab import AUDIT_ACTION, codes

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
JSON = "application/json"


@router.get(
    "", summary="Read the audit log", response_model=AuditPublic, responses=problems(401, 403, 422)
)
def read_audit(
    request: Request,
    connection: ConnectionDep,
    account: AuditorDep,
    table: Annotated[str | None, Query(description="Table name, e.g. lamp.")] = None,
    row_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Row id.")] = None,
    actor: Annotated[str | None, Query(description="Who wrote.")] = None,
    action: Annotated[
        str | None, Query(description=f"One of: {', '.join(codes(AUDIT_ACTION))}.")
    ] = None,
    since: Annotated[datetime | None, Query(description="From this time (inclusive).")] = None,
    until: Annotated[datetime | None, Query(description="Before this time.")] = None,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
) -> Response:
    """Audit entries, newest first (admin, staff)."""
    size = clamp_limit(limit)
    page = list_audit(
        connection=connection,
        query=AuditQuery(
            table=table,
            row_id=row_id,
            actor=actor,
            action=action,
            since=since,
            until=until,
            limit=size,
            offset=offset,
        ),
    )
    head = {
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "links": page_links(request, page, size, offset, JSON),
    }
    return Response(envelope(head, "entries", page.features), media_type=JSON)
