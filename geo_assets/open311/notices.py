"""What a request's `service_notice` tells the resident, in Indonesian then English."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# Banjarbaru keeps Central Indonesian Time (WITA, UTC+8).
LOCAL_TZ = ZoneInfo("Asia/Makassar")


def local_time(moment: datetime) -> str:
    """`moment` as people in Banjarbaru read it, e.g. '30-11-2026 14:05 WITA'."""
    return f"{moment.astimezone(LOCAL_TZ):%d-%m-%Y %H:%M} WITA"


def notice_for(row: Any, *, lamp_code: str | None, due: datetime | None) -> str:
    """The notice of a request row: whether it was merged, which lamp, and when it is due."""
    if row.duplicate_of_id is not None:
        return (
            f"Laporan ini sama dengan laporan #{row.duplicate_of_id} dan digabung "
            f"dengannya. (Duplicate of request #{row.duplicate_of_id}; merged into it.)"
        )
    if row.source == "field":
        where = f" pada lampu {lamp_code}" if lamp_code else ""
        return f"Dilaporkan petugas lapangan{where}. (Reported by a field crew.)"
    parts = []
    if lamp_code:
        parts.append(f"Terkait lampu {lamp_code}. (Linked to lamp {lamp_code}.)")
    if due is not None and row.status == "open":
        parts.append(f"Target penanganan {local_time(due)}. (Expected by {local_time(due)}.)")
    return " ".join(parts) or "Laporan diterima. (Report received.)"
