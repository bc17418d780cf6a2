"""`/api/v1/auth`: sign in (OAuth2 password flow, throttled), sign out, and who am I.

Sign-in is throttled per user name and per client address in the database (so every worker
process counts together), and password hashes are checked by a bounded number at once per
process (`PasswordGate`): a flood of guesses gets 429 or 503 quickly instead of the CPU.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import Engine

from api.dependencies import ConnectionDep, EngineDep, SettingsDep, client_address
from api.errors import PROBLEM_JSON
from api.openapi import PROBLEM_SCHEMA, problems
from api.schemas.reports import AccountPublic, TokenPublic
from api.security import AccountDep, oauth2_scheme
from geo_assets import auth, throttle
from geo_assets.errors import AuthenticationFailed
from geo_assets.throttle import PasswordGate, Policy

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def _documented(status: int, title: str, detail: str) -> dict[str, Any]:
    example = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {
        "description": title,
        "headers": RETRY_AFTER,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA, "example": example}},
    }


THROTTLED: dict[int | str, dict[str, Any]] = {
    429: _documented(
        429,
        "Too many requests",
        "Too many failed sign-ins for this user name: wait 4 s and try again.",
    ),
    503: _documented(
        503,
        "Server busy",
        "The server is checking as many sign-ins as it can right now: try again in a second.",
    ),
}


async def password_gate(request: Request, settings: SettingsDep) -> PasswordGate:
    """This process's gate for password checks, made on first use (in the event loop)."""
    gate = getattr(request.app.state, "password_gate", None)
    if gate is None:
        gate = PasswordGate(
            settings.password_checks_per_process,
            queue=settings.password_check_queue,
            wait_seconds=settings.password_check_wait_seconds,
        )
        request.app.state.password_gate = gate
    return gate


def _look_up(
    engine: Engine, username: str, address: str, policies: tuple[Policy, Policy]
) -> auth.Credentials | None:
    by_account, by_address = policies
    with engine.begin() as connection:
        throttle.check(connection, by_account, username)
        throttle.check(connection, by_address, address)
        return auth.credentials_for(connection=connection, username=username)


def _failed(engine: Engine, username: str, address: str, policies: tuple[Policy, Policy]) -> None:
    by_account, by_address = policies
    with engine.begin() as connection:
        throttle.record(connection, by_account, username)
        throttle.record(connection, by_address, address)


def _signed_in(
    engine: Engine, user: auth.Credentials, policy: Policy, minutes: int
) -> tuple[str, datetime]:
    with engine.begin() as connection:
        throttle.clear(connection, policy, user.username)
        return auth.store_token(connection=connection, user=user, minutes=minutes)


@router.post(
    "/token",
    summary="Sign in",
    response_model=TokenPublic,
    responses={**problems(401, 422), **THROTTLED},
)
async def create_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    engine: EngineDep,
    settings: SettingsDep,
    gate: Annotated[PasswordGate, Depends(password_gate)],
) -> TokenPublic:
    """Exchange user name and password (form fields) for a bearer token that expires. After
    too many failures for one user name or address: 429 with Retry-After (a short wait that
    doubles, capped); when the server is busy checking passwords: 503 with Retry-After."""
    policies = throttle.login_policies(settings)
    address = client_address(request)
    user = await run_in_threadpool(_look_up, engine, form.username, address, policies)
    await gate.acquire()
    try:
        valid = await run_in_threadpool(auth.password_matches, user, form.password)
    finally:
        gate.release()
    if not valid or user is None:
        await run_in_threadpool(_failed, engine, form.username, address, policies)
        raise AuthenticationFailed(auth.SIGN_IN_FAILED)
    token, _ = await run_in_threadpool(
        _signed_in, engine, user, policies[0], settings.token_minutes
    )
    return TokenPublic(
        access_token=token,
        token_type="bearer",
        expires_in=settings.token_minutes * 60,
        role=user.role,
    )


@router.post(
    "/logout",
    summary="Sign out",
    status_code=204,
    responses={204: {"description": "The token is revoked."}, **problems(401)},
)
def revoke_token(
    connection: ConnectionDep,
    account: AccountDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Response:
    """Revoke the bearer token this request is made with; it gets 401 from now on."""
    assert token is not None  # AccountDep answered 401 without one
    auth.revoke_token(connection=connection, token=token, actor=account.username)
    return Response(status_code=204)


@router.get("/me", summary="Who am I", response_model=AccountPublic, responses=problems(401))
def read_me(account: AccountDep) -> AccountPublic:
    """The signed-in account."""
    return AccountPublic(username=account.username, role=account.role, full_name=account.full_name)
