"""`/api/v1/auth`: sign in (OAuth2 password flow) and who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from api.dependencies import ConnectionDep, SettingsDep
from api.openapi import problems
from api.schemas.reports import AccountPublic, TokenPublic
from api.security import AccountDep
from geo_assets import auth

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", summary="Sign in", response_model=TokenPublic, responses=problems(401, 422))
def create_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    connection: ConnectionDep,
    settings: SettingsDep,
) -> TokenPublic:
    """Exchange user name and password (form fields) for a bearer token that expires."""
    token, _ = auth.issue_token(
        connection=connection,
        username=form.username,
        password=form.password,
        minutes=settings.token_minutes,
    )
    account = auth.account_for_token(connection=connection, token=token)
    return TokenPublic(
        access_token=token,
        token_type="bearer",
        expires_in=settings.token_minutes * 60,
        role=account.role,
    )


@router.get("/me", summary="Who am I", response_model=AccountPublic, responses=problems(401))
def read_me(account: AccountDep) -> AccountPublic:
    """The signed-in account."""
    return AccountPublic(username=account.username, role=account.role, full_name=account.full_name)
