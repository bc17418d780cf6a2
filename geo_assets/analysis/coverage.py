"""Lighting coverage along every road (SPEC §5), per road class, kelurahan, kecamatan and city.

A road point is lit when a `working` lamp lies within half the class's allowed spacing of it,
measured along that road: reach = ½ × max_spacing_h(class) × H, H the lamp's pole height
(SNI 7391:2008, `data/spacing_norms.toml`). PostGIS places every working lamp on its road in
metres (in the CRS `Settings.metric_srid`, UTM 50S by default; ST_LineLocatePoint) and cuts
every road by the kelurahan it crosses; numpy then merges the reaches per road, finds the dark
gaps and places gap-fill lamps in one vectorised pass (see `intervals`). Geometry for maps
comes back from PostGIS in one statement per layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, text

from geo_assets.analysis import intervals as iv
from geo_assets.analysis.areas import (
    UNKNOWN_AREA,
    Area,
    kecamatan_list,
    kelurahan_list,
    resolve_kecamatan,
)
from geo_assets.analysis.coverage_summary import summaries
from geo_assets.analysis.lamp_positions import working_lamps_on_roads
from geo_assets.analysis.linear import points_along, substrings
from geo_assets.analysis.reference import SpacingNorms, load_spacing_norms
from geo_assets.analysis.sql import without_jit
from geo_assets.settings import Settings
from geo_assets.vocab import ROAD_CLASS

# Bulk path: every road cut by every kelurahan at once. Roads inside one kelurahan are taken
# whole; only roads that cross a boundary are intersected. Positions are metres along the road.
_PIECES = text("""
    SELECT r.id AS road_id, k.id AS kelurahan_id, covered,
           CASE WHEN covered THEN 0.0 ELSE ST_LineLocatePoint(m.geom,
               ST_Transform(ST_StartPoint(d.geom), m.srid)) * ST_Length(m.geom) END AS a,
           CASE WHEN covered THEN ST_Length(m.geom) ELSE ST_LineLocatePoint(m.geom,
               ST_Transform(ST_EndPoint(d.geom), m.srid)) * ST_Length(m.geom) END AS b
    FROM road r
    JOIN kelurahan k ON ST_Intersects(r.geom, k.geom)
    CROSS JOIN LATERAL (SELECT ST_CoveredBy(r.geom, k.geom) AS covered) c
    CROSS JOIN LATERAL (SELECT ST_Transform(r.geom, CAST(:srid AS integer)) AS geom,
                               CAST(:srid AS integer) AS srid) m
    CROSS JOIN LATERAL ST_Dump(CASE WHEN covered THEN r.geom
        ELSE ST_CollectionExtract(ST_Intersection(r.geom, k.geom), 2) END) d
    WHERE CAST(:kecamatan_id AS integer) IS NULL OR k.kecamatan_id = :kecamatan_id
""")

_ROADS = text("""
    SELECT r.id, r.code, r.name, r.road_class,
           ST_Length(ST_Transform(r.geom, CAST(:srid AS integer))) AS length_m
    FROM road r
    WHERE CAST(:ids AS integer[]) IS NULL OR r.id = ANY(CAST(:ids AS integer[]))
    ORDER BY r.id
