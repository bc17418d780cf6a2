"""Cemetery (TPU) capacity and musala access (SPEC §5).

Capacity: plots per status; burials per year = interments in the last `window_years` before
`as_of`, divided by that window (or by the TPU's age when its first burial is more recent, at
least one year); years until full = available plots ÷ burials per year. TPUs with under
`FLAG_YEARS` years left are flagged.

Musala access: walking distance along roads from each TPU gate (its centre point if no gate is
mapped) to the nearest existing musala (`network`); Muslim and general TPUs farther than
`MAX_WALK_M` are musala candidates, listed with the musala planned for them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, Engine, text

from geo_assets.analysis.areas import UNKNOWN_AREA
from geo_assets.analysis.network import METHOD_NOTE, RoadGraph
from geo_assets.analysis.sql import without_jit
from geo_assets.settings import Settings
from geo_assets.vocab import CEMETERY_KIND, label

FLAG_YEARS = 5.0
MAX_WALK_M = 500.0
WINDOW_YEARS = 3
# A musala serves Muslim mourners: candidates are Muslim and general (umum) cemeteries only.
MUSALA_KINDS = ("muslim", "general")

_CAPACITY = text("""
    SELECT c.id, c.code, c.name, c.kind, c.capacity,
           kel.name AS kelurahan, kec.name AS kecamatan,
           ST_X(ST_Centroid(c.geom)) AS lon, ST_Y(ST_Centroid(c.geom)) AS lat,
           count(p.id) FILTER (WHERE p.status = 'available') AS available,
           count(p.id) FILTER (WHERE p.status = 'reserved') AS reserved,
           count(p.id) FILTER (WHERE p.status = 'occupied') AS occupied,
           count(p.id) FILTER (WHERE p.status = 'unusable') AS unusable,
           (SELECT count(*) FROM interment i JOIN plot ip ON ip.id = i.plot_id
              JOIN cemetery_block ib ON ib.id = ip.block_id
            WHERE ib.cemetery_id = c.id AND i.buried_on >= :since AND i.buried_on < :as_of
              AND i.voided_at IS NULL)
               AS recent_burials,
           (SELECT min(i.buried_on) FROM interment i JOIN plot ip ON ip.id = i.plot_id
              JOIN cemetery_block ib ON ib.id = ip.block_id
            WHERE ib.cemetery_id = c.id AND i.buried_on < :as_of AND i.voided_at IS NULL)
               AS first_burial
    FROM cemetery c
    LEFT JOIN cemetery_block b ON b.cemetery_id = c.id
    LEFT JOIN plot p ON p.block_id = b.id
    LEFT JOIN LATERAL (SELECT k.name, k.kecamatan_id FROM kelurahan k
                       WHERE ST_Covers(k.geom, ST_PointOnSurface(c.geom)) LIMIT 1) kel ON true
    LEFT JOIN kecamatan kec ON kec.id = kel.kecamatan_id
    GROUP BY c.id, kel.name, kec.name
    ORDER BY c.code
""")

# Everything below in metres: the metric CRS is the bound :srid (`Settings.metric_srid`).
_WALK_NETWORK = text("""
    SELECT ST_AsBinary(ST_Transform(geom, CAST(:srid AS integer))) FROM road
    UNION ALL
    SELECT ST_AsBinary(ST_Transform(geom, CAST(:srid AS integer))) FROM access_road
    WHERE condition <> 'impassable'
""")

_GATES = text("""
    SELECT c.id, ST_AsBinary(ST_Transform(coalesce(c.gate_geom, ST_PointOnSurface(c.geom)),
                                          CAST(:srid AS integer))) AS gate
    FROM cemetery c ORDER BY c.code
""")

_MUSALA = text("""
    SELECT p.id, p.code, p.name, p.status, p.cemetery_id, p.planned_year, p.estimated_cost_idr,
           ST_AsBinary(ST_Transform(p.geom, CAST(:srid AS integer))) AS geom
    FROM prayer_room p ORDER BY p.code
