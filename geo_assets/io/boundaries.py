"""`import_boundaries`: replace the kecamatan or kelurahan from an official boundary file.

The file (GeoJSON, GeoPackage, Shapefile or zipped Shapefile, any CRS with an EPSG code) is
read and checked as a whole (`boundary_fields`); one bad row and nothing changes. Otherwise, in
one transaction: areas whose code is stored are updated in place (their ids, which lamps and
kelurahan refer to, stay), new codes are inserted, and stored areas missing from the file are
removed. After a kelurahan import every lamp's `kelurahan_id` is derived again from its
position. The report says how many lamps, roads, TPU, access roads and musala each area held
before and after, which moved, and which now lie outside the city; the same goes into the
audit log. Only lamps store their kelurahan; every other feature's kelurahan and kecamatan are
found from its position when it is listed, filtered or exported, so they follow the new borders
as soon as the transaction commits.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from sqlalchemy import Connection, Engine, Table, delete, select, text
from sqlalchemy.exc import IntegrityError

from geo_assets import tables
from geo_assets.bulk import set_actor
from geo_assets.errors import Conflict, InvalidInput
from geo_assets.io.boundary_fields import ALIASES, LEVELS, BoundaryRows, check_rows
from geo_assets.io.columns import rename_columns
from geo_assets.io.readers import CSV_SUFFIXES, read_source
from geo_assets.io.report import ImportReport, Issue, Progress, finish_report, say
from geo_assets.models.base import SRID

AUDITED_MOVES = 2000  # lamp moves listed one by one in the audit entry
# What the report follows: (kind, table, the point that places a feature in an area).
FEATURES = (
    ("lamps", "lamp", "t.geom"),
    ("roads", "road", "ST_LineInterpolatePoint(t.geom, 0.5)"),
    ("cemeteries", "cemetery", "ST_PointOnSurface(t.geom)"),
    ("access-roads", "access_road", "ST_LineInterpolatePoint(t.geom, 0.5)"),
    ("prayer-rooms", "prayer_room", "t.geom"),
)
# (kind, id) → (code, kelurahan code, kecamatan code)
Placement = dict[tuple[str, int], tuple[str, str | None, str | None]]


AREA_TABLES: dict[str, Table] = {"kecamatan": tables.KECAMATAN, "kelurahan": tables.KELURAHAN}


@dataclass
class BoundaryReport(ImportReport):
    """An import report plus what the new boundaries changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    area_names: dict[str, str] = field(default_factory=dict)
    counts: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # area→kind→
    moved: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    outside: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        """One sentence for a person."""
        if not self.ok:
            return super().summary()
        moved = sum(len(v) for v in self.moved.values())
        outside = sum(len(v) for v in self.outside.values())
        return (
            f"{self.path.name}: {self.imported} {self.entity} imported ({len(self.created)} new, "
            f"{len(self.updated)} replaced, {len(self.removed)} removed); {moved} feature(s) now "
            f"in another {self.entity}, {outside} outside the city."
        )

    def changes(self) -> dict[str, object]:
        """What moved, as plain data (for the audit log)."""
        return {
            "file": self.path.name,
            "created": self.created,
            "updated": self.updated,
            "removed": self.removed,
            "counts": {
                area: {kind: {"before": b, "after": a} for kind, (b, a) in kinds.items()}
                for area, kinds in self.counts.items()
            },
            "moved": {kind: len(rows) for kind, rows in self.moved.items()},
            "outside": self.outside,
        }


