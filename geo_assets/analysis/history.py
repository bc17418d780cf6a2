"""A lamp's status at a past moment, from its append-only event history."""

from __future__ import annotations

# What a lamp was before its first event: the from_status if the event says; else, when the
# first event is `working` or `planned`, the lamp did not exist yet (it was installed or
# planned then: NULL); else (first news is a fault of an imported lamp) it was working.
STATUS_BEFORE_FIRST_EVENT = """coalesce(e.from_status, CASE
    WHEN e.to_status IN ('working', 'planned') THEN NULL ELSE 'working' END)"""

# Status at :at = the newest event at or before :at, else the status before the first event;
# a lamp with no events at all has its current status. Lamps installed after :at, or without
# a status then, did not exist yet. Set-based (two DISTINCT ON scans of the events), so it
# stays fast for every lamp of the city at once.
LAMP_STATUS_AT = f"""
    SELECT l.id, l.kelurahan_id, l.road_id, l.wattage, l.lamp_type, l.pole_height_m, l.geom,
           CASE WHEN first_event.lamp_id IS NULL THEN l.status
                ELSE coalesce(last_event.to_status, first_event.before_status) END AS status
    FROM lamp l
    LEFT JOIN (
        SELECT DISTINCT ON (e.lamp_id) e.lamp_id, e.to_status FROM lamp_event e
        WHERE e.occurred_at <= :at ORDER BY e.lamp_id, e.occurred_at DESC, e.id DESC
    ) last_event ON last_event.lamp_id = l.id
    LEFT JOIN (
        SELECT DISTINCT ON (e.lamp_id) e.lamp_id, {STATUS_BEFORE_FIRST_EVENT} AS before_status
        FROM lamp_event e ORDER BY e.lamp_id, e.occurred_at, e.id
    ) first_event ON first_event.lamp_id = l.id
    WHERE (l.installed_on IS NULL OR l.installed_on <= CAST(:at AS timestamptz))
"""

# The same columns, with the current status (no history needed).
LAMP_STATUS_NOW = """
    SELECT l.id, l.kelurahan_id, l.road_id, l.wattage, l.lamp_type, l.pole_height_m, l.geom,
           l.status
    FROM lamp l
"""


def lamps_sql(at_given: bool) -> str:
    """SQL selecting every lamp with its status now or at the bound `:at`."""
    return LAMP_STATUS_AT if at_given else LAMP_STATUS_NOW
