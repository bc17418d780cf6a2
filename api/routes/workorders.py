"""`/api/v1/workorders`: staff assign, crews see and move their own; `/workorders` lists them.

Illegal state changes are 409 problems (e.g. closing an open order), malformed ones 422 (an
unknown state, a resolution without resolving); a crew member touching another's order is 403.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api.dependencies import ConnectionDep, SettingsDep
from api.openapi import problems
from api.schemas.common import IdPath
from api.security import require_roles
from geo_assets import workorders
from geo_assets.auth import Account
from geo_assets.vocab import RESOLUTION, WORK_STATE, codes, label

router = APIRouter(tags=["work orders"])
PREFIX = "/api/v1/workorders"
STATIC = Path(__file__).resolve().parent.parent / "static" / "workorders"
WorkerDep = Annotated[Account, Depends(require_roles("admin", "staff", "crew"))]
StaffDep = Annotated[Account, Depends(require_roles("admin", "staff"))]


class WorkOrderPublic(BaseModel):
    """A work order: what, where, who, by when, and how it ended."""

    model_config = ConfigDict(extra="allow")

    id: int
    service_code: str
    service_name: str
    state: str = Field(examples=["assigned"])
    state_label: str = Field(examples=["Ditugaskan"])
    status: str = Field(description="Open311 status: open or closed.")
    lamp_code: str | None
    lon: float | None
    lat: float | None
    assignee: str | None
    requested_at: datetime
    due_at: datetime | None
    overdue: bool
    resolution: str | None
    version: int
    distance_m: float | None


class WorkOrdersPublic(BaseModel):
    """A list of work orders."""

    numberReturned: int  # noqa: N815 - as in the rest of the API
    work_orders: list[WorkOrderPublic]


class WorkOrderAssign(BaseModel):
    """Who gets the work; `version` guards against overwriting a change you have not seen."""

    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(examples=["budi"])
    version: int | None = None


class WorkOrderStateChange(BaseModel):
    """A move to another state; `resolution` exactly when resolving."""

    model_config = ConfigDict(extra="forbid")

    # Literal types built from the vocabularies at import time (so OpenAPI lists the codes);
    # mypy only accepts literal values written out in a Literal[...].
    state: Literal[tuple(s for s in codes(WORK_STATE) if s != "assigned")]  # type: ignore[valid-type]  # built from WORK_STATE
    resolution: Literal[codes(RESOLUTION)] | None = None  # type: ignore[valid-type]  # built from RESOLUTION
    notes: str | None = Field(None, max_length=2000)
    version: int | None = None


def _public(order: workorders.WorkOrder, lang: str = "id") -> WorkOrderPublic:
    return WorkOrderPublic(**asdict(order), state_label=label(WORK_STATE, order.state, lang))


def _visible(order: workorders.WorkOrder, account: Account) -> workorders.WorkOrder:
    if account.role == "crew" and order.assignee != account.username:
        raise HTTPException(403, f"Work order {order.id} is not assigned to you.")
    return order


@router.get(
    PREFIX,
    summary="List work orders",
    response_model=WorkOrdersPublic,
    responses=problems(401, 403, 422),
)
def read_work_orders(
    connection: ConnectionDep,
    account: WorkerDep,
    state: Annotated[list[str] | None, Query(description="States, e.g. open, assigned.")] = None,
    overdue: Annotated[bool | None, Query(description="Only (not) overdue orders.")] = None,
    assignee: Annotated[str | None, Query(description="User name (staff only).")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lang: Annotated[Literal["id", "en"], Query()] = "id",
) -> WorkOrdersPublic:
    """Staff see every order, crews only their own; nearest first given lon/lat, else by due."""
    states = tuple(part for value in state or () for part in value.split(",") if part)
    assignee_id = account.id if account.role == "crew" else None
    if assignee and account.role != "crew":
        assignee_id = workorders.user_id(connection, username=assignee)
    near = (lon, lat) if lon is not None and lat is not None else None
    found = workorders.list_work_orders(
        connection, assignee_id=assignee_id, states=states or None, overdue=overdue, near=near
    )
    return WorkOrdersPublic(
        numberReturned=len(found), work_orders=[_public(order, lang) for order in found]
    )


@router.get(f"{PREFIX}/assignees", summary="Who may be given work", responses=problems(401, 403))
def read_assignees(connection: ConnectionDep, account: StaffDep) -> list[dict]:
    """Active crew and staff members, crews first."""
    return workorders.assignees(connection)


@router.get(
    f"{PREFIX}/{{work_order_id}}",
    summary="Read a work order",
    response_model=WorkOrderPublic,
    responses=problems(401, 403, 404),
)
def read_work_order(
    work_order_id: IdPath, connection: ConnectionDep, account: WorkerDep
) -> WorkOrderPublic:
    """One work order (a crew member only their own)."""
    order = workorders.get_work_order(connection, work_order_id=work_order_id)
    return _public(_visible(order, account))


@router.post(
    f"{PREFIX}/{{work_order_id}}/assign",
    summary="Assign a work order",
    response_model=WorkOrderPublic,
    responses=problems(401, 403, 404, 409, 422),
)
def assign_work_order(
    work_order_id: IdPath, body: WorkOrderAssign, connection: ConnectionDep, account: StaffDep
) -> WorkOrderPublic:
    """Give an open or assigned order to a crew (or staff) member (staff, admin)."""
    order = workorders.assign_work_order(
        connection,
        work_order_id=work_order_id,
        assignee=body.assignee,
        actor=account,
        version=body.version,
    )
    return _public(order)


@router.post(
    f"{PREFIX}/{{work_order_id}}/state",
    summary="Change a work order's state",
    response_model=WorkOrderPublic,
    responses=problems(401, 403, 404, 409, 422),
)
def change_work_order_state(
    work_order_id: IdPath,
    body: WorkOrderStateChange,
    connection: ConnectionDep,
    settings: SettingsDep,
    account: WorkerDep,
) -> WorkOrderPublic:
    """Start, resolve (fixed, not_fixed, duplicate), close, unassign or reopen an order."""
    _visible(workorders.get_work_order(connection, work_order_id=work_order_id), account)
    order = workorders.change_state(
        connection,
        work_order_id=work_order_id,
        to_state=body.state,
        actor=account,
        settings=settings,
        resolution=body.resolution,
        notes=body.notes,
        version=body.version,
    )
    return _public(order)


@router.get("/workorders", include_in_schema=False)
def read_work_orders_page() -> FileResponse:
    """The staff's list of work orders (Indonesian, with an English switch)."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/workorders/static/{name}", include_in_schema=False)
def read_work_orders_asset(name: Literal["workorders.js", "workorders.css"]) -> FileResponse:
    """The page's script and style."""
    return FileResponse(STATIC / name)
