"""Exported files are valid: RFC 7946 GeoJSON, GeoPackage that GDAL opens, readable CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import shapely
from sqlalchemy import Engine, text

from geo_assets.errors import InvalidInput
from geo_assets.io.export_queries import ExportFilters, parse_bbox
from geo_assets.io.exporter import export_features
from geo_assets.io.lookups import CITY_BBOX

ENTITIES = (
    "lamps",
    "roads",
    "cemeteries",
    "blocks",
    "plots",
    "access-roads",
    "prayer-rooms",
    "kecamatan",
    "kelurahan",
)
EXPECTED_COUNTS = {
    "lamps": 3,
    "roads": 2,
    "cemeteries": 2,
    "blocks": 1,
    "plots": 2,
    "access-roads": 1,
    "prayer-rooms": 2,
    "kecamatan": 2,
    "kelurahan": 2,
}


def _geojson(engine: Engine, tmp_path: Path, entity: str, **filters: object) -> dict:
    path = tmp_path / f"{entity}.geojson"
    written = export_features(engine, entity=entity, out=path, filters=ExportFilters(**filters))
    document = json.loads(path.read_text())
    assert written == len(document["features"])
    return document


def _rings(geometry: dict) -> list[tuple[list, bool]]:
    """(ring, is_exterior) of a Polygon or MultiPolygon."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [(ring, i == 0) for polygon in polygons for i, ring in enumerate(polygon)]


def _decimals(number: float) -> int:
    exponent = Decimal(repr(float(number))).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@pytest.mark.parametrize("entity", ENTITIES)
def test_geojson_follows_rfc_7946(shared_stocked_city: Engine, tmp_path: Path, entity: str) -> None:
    """No crs member, CCW exterior / CW interior rings, lon/lat in the city, ≤7 decimals, ids."""
    document = _geojson(shared_stocked_city, tmp_path, entity)
    assert document["type"] == "FeatureCollection" and "crs" not in document
    assert len(document["features"]) == EXPECTED_COUNTS[entity]
    for item in document["features"]:
        assert set(item) == {"type", "id", "geometry", "properties"}
        assert item["id"] == item["properties"]["id"]
        assert "crs" not in item["geometry"]
        coordinates = shapely.get_coordinates(shapely.from_geojson(json.dumps(item["geometry"])))
        x0, y0, x1, y1 = CITY_BBOX
        assert ((coordinates[:, 0] >= x0) & (coordinates[:, 0] <= x1)).all()
        assert ((coordinates[:, 1] >= y0) & (coordinates[:, 1] <= y1)).all()
        assert max(_decimals(v) for v in coordinates.ravel()) <= 7
        if "Polygon" in item["geometry"]["type"]:
            for ring, exterior in _rings(item["geometry"]):
                assert shapely.LinearRing(ring).is_ccw == exterior


def test_clockwise_stored_shapes_come_out_right_handed(
    shared_stocked_city: Engine, tmp_path: Path
) -> None:
    """The plot and TPU stored clockwise (and a CCW hole) are turned around on export."""
    plots = _geojson(shared_stocked_city, tmp_path, "plots")["features"]
    tpu02 = next(
        f
        for f in _geojson(shared_stocked_city, tmp_path, "cemeteries")["features"]
        if f["properties"]["code"] == "TPU02"
    )
    assert shapely.LinearRing(plots[0]["geometry"]["coordinates"][0]).is_ccw
    outline, pond = tpu02["geometry"]["coordinates"]
    assert shapely.LinearRing(outline).is_ccw and not shapely.LinearRing(pond).is_ccw


