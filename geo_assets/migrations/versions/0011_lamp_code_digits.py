"""A lamp code's number has five to seven digits: a kecamatan may hold more than 99,999 lamps.

`PJU-<kecamatan>-<nnnnn>` stays the form of every code up to 99,999 lamps per kecamatan; the
number goes on as `PJU-63.72.04-100000` past that (a province-sized inventory, or
`geo-assets seed --scale 100`), rather than running out.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIVE_DIGITS = r"^PJU-[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{5}$"
FIVE_TO_SEVEN = r"^PJU-[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{5,7}$"


def upgrade() -> None:
    """Allow five to seven digits in the lamp code's number."""
    _replace_check(FIVE_TO_SEVEN)


def downgrade() -> None:
    """Five digits again (fails while a longer code is stored)."""
    _replace_check(FIVE_DIGITS)


def _replace_check(pattern: str) -> None:
    op.drop_constraint(op.f("ck_lamp_code_format"), "lamp", type_="check")
    op.create_check_constraint(op.f("ck_lamp_code_format"), "lamp", f"code ~ '{pattern}'")
