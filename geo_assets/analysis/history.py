"""A lamp's status at a past moment, from its append-only event history."""

from __future__ import annotations

# Status at :at = the newest event at or before :at; before its first event a lamp had that
# event's from_status (or was working, if the history does not say); a lamp with no events at
# all has its current status. Lamps installed after :at did not exist yet.
LAMP_STATUS_AT = """
    SELECT l.id, l.kelurahan_id, l.road_id, l.wattage, l.lamp_type, l.pole_height_m, l.geom,
           coalesce(
               (SELECT e.to_status FROM lamp_event e
                WHERE e.lamp_id = l.id AND e.occurred_at <= :at
                ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1),
               (SELECT coalesce(e.from_status, 'working') FROM lamp_event e
                WHERE e.lamp_id = l.id ORDER BY e.occurred_at, e.id LIMIT 1),
               l.status
           ) AS status
    FROM lamp l
    WHERE l.installed_on IS NULL OR l.installed_on <= CAST(:at AS timestamptz)
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