""")


def burials_per_year(
    recent: int, first_burial: date | None, as_of: date, window_years: int = WINDOW_YEARS
) -> float:
    """Burial rate over the last `window_years`, or over the TPU's age if younger (≥ 1 year)."""
    if first_burial is None or recent == 0:
        return 0.0
    age_years = (as_of - first_burial).days / 365.25
    return recent / max(min(float(window_years), age_years), 1.0)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def capacity(
    conn: Connection, *, as_of: date, window_years: int = WINDOW_YEARS
) -> list[dict[str, Any]]:
    """Per TPU: plots by status, burials per year, years until full, and the < 5 years flag."""
    since = _years_before(as_of, window_years)
    rows = conn.execute(_CAPACITY, {"since": since, "as_of": as_of}).mappings().all()
    result = []
    for row in rows:
        rate = burials_per_year(row["recent_burials"], row["first_burial"], as_of, window_years)
        years = (row["available"] / rate) if rate > 0 else None
        result.append(
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": label(CEMETERY_KIND, row["kind"]),
                "capacity": row["capacity"],
                "kelurahan": row["kelurahan"] or UNKNOWN_AREA,
                "kecamatan": row["kecamatan"] or UNKNOWN_AREA,
                "lon": round(row["lon"], 6),
                "lat": round(row["lat"], 6),
                "plots": {s: row[s] for s in ("available", "reserved", "occupied", "unusable")},
                "burials_per_year": round(rate, 2),
                "years_until_full": round(years, 1) if years is not None else None,
                "nearly_full": (row["available"] == 0)
                or (years is not None and years < FLAG_YEARS),
            }
        )
    return result


def musala_access(conn: Connection, *, metric_srid: int) -> dict[int, dict[str, Any]]:
    """Per TPU id: walking metres (in `metric_srid`) to the nearest existing musala and the
    planned musala."""
    srid = {"srid": metric_srid}
    lines = shapely.from_wkb([bytes(r[0]) for r in conn.execute(_WALK_NETWORK, srid)])
    gates = conn.execute(_GATES, srid).all()
    musala = conn.execute(_MUSALA, srid).mappings().all()
    existing = [m for m in musala if m["status"] == "existing"]
    gate_points = shapely.from_wkb([bytes(g.gate) for g in gates])
    musala_points = shapely.from_wkb([bytes(m["geom"]) for m in existing])
    if len(lines) and len(gate_points):
        graph = RoadGraph(list(lines))
        walk = graph.distance_to_nearest(graph.snap(gate_points), graph.snap(musala_points))
    else:
        walk = np.full(len(gates), np.inf)
    straight = (
        shapely.distance(gate_points[:, None], musala_points[None, :]).min(axis=1)
        if len(existing) and len(gates)
        else np.full(len(gates), np.inf)
    )
    access = {}
    for gate, walk_m, straight_m in zip(gates, walk, straight, strict=True):
        planned = [
            {
                "code": m["code"],
                "name": m["name"],
                "status": m["status"],
                "planned_year": m["planned_year"],
                "estimated_cost_idr": m["estimated_cost_idr"],
            }
            for m in musala
            if m["cemetery_id"] == gate.id and m["status"] != "existing"
        ]
        access[gate.id] = {
            "walk_to_musala_m": round(float(walk_m), 1) if np.isfinite(walk_m) else None,
            "straight_to_musala_m": (
                round(float(straight_m), 1) if np.isfinite(straight_m) else None
            ),
            "musala_candidate": bool(not np.isfinite(walk_m) or walk_m > MAX_WALK_M),
            "planned_musala": planned,
        }
    return access


def cemetery_report(
    engine: Engine, *, as_of: date | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Capacity and musala access of every TPU, with the list of musala candidates."""
    as_of = as_of or date.today()
    metric_srid = (settings or Settings()).metric_srid
    with engine.connect() as conn:
        without_jit(conn)
        tpus = capacity(conn, as_of=as_of)
        access = musala_access(conn, metric_srid=metric_srid)
    for tpu in tpus:
        tpu.update(access.get(tpu["id"], {}))
        tpu["musala_candidate"] = bool(tpu.get("musala_candidate")) and tpu["kind"] in MUSALA_KINDS
    candidates = [
        {
            "code": t["code"],
            "name": t["name"],
            "kecamatan": t["kecamatan"],
            "walk_to_musala_m": t["walk_to_musala_m"],
            "planned_musala": t["planned_musala"],
        }
        for t in tpus
        if t.get("musala_candidate")
    ]
    return {
        "as_of": as_of.isoformat(),
        "flag_years": FLAG_YEARS,
        "max_walk_m": MAX_WALK_M,
        "musala_kinds": list(MUSALA_KINDS),
        "burial_rate_window_years": WINDOW_YEARS,
        "cemeteries": tpus,
        "nearly_full": [t["code"] for t in tpus if t["nearly_full"]],
        "musala_candidates": candidates,
        "method": METHOD_NOTE,
    }