def import_boundaries(
    engine: Engine,
    *,
    level: str,
    path: Path | str,
    columns: dict[str, str] | None = None,
    actor: str = "import",
    report_path: Path | None = None,
    write_report: bool = True,
    progress: Progress | None = None,
) -> BoundaryReport:
    """Replace the stored `level` ("kecamatan" or "kelurahan") with the areas in `path`.

    All or nothing: any refused row leaves the database as it was. Raises Conflict only when
    the database refuses what the checks accepted.
    """
    if level not in LEVELS:
        raise InvalidInput(f"Cannot import boundaries of '{level}'. Allowed: {', '.join(LEVELS)}.")
    path = Path(path)
    report = BoundaryReport(level, path)
    say(progress, f"reading {path.name}")
    try:
        if path.suffix.lower() in CSV_SUFFIXES:
            raise InvalidInput(
                f"{path.name}: boundaries need polygons; use GeoJSON, GeoPackage or a Shapefile."
            )
        source = read_source(path, layer_names=(level,))
        source = rename_columns(source, columns or {}, ALIASES[level])
    except InvalidInput as exc:
        report.issues.append(Issue(None, "(file)", str(exc)))
        return finish_report(report, report_path, write_report)
    report.rows_read, report.reprojected_from = len(source), source.reprojected_from
    rows = check_rows(level, source)
    report.ignored_columns = rows.ignored
    try:
        with engine.begin() as connection:
            set_actor(connection, actor)
            connection.execute(
                text("LOCK TABLE kecamatan, kelurahan, lamp IN SHARE ROW EXCLUSIVE MODE")
            )
            _check_references(connection, rows)
            report.issues = rows.problems.issues(rows.codes, source.line_numbers)
            report.refused = int(rows.problems.bad.sum())
            if report.refused:
                return finish_report(report, report_path, write_report)
            say(progress, f"replacing {len(rows)} {level}")
            _replace(connection, rows, report, actor, progress)
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise Conflict(
            f"The database refused the boundaries of {path.name}; nothing was stored: {reason}"
        ) from None
    return finish_report(report, report_path, write_report)


def _check_references(connection: Connection, rows: BoundaryRows) -> None:
    """Kelurahan need stored kecamatan; kecamatan left out of the file must have no kelurahan."""
    if rows.level == "kelurahan":
        stored = set(connection.execute(text("SELECT code FROM kecamatan")).scalars())
        for index, code in enumerate(rows.kecamatan_codes):
            if code and code not in stored:
                rows.problems.add(
                    index,
                    "kecamatan_code",
                    f"no kecamatan with code {code}",
                    "a stored kecamatan (import the kecamatan first)",
                    code,
                )
        return
    in_file = sorted({c for c in rows.codes if c})
    orphans = connection.execute(
        text(
            "SELECT c.code, count(k.id) FROM kecamatan c JOIN kelurahan k ON k.kecamatan_id = c.id "
            "WHERE NOT c.code = ANY(:codes) GROUP BY c.code ORDER BY c.code"
        ),
        {"codes": in_file},
    ).all()
    for code, count in orphans:
        rows.problems.file(
            "code",
            f"kecamatan {code} is not in the file, but {count} kelurahan belong to it",
            "every kecamatan that has kelurahan (import new kelurahan first to move them)",
        )


def _replace(
    connection: Connection,
    rows: BoundaryRows,
    report: BoundaryReport,
    actor: str,
    progress: Progress | None,
) -> None:
    before = _placements(connection)
    table = rows.level
    areas = AREA_TABLES[table]
    stored: dict[str, int] = dict(connection.execute(select(areas.c.code, areas.c.id)).all())
    kecamatan = tables.KECAMATAN
    kecamatan_ids: dict[str, int] = dict(
        connection.execute(select(kecamatan.c.code, kecamatan.c.id)).all()
    )
    for index in range(len(rows)):
        code = rows.codes[index]
        params = {
            "id": stored.get(code),
            "code": code,
            "name": rows.names[index],
            "wkb": shapely.to_wkb(rows.geometry[index]),
            "area": rows.areas[index],
            "kecamatan_id": kecamatan_ids.get(rows.kecamatan_codes[index]),
        }
        connection.execute(_WRITES[table, code in stored], params)
        (report.updated if code in stored else report.created).append(code)
    codes = sorted(rows.codes)
    if table == "kelurahan":
        say(progress, "deriving every lamp's kelurahan again")
        _rederive_lamps(connection, codes)
    report.removed = list(
        connection.execute(
            delete(areas).where(areas.c.code.not_in(codes)).returning(areas.c.code)
        ).scalars()
    )
    report.imported = len(rows)
    after = _placements(connection)
    _compare(connection, report, before, after)
    _audit(connection, report, actor)


_GEOM = f"ST_Multi(ST_GeomFromWKB(:wkb, {SRID}))"
_WRITES = {
    ("kecamatan", True): text(
        "UPDATE kecamatan SET name = :name, official_area_km2 = coalesce(:area, "
        f"official_area_km2), geom = {_GEOM} WHERE id = :id"
    ),
    ("kecamatan", False): text(
        f"INSERT INTO kecamatan (code, name, official_area_km2, geom) "
        f"VALUES (:code, :name, :area, {_GEOM})"
    ),
    ("kelurahan", True): text(
        f"UPDATE kelurahan SET name = :name, kecamatan_id = :kecamatan_id, geom = {_GEOM} "
        "WHERE id = :id"
    ),
    ("kelurahan", False): text(
        f"INSERT INTO kelurahan (code, name, kecamatan_id, geom) "
        f"VALUES (:code, :name, :kecamatan_id, {_GEOM})"
    ),
}


