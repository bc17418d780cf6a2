"""The OGC API – Features conformance classes this server implements (each one tested).

The tiles part keeps its own tuple (`TILES_CONFORMANCE`); `/ogc/conformance` answers both.
"""

from __future__ import annotations

FEATURES_1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf"
FEATURES_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf"

FEATURES_CONFORMANCE: tuple[str, ...] = (
    f"{FEATURES_1}/core",
    f"{FEATURES_1}/geojson",
    f"{FEATURES_1}/html",
    f"{FEATURES_1}/oas30",
    f"{FEATURES_3}/queryables",
    f"{FEATURES_3}/queryables-query-parameters",
    f"{FEATURES_3}/filter",
    f"{FEATURES_3}/features-filter",
    f"{CQL2}/cql2-text",
    f"{CQL2}/cql2-json",
    f"{CQL2}/basic-cql2",
    f"{CQL2}/advanced-comparison-operators",
    f"{CQL2}/basic-spatial-functions",
    f"{CQL2}/basic-spatial-functions-plus",
)