def test_lamp_properties_for_planners(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """A lamp carries code, status with its Indonesian label, road, kelurahan and kecamatan."""
    lamps = _geojson(shared_stocked_city, tmp_path, "lamps")["features"]
    by_code = {f["properties"]["code"]: f["properties"] for f in lamps}
    lamp = by_code["PJU-63.72.04-00002"]
    assert {
        k: lamp[k]
        for k in (
            "status",
            "status_label",
            "road_code",
            "kelurahan",
            "kecamatan",
            "lamp_type",
            "wattage",
            "mounting",
        )
    } == {
        "status": "out",
        "status_label": "Mati",
        "road_code": "JL-MENTAOS",
        "kelurahan": "Mentaos",
        "kecamatan": "Banjarbaru Utara",
        "lamp_type": "sodium",
        "wattage": 150,
        "mounting": "bracket",
    }
    assert by_code["PJU-63.72.05-00001"]["kecamatan"] == "Banjarbaru Selatan"
    assert by_code["PJU-63.72.04-00001"]["installed_on"] == "2021-06-01"


@pytest.mark.parametrize(
    ("entity", "label_field", "expected"),
    [
        ("plots", "status_label", {"TPU01-A-1-1": "Terisi", "TPU01-A-1-2": "Tersedia"}),
        ("access-roads", "condition_label", {"AKS-TPU01": "Rusak ringan"}),
        ("prayer-rooms", "status_label", {"MSL-01": "Sudah ada", "MSL-02": "Direncanakan"}),
    ],
)
def test_other_entities_get_labels_and_areas_by_spatial_join(
    shared_stocked_city: Engine,
    tmp_path: Path,
    entity: str,
    label_field: str,
    expected: dict[str, str],
) -> None:
    """Plots, access roads and musala get Indonesian labels and their kelurahan/kecamatan."""
    features = _geojson(shared_stocked_city, tmp_path, entity)["features"]
    assert {f["properties"]["code"]: f["properties"][label_field] for f in features} == expected
    assert {(f["properties"]["kelurahan"], f["properties"]["kecamatan"]) for f in features} == {
        ("Sungai Besar", "Banjarbaru Selatan")
    }


def test_filters_by_status_kecamatan_and_bbox(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """--status, --kecamatan (code or name, any case) and --bbox pick the right lamps."""

    def codes(**filters: object) -> list[str]:
        features = _geojson(shared_stocked_city, tmp_path, "lamps", **filters)["features"]
        return [f["properties"]["code"] for f in features]

    assert codes(status="out") == ["PJU-63.72.04-00002"]
    assert codes(status="Menyala") == ["PJU-63.72.04-00001", "PJU-63.72.05-00001"]
    assert (
        codes(kecamatan="banjarbaru SELATAN")
        == codes(kecamatan="63.72.05")
        == ["PJU-63.72.05-00001"]
    )
    assert codes(bbox=parse_bbox("114.81, -3.435, 114.825, -3.425")) == ["PJU-63.72.04-00002"]
    assert codes(kecamatan="63.72.04", status="working") == ["PJU-63.72.04-00001"]
    rooms = _geojson(shared_stocked_city, tmp_path, "prayer-rooms", status="planned")["features"]
    assert [f["properties"]["code"] for f in rooms] == ["MSL-02"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("114.8,-3.5,114.9", "needs 4 numbers"),
        ("114.8,-3.5,abc,-3.4", "part x1 (east lon) 'abc' is not a number"),
        ("-3.5,114.8,-3.4,114.9", "part y0 (south lat) 114.8 is outside -90..90"),
        ("114.9,-3.5,114.8,-3.4", "x0 114.9 must be west of (less than) x1 114.8"),
    ],
)
def test_bad_bbox_names_the_wrong_part(text: str, message: str) -> None:
    """A malformed --bbox says which of its four parts is wrong."""
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_bbox(text)


@pytest.mark.parametrize(
    ("entity", "filters", "message"),
    [
        (
            "lamps",
            {"status": "burning"},
            "Unknown status 'burning' for lamps. Allowed: working, out",
        ),
        ("roads", {"status": "good"}, "roads have no status or condition to filter on"),
        (
            "lamps",
            {"kecamatan": "Atlantis"},
            "Unknown kecamatan 'Atlantis'. Give a code or a name: "
            "63.72.04 Banjarbaru Utara; 63.72.05 Banjarbaru Selatan",
        ),
    ],
)
def test_bad_filters_are_refused_with_the_allowed_values(
    shared_stocked_city: Engine, tmp_path: Path, entity: str, filters: dict, message: str
) -> None:
    """An unknown status or kecamatan is refused, naming what exists; no file is written."""
    out = tmp_path / "out.geojson"
    with pytest.raises(InvalidInput, match=message.replace(".", r"\.")):
        export_features(
            shared_stocked_city, entity=entity, out=out, filters=ExportFilters(**filters)
        )
    assert not out.exists()


@pytest.mark.parametrize("entity", ["lamps", "plots", "access-roads", "kecamatan"])
def test_geopackage_opens_in_gdal(shared_stocked_city: Engine, tmp_path: Path, entity: str) -> None:
    """`ogrinfo -so` reads the GeoPackage: one layer, the right count, geometry type and SRS."""
    path = tmp_path / f"{entity}.gpkg"
    written = export_features(shared_stocked_city, entity=entity, out=path)
    info = subprocess.run(
        ["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Feature Count: {written}" in info and written == EXPECTED_COUNTS[entity]
    assert 'ID["EPSG",4326]' in info
    assert "code: String" in info


def test_csv_has_wkt_and_lon_lat(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """Lamps CSV has lon/lat and WKT per row; a polygon CSV has WKT that Shapely reads."""
    lamps = tmp_path / "lamps.csv"
    export_features(shared_stocked_city, entity="lamps", out=lamps)
    rows = list(csv.DictReader(io.StringIO(lamps.read_text(encoding="utf-8"))))
    assert [(r["code"], r["lon"], r["lat"], r["wkt"], r["status_label"]) for r in rows][0] == (
        "PJU-63.72.04-00001",
        "114.83",
        "-3.4401",
        "POINT(114.83 -3.4401)",
        "Menyala",
    )
    plots = tmp_path / "petak.txt"
    export_features(shared_stocked_city, entity="plots", out=plots, fmt="csv")
    shapes = [shapely.from_wkt(r["wkt"]) for r in csv.DictReader(plots.open())]
    assert [s.geom_type for s in shapes] == ["Polygon", "Polygon"]


def test_english_labels_on_request(shared_stocked_city: Engine, tmp_path: Path) -> None:
    """lang='en' gives English status labels."""
    path = tmp_path / "lamps.geojson"
    export_features(
        shared_stocked_city,
        entity="lamps",
        out=path,
        lang="en",
        filters=ExportFilters(status="out"),
    )
    labels = [f["properties"]["status_label"] for f in json.loads(path.read_text())["features"]]
    assert labels == ["Out"]


def test_iter_geojson_streams_the_same_collection(shared_stocked_city: Engine) -> None:
    """The streaming generator (for HTTP) yields the same FeatureCollection as the file export."""
    from geo_assets.io.exporter import iter_geojson

    document = json.loads("".join(iter_geojson(shared_stocked_city, entity="prayer-rooms")))
    assert [f["properties"]["code"] for f in document["features"]] == ["MSL-01", "MSL-02"]
    with pytest.raises(InvalidInput, match="Unknown kecamatan"):
        iter_geojson(shared_stocked_city, entity="lamps", filters=ExportFilters(kecamatan="x"))


def test_geojson_text_survives_quotes_newlines_and_nulls(
    stocked_city: Engine, tmp_path: Path
) -> None:
    """A road name with quotes, a backslash, a newline and non-ASCII comes out as stored; an
    empty value is null; properties keep the registry's order (one feature per COPY line)."""
    name = 'Jl. "Mawar" \\ Gg.\nBaru – Ñ'
    with stocked_city.begin() as connection:
        connection.execute(
            text("UPDATE road SET name = :name WHERE code = 'JL-MENTAOS'"), {"name": name}
        )
        connection.execute(text("UPDATE lamp SET installed_on = NULL"))
    lamps = _geojson(stocked_city, tmp_path, "lamps")["features"]
    on_road = [f["properties"] for f in lamps if f["properties"]["road_code"] == "JL-MENTAOS"]
    assert on_road and all(p["road_name"] == name for p in on_road)
    assert all(f["properties"]["installed_on"] is None for f in lamps)
    assert list(lamps[0]["properties"])[:3] == ["id", "code", "status"]
