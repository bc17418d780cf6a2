"""One mapping from domain errors to RFC 9457 `application/problem+json` responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo_assets.errors import (
    AuthenticationFailed,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    GeoAssetsError,
    InvalidInput,
    InvalidQuery,
    NotEmpty,
    NotFound,
    ServerBusy,
    StaleVersion,
    TooManyRequests,
)

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("api")

DEFAULT_STATUS_CODES: dict[type[GeoAssetsError], int] = {
    StaleVersion: 412,
    AuthenticationFailed: 401,
    NotFound: 404,
    InvalidInput: 422,
    InvalidQuery: 400,
    Conflict: 409,
    NotEmpty: 409,
    DatabaseUnavailable: 503,
    Forbidden: 403,
    TooManyRequests: 429,
    ServerBusy: 503,
}


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def status_for(exc: GeoAssetsError) -> int:
    """The HTTP status of a domain error, from DEFAULT_STATUS_CODES (400 when unlisted)."""
    for cls in type(exc).__mro__:
        if cls in DEFAULT_STATUS_CODES:
            return DEFAULT_STATUS_CODES[cls]
    return 400


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GeoAssetsError)
    if isinstance(exc, StaleVersion):
        response = problem(
            412, exc.title, str(exc), current_version=exc.current_version, changes=exc.changes
        )
        response.headers["ETag"] = f'"{exc.current_version}"'
        return response
    response = problem(status_for(exc), exc.title, str(exc))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:  # throttled or busy: when to come back, in seconds
        response.headers["Retry-After"] = str(retry_after)
    if isinstance(exc, AuthenticationFailed):
        response.headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, DatabaseUnavailable):
        response.headers["Retry-After"] = str(_retry_after(request))
    return response


def _retry_after(request: Request) -> int:
    return request.app.state.settings.retry_after_seconds


async def _database_outage(request: Request, exc: Exception) -> JSONResponse:
    """The database is down, restarting, or dropped the connection (even at COMMIT): a 503 the
    client may retry, since the transaction was rolled back."""
    logger.warning(
        "database unavailable on %s %s: %s",
        request.method,
        request.url.path,
        str(getattr(exc, "orig", None) or exc).strip().splitlines()[0],
    )
    seconds = _retry_after(request)
    response = problem(
        503,
        "Database unavailable",
        "The database could not complete this request, so nothing of it was recorded. "
        f"Try again in {seconds} s; a retry with the same Idempotency-Key is safe.",
    )
    response.headers["Retry-After"] = str(seconds)
    return response


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug or an outage: logged with its trace on the server, never shown to the client."""
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "Internal Server Error",
        "The server failed to answer this request; it has been logged.",
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"There is no resource at {request.url.path}. See /docs for what exists."
    response = problem(exc.status_code, _title(exc.status_code), detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": ".".join(str(part) for part in err["loc"]), "message": err["msg"]}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
    return problem(422, "Invalid request", detail, errors=errors)


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error, including unknown routes, as problem+json."""
    app.add_exception_handler(GeoAssetsError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Lost or refused connections, server shutdowns, statement timeouts, a full pool.
    for outage in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(outage, _database_outage)
    # Any other database error (one raised at COMMIT too) is a 500 answered here, rather than
    # by the last-resort handler, which re-raises and makes the server drop the connection.
    app.add_exception_handler(DBAPIError, _unexpected_error)
    app.add_exception_handler(Exception, _unexpected_error)