""")

NORM_NOTE = (
    "SNI 7391:2008: jarak tiang maksimum arteri 3,5 H, kolektor 4,0 H, lokal 6,0 H, "
    "lingkungan diperlakukan sebagai lokal; titik jalan terang bila lampu menyala berada "
    "dalam ½ jarak maksimum di sepanjang jalan."
)


@dataclass
class CoverageResult:
    """Coverage figures plus map layers (lon/lat GeoDataFrames; geometry None if not asked).

    `city`, `kecamatan`, `kelurahan`, `road_class`: rows of total_km, lit_km, dark_km,
    coverage_pct, gap_count, proposed_lamps. `segments`: every road cut into lit and dark
    stretches (`lit` bool, start_m/end_m along the road). `gaps`: the dark stretches with their
    road and area. `proposed_lamps`: gap-fill positions with pole height and spacing. With a
    kecamatan filter, figures, gaps and proposed lamps are those inside it; segments cover
    the whole roads that enter it.
    """

    city: dict[str, Any]
    kecamatan: list[dict[str, Any]]
    kelurahan: list[dict[str, Any]]
    road_class: list[dict[str, Any]]
    segments: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    proposed_lamps: gpd.GeoDataFrame
    area: Area | None = None
    at: datetime | None = None
    norms: SpacingNorms | None = field(default=None, repr=False)

    def summary(self) -> dict[str, Any]:
        """The figures as the API and `report coverage` give them."""
        return {
            "city": self.city,
            "kecamatan": self.kecamatan,
            "kelurahan": self.kelurahan,
            "road_class": self.road_class,
            "filter": {"kecamatan": self.area.code if self.area else None},
            "at": self.at.isoformat() if self.at else None,
            "norm": NORM_NOTE,
        }


@dataclass
class _Network:
    """Roads as numpy arrays (index = position in `roads`)."""

    roads: pd.DataFrame
    lengths: np.ndarray
    spacing_h: np.ndarray
    new_spacing: np.ndarray
    new_height: np.ndarray

    def index_of(self, road_ids: np.ndarray) -> np.ndarray:
        """Road index of each id; -1 for roads outside this network."""
        return pd.Index(self.roads["id"]).get_indexer(road_ids)


def compute_coverage(
    engine: Engine,
    *,
    kecamatan: str | None = None,
    at: datetime | None = None,
    with_geometry: bool = True,
    norms: SpacingNorms | None = None,
    settings: Settings | None = None,
) -> CoverageResult:
    """Coverage of the city (or one kecamatan, by code or name), now or at a past moment `at`."""
    return coverage_over_time(
        engine,
        moments=[at],
        kecamatan=kecamatan,
        with_geometry=with_geometry,
        norms=norms,
        settings=settings,
    )[0]


def coverage_over_time(
    engine: Engine,
    *,
    moments: Sequence[datetime | None],
    kecamatan: str | None = None,
    with_geometry: bool = False,
    norms: SpacingNorms | None = None,
    settings: Settings | None = None,
) -> list[CoverageResult]:
    """Coverage at each moment (None = now); roads and areas are read and cut only once."""
    norms = norms or load_spacing_norms()
    srid = (settings or Settings()).metric_srid
    with engine.connect() as conn:
        without_jit(conn)
        area = resolve_kecamatan(conn, kecamatan)
        pieces = _read_pieces(conn, area, srid)
        net = _read_network(conn, norms, pieces["road_id"].unique() if area else None, srid)
        extent = _extent(net, pieces, include_outside=area is None)
        kel, kec = kelurahan_list(conn), kecamatan_list(conn)
        results = []
        for at in moments:
            gaps = _dark_gaps(net, _read_working_lamps(conn, at, norms, srid), norms)
            gaps_df, lamps_df, counted = _gap_tables(net, gaps, extent, kel, kec, area is not None)
            segments = _segments(conn, net, gaps, with_geometry, srid)
            if with_geometry:
                _add_geometry(conn, gaps_df, lamps_df, srid)
            city, by_kec, by_kel, by_class = summaries(counted, kel, kec, area)
            results.append(
                CoverageResult(
                    city,
                    by_kec,
                    by_kel,
                    by_class,
                    segments,
                    gaps_df,
                    lamps_df,
                    area=area,
                    at=at,
                    norms=norms,
                )
            )
    return results


def _add_geometry(
    conn: Connection, gaps: gpd.GeoDataFrame, lamps: gpd.GeoDataFrame, srid: int
) -> None:
    """Lines for the gaps and points for the proposed lamps, from PostGIS."""
    gaps.geometry = gpd.GeoSeries(
        substrings(
            conn,
            gaps["road_id"].to_numpy(),
            gaps["start_m"].to_numpy(),
            gaps["end_m"].to_numpy(),
            metric_srid=srid,
        ),
        index=gaps.index,
        crs=4326,
    )
    lamps.geometry = gpd.GeoSeries(
        points_along(
            conn, lamps["road_id"].to_numpy(), lamps["position_m"].to_numpy(), metric_srid=srid
        ),
        index=lamps.index,
        crs=4326,
    )


def _read_pieces(conn: Connection, area: Area | None, srid: int) -> pd.DataFrame:
    params = {"kecamatan_id": area.id if area else None, "srid": srid}
    rows = conn.execute(_PIECES, params).all()
    frame = pd.DataFrame(
        list(map(tuple, rows)), columns=["road_id", "kelurahan_id", "covered", "a", "b"]
    )
    lo, hi = np.minimum(frame["a"], frame["b"]), np.maximum(frame["a"], frame["b"])
    return frame.assign(a=lo.astype(float), b=hi.astype(float))


def _read_network(
    conn: Connection, norms: SpacingNorms, ids: np.ndarray | None, srid: int
) -> _Network:
    params = {"ids": [int(i) for i in ids] if ids is not None else None, "srid": srid}
    roads = pd.DataFrame(
        list(map(tuple, conn.execute(_ROADS, params))),
        columns=["id", "code", "name", "road_class", "length_m"],
    )
    classes = roads["road_class"]
    norm = {c: norms.norm(c) for c in ROAD_CLASS}
    return _Network(
        roads=roads,
        lengths=roads["length_m"].to_numpy(dtype=float),
        spacing_h=classes.map(lambda c: norm[c].max_spacing_h).to_numpy(dtype=float),
        new_spacing=classes.map(lambda c: norm[c].new_spacing_m).to_numpy(dtype=float),
        new_height=classes.map(lambda c: norm[c].new_pole_height_m).to_numpy(dtype=float),
    )


def _read_working_lamps(
    conn: Connection, at: datetime | None, norms: SpacingNorms, srid: int
) -> pd.DataFrame:
    rows = conn.execute(working_lamps_on_roads(at, norms.snap_distance_m, srid)).all()
    return pd.DataFrame(list(map(tuple, rows)), columns=["road_id", "pole_height_m", "position"])


def _dark_gaps(net: _Network, lamps: pd.DataFrame, norms: SpacingNorms) -> iv.Intervals:
    road = net.index_of(lamps["road_id"].to_numpy())
    on_network = road >= 0
    road = road[on_network].astype(np.int64)
    position = lamps["position"].to_numpy(dtype=float)[on_network]
    reach = 0.5 * net.spacing_h[road] * lamps["pole_height_m"].to_numpy(dtype=float)[on_network]
    lit = iv.merge(road, position - reach, position + reach, net.lengths, norms.min_gap_m)
    return iv.complement(lit, net.lengths, min_length=norms.min_gap_m)


def _extent(net: _Network, pieces: pd.DataFrame, *, include_outside: bool) -> pd.DataFrame:
    """The stretches reported on: (road, a, b, kelurahan), sorted; -1 = outside every kelurahan."""
    road = net.index_of(pieces["road_id"].to_numpy()).astype(np.int64)
    a, b = pieces["a"].to_numpy(dtype=float), pieces["b"].to_numpy(dtype=float)
    kel = pieces["kelurahan_id"].to_numpy(dtype=np.int64)
    if include_outside:
        inside = iv.merge(road, a, b, net.lengths)
        outside = iv.complement(inside, net.lengths)
        road = np.concatenate((road, outside.road))
        a, b = np.concatenate((a, outside.start)), np.concatenate((b, outside.end))
        kel = np.concatenate((kel, np.full(len(outside), -1, dtype=np.int64)))
    order = np.lexsort((a, road))
    road = road[order]
    return pd.DataFrame(
        {
            "road": road,
            "a": a[order],
            "b": b[order],
            "kel": kel[order],
            "road_class": net.roads["road_class"].to_numpy()[road],
        }
    )


def _gap_tables(
    net: _Network,
    gaps: iv.Intervals,
    extent: pd.DataFrame,
    kel: list[Area],
    kec: list[Area],
    filtered: bool,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Dark gaps and proposed lamps with their road and area; counts added to `extent`."""
    ext_road, ext_a, ext_b = (extent[c].to_numpy() for c in ("road", "a", "b"))
    middle = (gaps.start + gaps.end) / 2
    gap_piece = iv.locate(ext_road, ext_a, ext_b, net.lengths, gaps.road, middle)
    lamp_gap, lamp_pos = iv.fill_positions(gaps, net.new_spacing[gaps.road])
    lamp_road = gaps.road[lamp_gap]
    lamp_piece = iv.locate(ext_road, ext_a, ext_b, net.lengths, lamp_road, lamp_pos)
    dark = iv.covered_between(gaps, net.lengths, ext_road, ext_a, ext_b)
    extent = extent.assign(
        total=ext_b - ext_a,
        lit=np.maximum(ext_b - ext_a - dark, 0.0),
        gaps=np.bincount(gap_piece[gap_piece >= 0], minlength=len(extent)),
        proposed=np.bincount(lamp_piece[lamp_piece >= 0], minlength=len(extent)),
    )
    names = _area_names(extent["kel"].to_numpy(), kel, kec)
    per_gap = np.bincount(lamp_gap, minlength=len(gaps))
    roads = net.roads
    gap_frame = pd.DataFrame(
        {
            "gap_id": np.arange(1, len(gaps) + 1),
            "road_id": roads["id"].to_numpy()[gaps.road],
            "road_code": roads["code"].to_numpy()[gaps.road],
            "road_name": roads["name"].to_numpy()[gaps.road],
            "road_class": roads["road_class"].to_numpy()[gaps.road],
            "start_m": gaps.start.round(2),
            "end_m": gaps.end.round(2),
            "length_m": gaps.length.round(2),
            "proposed_lamps": per_gap,
            **_pick(names, gap_piece),
        }
    )
    lamp_frame = pd.DataFrame(
        {
            "gap_id": lamp_gap + 1,
            "road_id": roads["id"].to_numpy()[lamp_road],
            "road_code": roads["code"].to_numpy()[lamp_road],
            "road_name": roads["name"].to_numpy()[lamp_road],
            "road_class": roads["road_class"].to_numpy()[lamp_road],
            "position_m": lamp_pos.round(2),
            "pole_height_m": net.new_height[lamp_road],
            "max_spacing_m": net.new_spacing[lamp_road],
            **_pick(names, lamp_piece),
        }
    )
    if filtered:  # only what lies inside the asked kecamatan
        gap_frame = gap_frame[gap_piece >= 0].reset_index(drop=True)
        lamp_frame = lamp_frame[lamp_piece >= 0].reset_index(drop=True)
    return (
        gpd.GeoDataFrame(gap_frame, geometry=[None] * len(gap_frame), crs=4326),
        gpd.GeoDataFrame(lamp_frame, geometry=[None] * len(lamp_frame), crs=4326),
        extent,
    )


