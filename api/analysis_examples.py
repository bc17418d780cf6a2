"""Example answers of the analysis, report and export endpoints, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

FIGURES = {
    "total_km": 571.511,
    "lit_km": 435.024,
    "dark_km": 136.487,
    "coverage_pct": 76.12,
    "gap_count": 1908,
    "proposed_lamps": 4528,
}

COVERAGE = {
    "city": FIGURES,
    "kecamatan": [{"code": "63.72.04", "name": "Banjarbaru Utara", **FIGURES}],
    "kelurahan": [
        {"code": "63.72.04.1002", "name": "Mentaos", "kecamatan_code": "63.72.04", **FIGURES}
    ],
    "road_class": [{"road_class": "arteri", "label": "Arteri", **FIGURES}],
    "filter": {"kecamatan": None},
    "at": None,
    "norm": "SNI 7391:2008: jarak tiang maksimum arteri 3,5 H, kolektor 4,0 H, lokal 6,0 H, …",
}

_AREA = {
    "kelurahan_code": "63.72.04.1002",
    "kelurahan": "Mentaos",
    "kecamatan_code": "63.72.04",
    "kecamatan": "Banjarbaru Utara",
}

GAPS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": 1,
            "geometry": {
                "type": "LineString",
                "coordinates": [[114.8351, -3.4402], [114.8366, -3.4402]],
            },
            "properties": {
                "gap_id": 1,
                "road_id": 12,
                "road_code": "JL-0012",
                "road_name": "Jl. Mistar",
                "road_class": "lokal",
                "start_m": 504.0,
                "end_m": 676.0,
                "length_m": 172.0,
                "proposed_lamps": 5,
                **_AREA,
            },
        }
    ],
}

PROPOSED_LAMPS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [114.8353, -3.4402]},
            "properties": {
                "gap_id": 1,
                "road_id": 12,
                "road_code": "JL-0012",
                "road_name": "Jl. Mistar",
                "road_class": "lokal",
                "position_m": 521.2,
                "pole_height_m": 7.0,
                "max_spacing_m": 42.0,
                **_AREA,
            },
        }
    ],
}

ENERGY = {
    "kwh_per_month": 182345.6,
    "working_lamps": 13232,
    "non_led_lamps": 6915,
    "led_saving_kwh_per_year": 712345.0,
    "led_saving_pct": 31.2,
    "burning_hours_per_night": 12.0,
}

CEMETERIES = {
    "as_of": "2025-01-01",
    "flag_years": 5.0,
    "max_walk_m": 500.0,
    "burial_rate_window_years": 3,
    "cemeteries": [
        {
            "id": 1,
            "code": "TPU-01",
            "name": "TPU Guntung Harapan",
            "kind": "muslim",
            "kind_label": "Muslim",
            "capacity": 2400,
            "kelurahan": "Mentaos",
            "kecamatan": "Banjarbaru Utara",
            "lon": 114.8351,
            "lat": -3.4402,
            "plots": {"available": 45, "reserved": 4, "occupied": 1800, "unusable": 12},
            "burials_per_year": 10.0,
            "years_until_full": 4.5,
            "nearly_full": True,
            "walk_to_musala_m": 1215.0,
            "straight_to_musala_m": 945.6,
            "musala_candidate": True,
            "planned_musala": [
                {
                    "code": "MUS-02",
                    "name": "Musala TPU Guntung Harapan",
                    "status": "planned",
                    "planned_year": 2025,
                    "estimated_cost_idr": 300000000,
                }
            ],
        }
    ],
    "nearly_full": ["TPU-01"],
    "musala_candidates": [
        {
            "code": "TPU-01",
            "name": "TPU Guntung Harapan",
            "kecamatan": "Banjarbaru Utara",
            "walk_to_musala_m": 1215.0,
            "planned_musala": [],
        }
    ],
    "method": "Jarak jalan kaki di sepanjang sumbu jalan …",
}

_SPM_FIGURES = {
    "lamps_total": 13832,
    "lamps_working": 13232,
    "pct_working": 95.7,
    "faults_reported": 1282,
    "faults_repaired": 734,
    "median_repair_hours": 32.6,
    "pct_within_sla": 79.8,
    "coverage_pct": 76.12,
    "energy_kwh": 1375750.4,
}

SPM = {
    "year": 2024,
    "quarter": 4,
    "label": "Triwulan IV 2024",
    "period": {
        "start": "2024-10-01T00:00:00+08:00",
        "end": "2025-01-01T00:00:00+08:00",
        "timezone": "Asia/Makassar",
    },
    "sla_hours": 72.0,
    "burning_hours_per_night": 12.0,
    "city": _SPM_FIGURES,
    "kecamatan": [{"code": "63.72.04", "name": "Banjarbaru Utara", **_SPM_FIGURES}],
    "trend": [{"quarter": 4, "label": "Triwulan IV", **_SPM_FIGURES}],
}

PROPOSAL = {
    "type": "FeatureCollection",
    "name": "usulan_anggaran",
    "features": [
        {
            "type": "Feature",
            "id": "lamp_repair-00001",
            "geometry": {"type": "Point", "coordinates": [114.8351, -3.4402]},
            "properties": {
                "category": "lamp_repair",
                "category_label": "Perbaikan PJU",
                "item": "PJU-63.72.04-00017",
                "quantity": 1,
                "unit": "titik",
                "unit_cost_idr": 850000,
                "cost_idr": 850000,
                "kecamatan": "Banjarbaru Utara",
                "kelurahan": "Mentaos",
                "priority": 1,
                "priority_label": "tinggi",
                "reason": "Lampu PJU-63.72.04-00017 mati sejak 02-12-2024 (5 hari), melewati SLA, "
                "di Jl. Mistar.",
                "lamp_status": "out",
            },
        }
    ],
    "totals": {
        "total_idr": 850000,
        "by_category": {
            "new_lamp": 0,
            "lamp_repair": 850000,
            "led_conversion": 0,
            "access_road": 0,
            "musala": 0,
        },
        "by_kecamatan": {"Banjarbaru Utara": 850000},
        "count_by_category": {
            "new_lamp": 0,
            "lamp_repair": 1,
            "led_conversion": 0,
            "access_road": 0,
            "musala": 0,
        },
    },
    "metadata": {
        "title": "Usulan anggaran PJU dan TPU Kota Banjarbaru",
        "budget_year": 2025,
        "currency": "IDR",
        "unit_costs_year": 2024,
    },
}


def example(
    media_type: str, body: Any, description: str, model: type[BaseModel] | None = None
) -> dict[int | str, dict[str, Any]]:
    """A documented 200 answer with `body` as its example (and its schema from `model`)."""
    response: dict[str, Any] = {
        "description": description,
        "content": {media_type: {"example": body}},
    }
    if model is not None:
        response["model"] = model
    return {200: response}
