"""`/api/v1/analysis`: lighting coverage, dark gaps, gap-fill lamps, energy, cemeteries."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api import analysis_examples as ex
from api.dependencies import ReadEngineDep, SettingsDep
from api.geojson import GEOJSON
from api.openapi import READ_PROBLEMS
from api.schemas.analysis import GapsPublic, ProposedLampsPublic
from api.security import ReaderDep
from geo_assets.analysis.cemeteries import cemetery_report
from geo_assets.analysis.coverage import compute_coverage
from geo_assets.analysis.energy import monthly_energy
from geo_assets.analysis.features import feature_collection

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])

# The cemetery report looks back years from this date: year 3 would reach before year 1.
AsOfQuery = Annotated[
    date | None,
    Query(
        ge=date(1900, 1, 1),
        le=date(2100, 12, 31),
        description="Reference date, 1900-01-01 to 2100-12-31 (default today).",
    ),
]
KecamatanQuery = Annotated[
    str | None,
    Query(
        description="Only this kecamatan: its code (63.72.04) or name (Banjarbaru Utara).",
        examples=["63.72.04"],
    ),
]


class GeoJSONBody(JSONResponse):
    """A GeoJSON document."""

    media_type = GEOJSON


@router.get(
    "/coverage",
    summary="Lighting coverage per road class, kelurahan, kecamatan, city",
    responses={**ex.example("application/json", ex.COVERAGE, "Coverage figures"), **READ_PROBLEMS},
)
def read_coverage(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
) -> dict[str, Any]:
    """Lit and total road length and coverage % by the SNI 7391:2008 spacing norm, with the
    number of dark gaps and of proposed gap-fill lamps per area."""
    return compute_coverage(
        engine, kecamatan=kecamatan, with_geometry=False, settings=settings
    ).summary()


@router.get(
    "/coverage/gaps",
    summary="Dark gaps as GeoJSON lines",
    response_class=GeoJSONBody,
    responses={**ex.example(GEOJSON, ex.GAPS, "Dark gaps", GapsPublic), **READ_PROBLEMS},
)
def read_coverage_gaps(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
) -> GeoJSONBody:
    """Every maximal unlit stretch of road, with its road, length and area."""
    result = compute_coverage(engine, kecamatan=kecamatan, settings=settings)
    return GeoJSONBody(feature_collection(result.gaps, id_column="gap_id"))


@router.get(
    "/coverage/proposed-lamps",
    summary="Gap-fill lamp positions as GeoJSON points",
    response_class=GeoJSONBody,
    responses={
        **ex.example(GEOJSON, ex.PROPOSED_LAMPS, "Proposed lamps", ProposedLampsPublic),
        **READ_PROBLEMS,
    },
)
def read_proposed_lamps(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
) -> GeoJSONBody:
    """New lamp positions lighting every dark gap at the norm spacing of the road class."""
    result = compute_coverage(engine, kecamatan=kecamatan, settings=settings)
    return GeoJSONBody(feature_collection(result.proposed_lamps))


@router.get(
    "/energy",
    summary="Energy per month and LED-conversion savings",
    responses={**ex.example("application/json", ex.ENERGY, "Energy figures"), **READ_PROBLEMS},
)
def read_energy(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    kecamatan: KecamatanQuery = None,
) -> dict[str, Any]:
    """kWh per month of the working lamps and kWh per year saved by converting to LED."""
    return monthly_energy(
        engine, kecamatan=kecamatan, burning_hours_per_night=settings.burning_hours_per_night
    ).as_dict()


@router.get(
    "/cemeteries",
    summary="Cemetery capacity and musala access",
    responses={
        **ex.example("application/json", ex.CEMETERIES, "Cemetery figures"),
        **READ_PROBLEMS,
    },
)
def read_cemetery_analysis(
    engine: ReadEngineDep,
    settings: SettingsDep,
    account: ReaderDep,
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    """Per TPU: plots by state, burials per year, years until full (under 5 flagged), walking
    distance along roads to the nearest existing musala; TPUs beyond 500 m as candidates."""
    return cemetery_report(engine, as_of=as_of, settings=settings)