def _area_names(kel_ids: np.ndarray, kel: list[Area], kec: list[Area]) -> dict[str, np.ndarray]:
    by_kel = {k.id: k for k in kel}
    by_kec = {k.id: k for k in kec}
    rows = [by_kel.get(int(i)) for i in kel_ids]
    kecs = [by_kec.get(k.kecamatan_id) if k and k.kecamatan_id else None for k in rows]
    return {
        "kelurahan_code": np.array([k.code if k else None for k in rows], dtype=object),
        "kelurahan": np.array([k.name if k else UNKNOWN_AREA for k in rows], dtype=object),
        "kecamatan_code": np.array([k.code if k else None for k in kecs], dtype=object),
        "kecamatan": np.array([k.name if k else UNKNOWN_AREA for k in kecs], dtype=object),
    }


def _pick(names: dict[str, np.ndarray], piece: np.ndarray) -> dict[str, np.ndarray]:
    """Area columns for each row located in extent row `piece` (-1 = unknown area)."""
    unknown: dict[str, str | None] = {
        "kelurahan_code": None,
        "kelurahan": UNKNOWN_AREA,
        "kecamatan_code": None,
        "kecamatan": UNKNOWN_AREA,
    }
    picked: dict[str, np.ndarray] = {}
    for key, values in names.items():
        column = np.full(len(piece), unknown[key], dtype=object)
        found = piece >= 0
        if len(values):
            column[found] = values[piece[found]]
        picked[key] = column
    return picked


def _segments(
    conn: Connection, net: _Network, gaps: iv.Intervals, with_geometry: bool, srid: int
) -> gpd.GeoDataFrame:
    """Every road cut into lit and dark stretches."""
    lit = iv.complement(gaps, net.lengths)
    road = np.concatenate((lit.road, gaps.road))
    start, end = np.concatenate((lit.start, gaps.start)), np.concatenate((lit.end, gaps.end))
    order = np.lexsort((start, road))
    road, start, end = road[order], start[order], end[order]
    is_lit = np.concatenate((np.ones(len(lit), bool), np.zeros(len(gaps), bool)))[order]
    roads = net.roads
    frame = pd.DataFrame(
        {
            "road_id": roads["id"].to_numpy()[road],
            "road_name": roads["name"].to_numpy()[road],
            "road_class": roads["road_class"].to_numpy()[road],
            "lit": is_lit,
            "start_m": start.round(2),
            "end_m": end.round(2),
            "length_m": (end - start).round(2),
        }
    )
    geometry = (
        substrings(conn, frame["road_id"].to_numpy(), start, end, metric_srid=srid)
        if with_geometry
        else [None] * len(frame)
    )
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)
