"""Inventory figures: lamps by status and kecamatan, faults past the SLA, plots, prayer rooms."""

from __future__ import annotations

from sqlalchemy import Connection, text

from geo_assets.vocab import FAULT_STATUSES

# One report query, no spatial predicate: plain SQL reads best; the JSON is built in PostgreSQL.
_STATS = text("""
    WITH lamp_area AS (
        SELECT l.status, l.code, l.status_changed_at, kc.code AS kecamatan_code,
               kc.name AS kecamatan_name
        FROM lamp l
        LEFT JOIN kelurahan kl ON kl.id = l.kelurahan_id
        LEFT JOIN kecamatan kc ON kc.id = kl.kecamatan_id
    ), by_area AS (
        SELECT kecamatan_code, kecamatan_name, status, count(*) AS n
        FROM lamp_area GROUP BY 1, 2, 3
    ), lamps AS (
        SELECT kecamatan_code, kecamatan_name, sum(n)::int AS total,
               json_object_agg(status, n ORDER BY status) AS by_status
        FROM by_area GROUP BY 1, 2
    ), overdue AS (
        SELECT code, status, status_changed_at, kecamatan_code,
               round((extract(epoch FROM now() - status_changed_at) / 3600)::numeric, 1) AS hours
        FROM lamp_area
        WHERE status = ANY(:faults)
          AND status_changed_at < now() - make_interval(secs => CAST(:sla AS float8) * 3600)
    ), plots AS (
        SELECT c.code, c.name, count(p.id)::int AS total,
               coalesce(json_object_agg(p.status, p.n) FILTER (WHERE p.status IS NOT NULL),
                        '{}') AS by_status
        FROM cemetery c
        LEFT JOIN (
            SELECT b.cemetery_id, p.status, count(*) AS n, min(p.id) AS id
            FROM plot p JOIN cemetery_block b ON b.id = p.block_id GROUP BY 1, 2
        ) p ON p.cemetery_id = c.id
        GROUP BY c.id, c.code, c.name
    )
    SELECT json_build_object(
        'sla_hours', CAST(:sla AS double precision),
        'lamps_by_kecamatan', coalesce((SELECT json_agg(json_build_object(
            'kecamatan_code', kecamatan_code, 'kecamatan_name', kecamatan_name,
            'total', total, 'by_status', by_status) ORDER BY kecamatan_code NULLS LAST)
            FROM lamps), '[]'),
        'lamps_by_status', coalesce((SELECT json_object_agg(status, n ORDER BY status) FROM (
            SELECT status, count(*) AS n FROM lamp GROUP BY status) s), '{}'),
        'lamps_out_over_sla', json_build_object(
            'count', (SELECT count(*) FROM overdue),
            'oldest', coalesce((SELECT json_agg(o ORDER BY o.status_changed_at) FROM (
                SELECT * FROM overdue ORDER BY status_changed_at LIMIT 100) o), '[]')),
        'plots_by_cemetery', coalesce((SELECT json_agg(json_build_object(
            'cemetery_code', code, 'cemetery_name', name, 'total', total,
            'by_status', by_status) ORDER BY code) FROM plots), '[]'),
        'prayer_rooms_by_status', coalesce((SELECT json_object_agg(status, n ORDER BY status)
            FROM (SELECT status, count(*) AS n FROM prayer_room GROUP BY status) s), '{}')
    )::text
""")


def inventory_stats(*, connection: Connection, sla_hours: float) -> str:
    """The figures as JSON text (built by PostgreSQL)."""
    return connection.execute(
        _STATS, {"faults": list(FAULT_STATUSES), "sla": sla_hours}
    ).scalar_one()
