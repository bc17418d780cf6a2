"""`/open311/v2/`: Open311 GeoReport v2, as published at https://wiki.open311.org/GeoReport_v2.

Every resource answers in `.json` and `.xml`. Errors are the specification's list of
`{code, description}` in the requested format: 404 for an unknown resource (service_code,
request id, token, jurisdiction_id), 403 for a missing or invalid api_key ("403 for errors
because of wrong or missing api_key", the specification's Errors section), 400 for any other
request that cannot be fulfilled (a missing or malformed field).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from api.dependencies import EngineDep, SettingsDep, client_address
from api.errors import status_for
from api.open311_format import FORMATS, errors, render
from api.openapi import OPEN311_ERRORS, open311_responses
from api.schemas.open311 import (
    Discovery,
    ServiceDefinition,
    ServiceList,
    ServiceRequests,
)
from geo_assets.errors import GeoAssetsError, InvalidInput, NotFound
from geo_assets.inventory.params import parse_id
from geo_assets.open311 import requests as spec_requests
from geo_assets.open311.intake import parse_report, submit_report
from geo_assets.open311.keys import admit_api_key
from geo_assets.open311.services import (
    CHANGESET,
    JURISDICTION_ID,
    service_definition,
    service_list,
)
from geo_assets.services import get_service

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _format_of(request: Request) -> str:
    suffix = request.url.path.rsplit(".", 1)[-1].lower()
    return suffix if suffix in FORMATS else "json"


# GeoReport v2 has no 401 or 422: a bad api_key is a 403, bad input a 400; and it documents
# only the statuses in OPEN311_ERRORS, so anything else of ours is answered as a 400.
GEOREPORT_STATUS = {401: 403, 422: 400}


def _status_of(exc: GeoAssetsError | HTTPException) -> int:
    if isinstance(exc, HTTPException):
        return exc.status_code
    status = status_for(exc)
    status = GEOREPORT_STATUS.get(status, status)
    return status if status in OPEN311_ERRORS else 400


def _failure(request: Request, status: int, detail: str, retry_after: int | None) -> Response:
    response = errors(_format_of(request), status, detail)
    if retry_after:  # throttled, busy or the database down: when to come back, in seconds
        response.headers["Retry-After"] = str(retry_after)
    return response


class Open311Route(APIRoute):
    """Answers this router's failures as the specification's error list, not problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The usual handler, with expected failures turned into GeoReport errors."""
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            later = request.app.state.settings.retry_after_seconds
            try:
                return await handler(request)
            except (GeoAssetsError, HTTPException) as exc:
                detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
                status = _status_of(exc)
                retry_after = getattr(exc, "retry_after", None)
                if status == 503:
                    retry_after = retry_after or later
                return _failure(request, status, str(detail), retry_after)
            except (OperationalError, InterfaceError, PoolTimeout):
                # The database is down or dropped the connection (even at COMMIT): nothing
                # was recorded, and the same report may be sent again.
                detail = f"The database is unavailable; nothing was recorded. Retry in {later} s."
                return _failure(request, 503, detail, later)
            except RequestValidationError as exc:
                messages = [f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors()]
                return errors(_format_of(request), 400, *messages)

        return answer


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)
FormatPath = Annotated[
    str,
    Path(
        description="Response format: json or xml.",
        examples=["json"],
        json_schema_extra={"enum": list(FORMATS)},
    ),
]
JurisdictionQuery = Annotated[
    str | None,
    Query(description=f"Optional: this endpoint serves one jurisdiction, {JURISDICTION_ID}."),
]


def _check(fmt: str, jurisdiction_id: str | None = None) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"Format '{fmt}' is not served: use .json or .xml.")
    if jurisdiction_id and jurisdiction_id != JURISDICTION_ID:
        raise NotFound(
            f"jurisdiction_id '{jurisdiction_id}' was not found; this endpoint "
            f"serves {JURISDICTION_ID}."
        )
    return fmt


@router.get(
    "/discovery.{fmt}",
    summary="Service discovery",
    responses=open311_responses(Discovery, "This endpoint.", 400),
)
def read_discovery(request: Request, fmt: FormatPath) -> Response:
    """Where this GeoReport v2 endpoint is, which formats it speaks, how to get a key."""
    fmt = _check(fmt)
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "Dinas Perumahan dan Kawasan Permukiman (Perkim) Kota Banjarbaru, "
            "Kalimantan Selatan. (Banjarbaru housing and settlements office.)",
            "key_service": "Minta kunci API kepada administrator geo-assets (perintah "
            "`geo-assets apikeys create NAMA`). Ask the geo-assets administrator "
            "for an API key.",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": str(request.base_url).rstrip("/") + router.prefix,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@router.get(
    "/services.{fmt}",
    summary="GET Service List",
    responses=open311_responses(ServiceList, "Every service.", 400, 404),
)
def read_services(fmt: FormatPath, jurisdiction_id: JurisdictionQuery = None) -> Response:
    """Every request type residents may report, with Indonesian names and keywords."""
    fmt = _check(fmt, jurisdiction_id)
    return render(fmt, "services", service_list())


@router.get(
    "/services/{service_code}.{fmt}",
    summary="GET Service Definition",
    responses=open311_responses(ServiceDefinition, "The service's attributes.", 400, 404),
)
def read_service_definition(
    service_code: str, fmt: FormatPath, jurisdiction_id: JurisdictionQuery = None
) -> Response:
    """The extra questions (attributes) of one service."""
    fmt = _check(fmt, jurisdiction_id)
    return render(fmt, "service_definition", service_definition(get_service(service_code)))


async def _form(request: Request) -> dict[str, list[str]]:
    """The url-encoded form as name -> values (attribute[code][] may repeat)."""
    fields: dict[str, list[str]] = {}
    for name, value in (await request.form()).multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return fields


@router.post(
    "/requests.{fmt}",
    summary="POST Service Request",
    responses=open311_responses(ServiceRequests, "The new request's id.", 400, 403, 404, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["api_key", "service_code"],
                        "properties": {
                            name: {"type": "string"}
                            for name in (
                                "api_key",
                                "jurisdiction_id",
                                "service_code",
                                "lat",
                                "long",
                                "address_string",
                                "address_id",
                                "email",
                                "device_id",
                                "account_id",
                                "first_name",
                                "last_name",
                                "phone",
                                "description",
                                "media_url",
                            )
                        },
                    }
                }
            },
        }
    },
)
def create_request(
    request: Request,
    fmt: FormatPath,
    engine: EngineDep,
    settings: SettingsDep,
    form: Annotated[dict[str, list[str]], Depends(_form)],
) -> Response:
    """Report a problem (needs an api_key). A report within 30 m of a lamp is linked to it; a
    second report of the same fault is merged and its service_notice names the first. Too many
    reports with one api_key, or without a valid one from one address: 429 with Retry-After."""
    jurisdiction = next(iter(form.get("jurisdiction_id") or []), None)
    fmt = _check(fmt, jurisdiction)
    key = admit_api_key(
        engine=engine,
        key=next(iter(form.get("api_key") or []), None),
        address=client_address(request),
        settings=settings,
    )
    report = parse_report(form)
    with engine.begin() as connection:
        receipt = submit_report(connection, report=report, api_key=key, settings=settings)
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": receipt.service_request_id,
                "service_notice": receipt.service_notice,
                "account_id": receipt.account_id,
            }
        ],
    )


def _dates(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a w3 date-time, e.g. 2026-01-01T00:00:00Z.") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{name} must include its time zone (Z or +08:00).")
    return moment


def _ids(value: str) -> list[int]:
    ids = [parse_id(part.strip()) for part in value.split(",") if part.strip()]
    if None in ids:
        raise InvalidInput("service_request_id must be request ids (numbers) separated by commas.")
    return [request_id for request_id in ids if request_id is not None]


def _codes(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@router.get(
    "/requests.{fmt}",
    summary="GET Service Requests",
    responses=open311_responses(ServiceRequests, "The requests.", 400, 404),
)
def read_requests(
    fmt: FormatPath,
    engine: EngineDep,
    jurisdiction_id: JurisdictionQuery = None,
    service_request_id: Annotated[
        str | None, Query(description="Ids, comma separated; overrides every other argument.")
    ] = None,
    service_code: Annotated[str | None, Query(description="Codes, comma separated.")] = None,
    start_date: Annotated[str | None, Query(examples=["2026-11-01T00:00:00Z"])] = None,
    end_date: Annotated[str | None, Query(examples=["2026-11-30T00:00:00Z"])] = None,
    status: Annotated[str | None, Query(description="open, closed (comma separated).")] = None,
) -> Response:
    """Requests, newest first: by ids, or within at most 90 days (default the last 90)."""
    fmt = _check(fmt, jurisdiction_id)
    codes = _codes(service_code)
    for code in codes:
        get_service(code)
    with engine.connect() as connection:
        found = spec_requests.list_requests(
            connection,
            ids=_ids(service_request_id) if service_request_id else None,
            service_codes=codes,
            start=_dates(start_date, "start_date"),
            end=_dates(end_date, "end_date"),
            statuses=_codes(status),
        )
    return render(fmt, "service_requests", found)


@router.get(
    "/requests/{service_request_id}.{fmt}",
    summary="GET Service Request",
    responses=open311_responses(ServiceRequests, "The request.", 400, 404),
)
def read_request(
    service_request_id: str,
    fmt: FormatPath,
    engine: EngineDep,
    jurisdiction_id: JurisdictionQuery = None,
) -> Response:
    """One request by id."""
    fmt = _check(fmt, jurisdiction_id)
    request_id = parse_id(service_request_id)
    if request_id is None:
        raise NotFound(f"service_request_id {service_request_id} was not found.")
    with engine.connect() as connection:
        found = spec_requests.get_request(connection, request_id=request_id)
    return render(fmt, "service_requests", [found])


@router.get(
    "/tokens/{token}.{fmt}",
    summary="GET service_request_id from a token",
    responses=open311_responses(ServiceRequests, "The request id.", 400, 404),
)
def read_token(
    token: str, fmt: FormatPath, engine: EngineDep, jurisdiction_id: JurisdictionQuery = None
) -> Response:
    """The request id behind a token."""
    fmt = _check(fmt, jurisdiction_id)
    with engine.connect() as connection:
        found = spec_requests.request_for_token(connection, token=token)
    return render(fmt, "service_requests", [found])


@router.api_route("/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
def unknown_resource(rest: str) -> Response:
    """Anything else under /open311/v2 is a 404 in the specification's form."""
    raise NotFound(f"There is no GeoReport v2 resource '{rest}'. See discovery.json.")