def _rederive_lamps(connection: Connection, codes: list[str]) -> None:
    """Every lamp's kelurahan from its position, among the kelurahan of the file.

    Row-level audit is paused for this one statement (one summary row is written instead).
    """
    connection.execute(text("SELECT set_config('geo_assets.audit', 'off', true)"))
    connection.execute(
        text("""
            UPDATE lamp l SET kelurahan_id = d.kelurahan_id
            FROM (SELECT x.id, (SELECT k.id FROM kelurahan k
                                WHERE k.code = ANY(:codes) AND ST_Covers(k.geom, x.geom)
                                ORDER BY k.id LIMIT 1) AS kelurahan_id
                  FROM lamp x) d
            WHERE d.id = l.id AND l.kelurahan_id IS DISTINCT FROM d.kelurahan_id
        """),
        {"codes": codes},
    )
    connection.execute(text("SELECT set_config('geo_assets.audit', 'on', true)"))


def _placements(connection: Connection) -> Placement:
    """The kelurahan and kecamatan code of every followed feature (lamps by `kelurahan_id`)."""
    result: Placement = {}
    for kind, table, point in FEATURES:
        kelurahan = (
            "(SELECT k.code FROM kelurahan k WHERE k.id = t.kelurahan_id)"
            if table == "lamp"
            else "(SELECT k.code FROM kelurahan k WHERE ST_Covers(k.geom, p.pt) "
            "ORDER BY k.id LIMIT 1)"
        )
        rows = connection.execute(
            text(
                f"SELECT t.id, t.code, {kelurahan}, "  # constants only
                "(SELECT c.code FROM kecamatan c WHERE ST_Covers(c.geom, p.pt) "
                "ORDER BY c.id LIMIT 1) "
                f"FROM {table} t CROSS JOIN LATERAL (SELECT {point} AS pt) p"
            )
        )
        for row_id, code, kel, kec in rows:
            result[kind, row_id] = (code or f"id {row_id}", kel, kec)
    return result


def _compare(
    connection: Connection, report: BoundaryReport, before: Placement, after: Placement
) -> None:
    slot = 1 if report.entity == "kelurahan" else 2
    stored = AREA_TABLES[report.entity]
    report.area_names = dict(connection.execute(select(stored.c.code, stored.c.name)).all())
    old = Counter((kind, where[slot]) for (kind, _), where in before.items())
    new = Counter((kind, where[slot]) for (kind, _), where in after.items())
    areas = sorted({a for _, a in old | new if a is not None})
    for area in areas:
        report.counts[area] = {
            kind: (old[kind, area], new[kind, area])
            for kind, _, _ in FEATURES
            if old[kind, area] or new[kind, area]
        }
    for key, where in sorted(after.items()):
        kind, code, was = key[0], where[0], before.get(key, (None, None, None))[slot]
        if where[slot] != was:
            report.moved.setdefault(kind, []).append((code, was, where[slot]))
        if where[slot] is None:
            report.outside.setdefault(kind, []).append(code)


def _audit(connection: Connection, report: BoundaryReport, actor: str) -> None:
    """One summary entry for the boundaries, and one for the lamps whose kelurahan changed."""
    insert = text(
        "INSERT INTO audit_log (actor, action, table_name, after) "
        "VALUES (:actor, 'bulk', :table, CAST(:after AS jsonb))"
    )
    after = {"summary": report.summary(), "rows": report.imported, **report.changes()}
    connection.execute(insert, {"actor": actor, "table": report.entity, "after": json.dumps(after)})
    lamps = report.moved.get("lamps", [])
    if report.entity == "kelurahan" and lamps:
        detail = {
            "summary": f"kelurahan of {len(lamps)} lamp(s) derived again after importing "
            f"{report.path.name}",
            "rows": len(lamps),
            "moved": [
                {"code": code, "from": was, "to": now} for code, was, now in lamps[:AUDITED_MOVES]
            ],
        }
        connection.execute(insert, {"actor": actor, "table": "lamp", "after": json.dumps(detail)})
