"""Interments are legal records: corrected by PATCH, voided with a reason, never deleted.

The database enforces the same (revision 0006): it refuses to delete an interment or to change
a voided one, and voiding the last live burial of a plot releases the plot.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from geo_assets.bulk import set_actor
from geo_assets.errors import Conflict, InvalidInput, StaleVersion
from geo_assets.inventory.catalog import INTERMENTS
from geo_assets.inventory.features import resolve_id
from geo_assets.inventory.writes import changes_since

MIN_REASON = 5
MAX_REASON = 500
NEVER_DELETED = (
    "An interment is a legal record and is never deleted. Correct it with PATCH, or void it "
    'with POST /api/v1/interments/{id}/void and {"reason": "..."} (staff, admin); a voided '
    "record stays, marked, and no longer counts as a burial."
)


def check_correctable(*, connection: Connection, key: str) -> int:
    """The interment's id; Conflict (409) when it was voided: it stays as it was then."""
    row_id = resolve_id(connection=connection, resource=INTERMENTS, key=key)
    voided = connection.execute(
        select(INTERMENTS.table.c.voided_at).where(INTERMENTS.table.c.id == row_id)
    ).scalar_one()
    if voided is not None:
        raise Conflict(
            f"Interment {row_id} was voided on {voided:%Y-%m-%d} and is no longer changed; "
            "record the burial again as a new interment if it is real."
        )
    return row_id


def void_interment(
    *, connection: Connection, key: str, version: int, reason: str, actor: str
) -> int:
    """Mark the interment void with `reason` if still at `version`; returns its id."""
    reason = reason.strip()
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        raise InvalidInput(
            f"Say why the interment is voided: a reason of {MIN_REASON}-{MAX_REASON} characters."
        )
    row_id = check_correctable(connection=connection, key=key)
    table = INTERMENTS.table
    set_actor(connection, actor)
    voided = connection.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(
            voided_at=func.now(),
            void_reason=reason,
            version=table.c.version + 1,
            updated_at=func.now(),
        )
        .returning(table.c.id)
    ).scalar_one_or_none()
    if voided is None:
        current = connection.execute(
            select(table.c.version).where(table.c.id == row_id)
        ).scalar_one()
        raise StaleVersion(
            f"The interment was changed since version {version}: it is now at version "
            f'{current}. Read it again and send If-Match: "{current}".',
            current_version=current,
            changes=changes_since(
                connection=connection, resource=INTERMENTS, row_id=row_id, version=version
            ),
        )
    return row_id
