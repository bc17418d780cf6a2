"""Who is asking: bearer tokens (OAuth2 password flow) and role checks as dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Engine

from api.dependencies import SettingsDep, primary_slot, read_connection, shared_connection
from geo_assets import auth
from geo_assets.auth import Account

TOKEN_URL = "/api/v1/auth/token"
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    description="Sign in with user name and password; send the token as `Authorization: Bearer`.",
)
EDITORS = ("admin", "staff")
EVENT_REPORTERS = ("admin", "staff", "crew")
BEARER = {"WWW-Authenticate": "Bearer"}


def _lookup(request: Request, engine: Engine, token: str) -> Account:
    """The token's account, read on the request's own connection when it has one open, else on
    a connection given back before the route takes its own: never two at once."""
    connection = shared_connection(request)
    if connection is not None:
        return auth.account_for_token(connection=connection, token=token)
    with read_connection(engine) as connection:
        return auth.account_for_token(connection=connection, token=token)


# The dependencies are `async` so that anonymous reads never wait for a thread; the token
# lookup itself runs in the thread pool, on the primary (a token just issued or revoked must
# count at once, which a lagging read replica cannot promise).
async def optional_account(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Account | None:
    """The signed-in account, or None without a token; a bad token is a 401, never ignored."""
    if not token:
        return None
    async with primary_slot(request) as engine:
        return await run_in_threadpool(_lookup, request, engine, token)


OptionalAccountDep = Annotated[Account | None, Depends(optional_account)]


async def current_account(account: OptionalAccountDep) -> Account:
    """The signed-in account; 401 without one."""
    if account is None:
        raise HTTPException(
            401,
            "Sign in first: POST /api/v1/auth/token, then send Authorization: Bearer <token>.",
            headers=BEARER,
        )
    return account


AccountDep = Annotated[Account, Depends(current_account)]


def require_roles(*roles: str):
    """A dependency allowing only `roles` (401 when anonymous, 403 for another role)."""

    async def check(account: AccountDep) -> Account:
        if account.role not in roles:
            raise HTTPException(
                403, f"Your role '{account.role}' may not do this; it needs: {', '.join(roles)}."
            )
        return account

    return check


async def reader(settings: SettingsDep, account: OptionalAccountDep) -> Account | None:
    """Anyone when public reading is on, else any signed-in account."""
    if account is None and not settings.public_read:
        raise HTTPException(
            401,
            "This server does not allow anonymous reading: sign in at POST /api/v1/auth/token.",
            headers=BEARER,
        )
    return account


def is_privileged(account: Account | None) -> bool:
    """True for the roles that may see personal data (interments, reporters' contacts)."""
    return account is not None and account.role in EDITORS


ReaderDep = Annotated[Account | None, Depends(reader)]
EditorDep = Annotated[Account, Depends(require_roles(*EDITORS))]
EventReporterDep = Annotated[Account, Depends(require_roles(*EVENT_REPORTERS))]
AuditorDep = Annotated[Account, Depends(require_roles(*EDITORS))]
