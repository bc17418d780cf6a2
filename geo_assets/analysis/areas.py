"""The administrative areas the analyses report on: kecamatan and kelurahan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select

from geo_assets.errors import InvalidInput
from geo_assets.models import Kecamatan, Kelurahan

UNKNOWN_AREA = "Tidak diketahui"


@dataclass(frozen=True)
class Area:
    """A kecamatan or kelurahan: id, Kemendagri code, name, and its kecamatan (for kelurahan)."""

    id: int
    code: str
    name: str
    kecamatan_id: int | None = None


def kecamatan_list(conn: Connection) -> list[Area]:
    """Every kecamatan, by code."""
    rows = conn.execute(
        select(Kecamatan.id, Kecamatan.code, Kecamatan.name).order_by(Kecamatan.code)
    )
    return [Area(r.id, r.code, r.name) for r in rows]


def kelurahan_list(conn: Connection) -> list[Area]:
    """Every kelurahan with its kecamatan, by code."""
    rows = conn.execute(
        select(Kelurahan.id, Kelurahan.code, Kelurahan.name, Kelurahan.kecamatan_id).order_by(
            Kelurahan.code
        )
    )
    return [Area(r.id, r.code, r.name, r.kecamatan_id) for r in rows]


def resolve_kecamatan(conn: Connection, value: str | None) -> Area | None:
    """The kecamatan named by code (`63.72.04`) or name (any case); None for no filter."""
    if value is None or not value.strip():
        return None
    wanted = value.strip()
    row = conn.execute(
        select(Kecamatan.id, Kecamatan.code, Kecamatan.name).where(
            or_(Kecamatan.code == wanted, func.lower(Kecamatan.name) == wanted.lower())
        )
    ).first()
    if row is None:
        known = ", ".join(f"{a.code} {a.name}" for a in kecamatan_list(conn)) or "none loaded"
        raise InvalidInput(f"Unknown kecamatan '{wanted}'. Known: {known}.")
    return Area(row.id, row.code, row.name)
