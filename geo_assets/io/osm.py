"""Reading an OpenStreetMap extract (`.osm` XML or `.osm.pbf`) and sorting it into our features.

GDAL's OSM driver (the one bundled with pyogrio) builds the geometries: nodes with tags are the
`points` layer, ways the `lines` layer, closed ways with area tags and multipolygon relations the
`multipolygons` layer. Our own `osmconf.ini` asks it for every tag (`all_tags`, an hstore-like
text parsed here) and each element's id and version. What each element becomes is decided in
`geo_assets.io.osm_tags`; storing is `geo_assets.io.osm_store`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely import Geometry

from geo_assets.errors import InvalidInput
from geo_assets.io import osm_tags

CONFIG_FILE = Path(__file__).with_name("osmconf.ini")
SUFFIXES = (".osm", ".pbf")
KINDS = ("roads", "lamps", "cemeteries", "prayer-rooms")
# Layer → the letter of the element type its `osm_id` field counts.
_LAYER_TYPE = {"points": "n", "lines": "w"}
_HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class OsmElement:
    """One OSM element as GDAL built it: `n123`/`w45`/`r6`, its version, tags and geometry."""

    osm_id: str
    version: int | None
    tags: dict[str, str]
    geometry: Geometry


@dataclass
class Planned:
    """A feature of ours made from an OSM element: column values (None = OSM does not say)."""

    kind: str
    osm_id: str
    version: int | None
    values: dict[str, Any]
    geometry: Geometry


@dataclass
class OsmPlan:
    """What an extract holds for us, and what was skipped and why, per kind."""

    planned: dict[str, list[Planned]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, item: Planned) -> None:
        """Keep `item`."""
        self.planned[item.kind].append(item)

    def skip(self, kind: str, reason: str) -> None:
        """Count one element of `kind` left out for `reason`."""
        self.skipped[kind][reason] += 1


def parse_tags(text: str | None) -> dict[str, str]:
    """The tags of GDAL's `all_tags` field: `"key"=>"value","k2"=>"v2"` with `\\`-escapes."""
    if not text:
        return {}
    return {
        _ESCAPE.sub(r"\1", key): _ESCAPE.sub(r"\1", value)
        for key, value in _HSTORE_PAIR.findall(text)
    }


def read_osm(path: Path) -> list[OsmElement]:
    """Every tagged element of an `.osm`/`.osm.pbf` file; InvalidInput if it cannot be read."""
    import pyogrio.raw

    if not path.is_file():
        raise InvalidInput(f"No such file: {path}.")
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput(f"{path.name} is not an OpenStreetMap file: use .osm (XML) or .osm.pbf.")
    elements: list[OsmElement] = []
    for layer in ("points", "lines", "multipolygons"):
        try:
            meta, _, wkbs, columns = pyogrio.raw.read(
                str(path),
                layer=layer,
                CONFIG_FILE=str(CONFIG_FILE),
                # Files saved by JOSM number new nodes -1, -2, …: not in increasing order.
                USE_CUSTOM_INDEXING="NO",
            )
        except Exception as exc:  # pyogrio raises several kinds; each means an unreadable file
            raise InvalidInput(
                f"{path.name} could not be read as OpenStreetMap ({layer}): {exc}. "
                "Nothing was imported."
            ) from None
        data = dict(zip(meta["fields"], columns, strict=True))
        geometries = shapely.from_wkb(wkbs)
        for index, geometry in enumerate(geometries):
            osm_id = _osm_id(layer, data, index)
            version = data["osm_version"][index]
            elements.append(
                OsmElement(
                    osm_id,
                    int(version) if version is not None else None,
                    parse_tags(data["all_tags"][index]),
                    geometry,
                )
            )
    return elements


def _osm_id(layer: str, data: dict[str, Any], index: int) -> str:
    if layer in _LAYER_TYPE:
        return f"{_LAYER_TYPE[layer]}{data['osm_id'][index]}"
    # multipolygons: a closed way has `osm_way_id`, a multipolygon relation `osm_id`.
    way = data["osm_way_id"][index]
    return f"w{way}" if way is not None else f"r{data['osm_id'][index]}"


def plan_features(elements: list[OsmElement]) -> OsmPlan:
    """Sort elements into roads, lamps, cemeteries and prayer rooms; count what is skipped."""
    plan = OsmPlan()
    for element in elements:
        tags, geometry = element.tags, element.geometry
        if geometry is None or geometry.is_empty:
            continue
        if geometry.geom_type in ("LineString", "MultiLineString") and "highway" in tags:
            _plan_road(plan, element)
        elif geometry.geom_type == "Point" and tags.get("highway") == "street_lamp":
            _plan_lamp(plan, element)
        elif osm_tags.is_cemetery(tags) and geometry.geom_type in ("Polygon", "MultiPolygon"):
            _plan_cemetery(plan, element)
        elif tags.get("amenity") == "place_of_worship":
            _plan_prayer_room(plan, element)
    return plan


def _plan_road(plan: OsmPlan, element: OsmElement) -> None:
    tags = element.tags
    road_class = osm_tags.road_class(tags)
    if road_class is None:
        plan.skip("roads", tags["highway"])
        return
    if not element.geometry.is_valid or element.geometry.length == 0:
        plan.skip("roads", "invalid geometry")  # e.g. a way whose nodes stand on one spot
        return
    lines = shapely.get_parts(shapely.line_merge(element.geometry))
    if len(lines) != 1:
        plan.skip("roads", "not one line")
        return
    values = {
        "name": osm_tags.name_of(tags, element.osm_id, "Jalan "),
        "road_class": road_class,
        "surface": osm_tags.road_surface(tags),
        "lit": osm_tags.road_lit(tags),
    }
    plan.add(Planned("roads", element.osm_id, element.version, values, lines[0]))


def _plan_lamp(plan: OsmPlan, element: OsmElement) -> None:
    tags = element.tags
    values = {
        "lamp_type": osm_tags.lamp_type(tags),
        "wattage": osm_tags.lamp_wattage(tags),
        "pole_height_m": osm_tags.pole_height(tags),
        "mounting": osm_tags.lamp_mounting(tags),
        "ownership": osm_tags.lamp_ownership(tags),
        "installed_on": osm_tags.installed_on(tags),
        "ref": (tags.get("ref") or "").strip() or None,
    }
    plan.add(Planned("lamps", element.osm_id, element.version, values, element.geometry))


def _plan_cemetery(plan: OsmPlan, element: OsmElement) -> None:
    tags = element.tags
    parts = shapely.get_parts(shapely.make_valid(element.geometry))
    polygons = [part for part in parts if part.geom_type == "Polygon"]
    if not polygons:
        plan.skip("cemeteries", "no area")
        return
    # Our cemetery is one polygon: the largest part of a multipolygon stands for the whole.
    polygon = max(polygons, key=lambda part: part.area)
    values = {
        "name": osm_tags.name_of(tags, element.osm_id, "TPU "),
        "kind": osm_tags.cemetery_kind(tags),
        "manager": (tags.get("operator") or "").strip()[:120] or None,
    }
    plan.add(Planned("cemeteries", element.osm_id, element.version, values, polygon))


def _plan_prayer_room(plan: OsmPlan, element: OsmElement) -> None:
    tags = element.tags
    religion = tags.get("religion", "").strip().lower()
    if religion != "muslim":
        plan.skip("prayer-rooms", f"religion={religion or '(none)'}")
        return
    geometry = element.geometry
    if geometry.geom_type != "Point":
        geometry = shapely.point_on_surface(geometry)
    values = {
        "name": osm_tags.name_of(tags, element.osm_id, "Musala "),
        "capacity": osm_tags.positive_int(tags.get("capacity")),
    }
    plan.add(Planned("prayer-rooms", element.osm_id, element.version, values, geometry))
