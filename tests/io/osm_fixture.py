"""A small OpenStreetMap extract in the city centre, written by the tests as JOSM/Overpass would.

Everything is placed relative to an origin taken from the database (a point well inside the
city), so the extract follows the sample city wherever its boundaries lie. Roads run west–east
111 m apart; each lamp stands half a metre off its road; cemeteries and places of worship lie
south of the roads. One road and one lamp lie outside the city, west of its bounding box.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

CENTRE = (114.83, -3.44)
STEP = 0.001  # ≈ 111 m
LAMP_OFFSET = 0.0000045  # ≈ 0.5 m north of the road

# (way id, tags) of the roads; the lamp of road i stands on road i.
ROADS: list[tuple[int, dict[str, str]]] = [
    (
        101,
        {"highway": "primary", "name": "Jl. Jenderal A. Yani", "surface": "asphalt", "lit": "yes"},
    ),
    (
        102,
        {"highway": "secondary", "name": "Jl. Panglima Batur", "surface": "concrete", "lit": "no"},
    ),
    (103, {"highway": "residential", "name": 'Gg. "Melati" & <Mawar> \\ 2', "surface": "unpaved"}),
    (104, {"highway": "service"}),
    (105, {"highway": "track", "name": "Jalan Usaha Tani"}),
    (106, {"highway": "trunk", "name": "Jl. Trikora", "surface": "paving_stones"}),
    (107, {"highway": "tertiary", "name": "Jl. Karang Anyar", "surface": "gravel"}),
    (108, {"highway": "unclassified", "name": "Jl. Guntung Paikat", "surface": "concrete:plates"}),
    (109, {"highway": "living_street", "name": "Komplek Citra Megah", "lit": "24/7"}),
    (201, {"highway": "footway", "name": "Trotoar Taman Van der Pijl"}),
    (202, {"highway": "path"}),
    (203, {"highway": "cycleway", "name": "Jalur Sepeda Murjani"}),
    (204, {"highway": "steps"}),
    (205, {"highway": "pedestrian", "name": "Pedestrian Lapangan Murjani"}),
]
EXPECTED_ROADS = {  # way → (class, surface, lit)
    "w101": ("arteri", "aspal", True),
    "w102": ("kolektor", "beton", False),
    "w103": ("lokal", "tanah", None),
    "w104": ("lingkungan", "aspal", None),
    "w105": ("lingkungan", "tanah", None),
    "w106": ("arteri", "beton", None),
    "w107": ("kolektor", "kerikil", None),
    "w108": ("lokal", "beton", None),
    "w109": ("lingkungan", "aspal", True),
}
# (node id, the road it stands on, tags besides highway=street_lamp)
LAMPS: list[tuple[int, int, dict[str, str]]] = [
    (
        301,
        101,
        {
            "light:method": "LED",
            "ref": "PJU lama 7",
            "operator": "Dinas PUPR Kota Banjarbaru",
            "height": "10",
            "light:power": "90 W",
            "support": "pole",
            "start_date": "2021-06-01",
        },
    ),
    (302, 102, {"light:method": "high_pressure_sodium", "operator": "PLN"}),
    (303, 103, {"light:method": "sodium", "support": "wall_mounted"}),
    (304, 104, {"light:method": "mercury", "lamp_mount": "bent_mast"}),
    (305, 105, {"light:method": "fluorescent", "operator": "Pemerintah Provinsi Kalsel"}),
    (306, 106, {}),
    (307, 107, {"light:method": "metal-halide", "operator": "PT Sinar Terang"}),
]
EXPECTED_LAMPS = {  # node → (type, wattage, height, mounting, ownership)
    "n301": ("led", 90, 10.0, "pole", "pemkot"),
    "n302": ("sodium", 150, 9.0, "pole", "pln"),
    "n303": ("sodium", 150, 9.0, "wall", "pemkot"),
    "n304": ("mercury", 125, 9.0, "bracket", "pemkot"),
    "n305": ("cfl", 45, 9.0, "pole", "provinsi"),
    "n306": ("other", 100, 9.0, "pole", "pemkot"),
    "n307": ("other", 100, 9.0, "pole", "private"),
}
# (way id, tags) of cemeteries drawn as closed ways; r405 is a multipolygon relation.
CEMETERIES: list[tuple[int, dict[str, str]]] = [
    (401, {"landuse": "cemetery", "religion": "muslim", "name": "TPU Guntung Manggis"}),
    (
        402,
        {
            "amenity": "grave_yard",
            "religion": "christian",
            "denomination": "roman_catholic",
            "name": "Makam Katolik Santo Yosef",
        },
    ),
    (403, {"landuse": "cemetery", "religion": "christian", "name": "Makam Kristen Loktabat"}),
    (404, {"landuse": "cemetery", "name": "Pemakaman Umum Sungai Ulin"}),
]
EXPECTED_CEMETERIES = {
    "w401": "muslim",
    "w402": "catholic",
    "w403": "christian",
    "w404": "general",
    "r405": "chinese",
}
EXPECTED_SKIPS = {
    "roads": {
        "footway": 1,
        "path": 1,
        "cycleway": 1,
        "steps": 1,
        "pedestrian": 1,
        "invalid geometry": 1,
        "outside the city": 1,
    },
    "lamps": {"outside the city": 1},
    "cemeteries": {},
    "prayer-rooms": {"religion=christian": 1, "religion=hindu": 1},
}


@dataclass
class Extract:
    """An OSM XML document under construction: nodes, ways and relations with tags."""

    origin: tuple[float, float]
    outside: tuple[float, float]
    root: ET.Element = field(default_factory=lambda: ET.Element("osm", version="0.6"))
    ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    def node(
        self, lon: float, lat: float, tags: dict[str, str] | None = None, osm_id: int = 0
    ) -> int:
        """Add a node (a fresh id unless given); returns its id."""
        osm_id = osm_id or next(self.ids)
        element = ET.SubElement(
            self.root, "node", id=str(osm_id), version="2", lat=f"{lat:.7f}", lon=f"{lon:.7f}"
        )
        _tag(element, tags or {})
        return osm_id

    def way(self, osm_id: int, points: list[tuple[float, float]], tags: dict[str, str]) -> None:
        """Add a way through new nodes at `points` (closed when first == last)."""
        refs = [self.node(*xy) for xy in points[:-1]]
        refs.append(refs[0] if points[0] == points[-1] else self.node(*points[-1]))
        element = ET.SubElement(self.root, "way", id=str(osm_id), version="3")
        for ref in refs:
            ET.SubElement(element, "nd", ref=str(ref))
        _tag(element, tags)

    def write(self, path: Path) -> Path:
        """Write the document, nodes first (as OSM files are ordered)."""
        order = {"node": 0, "way": 1, "relation": 2}
        self.root[:] = sorted(self.root, key=lambda e: (order[e.tag], int(e.get("id", 0))))
        ET.ElementTree(self.root).write(path, encoding="utf-8", xml_declaration=True)
        return path


def _tag(element: ET.Element, tags: dict[str, str]) -> None:
    for key, value in tags.items():
        ET.SubElement(element, "tag", k=key, v=value)


def city_origin(engine: Engine) -> tuple[tuple[float, float], tuple[float, float]]:
    """A point 1 km or more inside the city (the centre if it is), and one west of the city."""
    with engine.connect() as conn:
        row = conn.execute(
            text("""
                WITH city AS (SELECT ST_Union(geom) AS geom FROM kecamatan),
                     inner_city AS (SELECT ST_Buffer(geom::geography, -1500)::geometry AS geom
                                    FROM city),
                     centre AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geom)
                SELECT ST_X(p), ST_Y(p), ST_XMin(city.geom), ST_YMin(city.geom)
                FROM city, inner_city, centre,
                     LATERAL (SELECT CASE WHEN ST_Covers(inner_city.geom, centre.geom)
                                          THEN centre.geom
                                          ELSE ST_PointOnSurface(inner_city.geom) END AS p) AS o
            """),
            {"lon": CENTRE[0], "lat": CENTRE[1]},
        ).one()
    return (row[0], row[1]), (row[2] - 0.05, row[3] - 0.05)


def build_extract(engine: Engine, **renames: str) -> Extract:
    """The extract with every tag the importer reads; `renames` maps `w101` → a new name."""
    origin, outside = city_origin(engine)
    extract = Extract(origin, outside)
    x0, y0 = origin
    for row, (way_id, tags) in enumerate(ROADS):
        y = y0 + row * STEP
        named = {**tags, "name": renames[f"w{way_id}"]} if f"w{way_id}" in renames else tags
        extract.way(way_id, [(x0, y), (x0 + 3 * STEP, y)], named)
    for node_id, way_id, tags in LAMPS:
        row = [way for way, _ in ROADS].index(way_id)
        lamp_x = x0 + STEP + (node_id % 10) * 0.0001
        extract.node(
            lamp_x, y0 + row * STEP + LAMP_OFFSET, {"highway": "street_lamp", **tags}, node_id
        )
    spot = (x0, y0 - STEP)  # a way whose two nodes stand on one spot: no line at all
    extract.way(110, [spot, spot], {"highway": "residential", "name": "Gg. Salah Gambar"})
    ox, oy = outside
    extract.way(206, [(ox, oy), (ox + STEP, oy)], {"highway": "primary", "name": "Jl. Luar Kota"})
    extract.node(ox, oy + LAMP_OFFSET, {"highway": "street_lamp", "light:method": "LED"}, 308)
    south = y0 - 2 * STEP
    for column, (way_id, tags) in enumerate(CEMETERIES):
        _square(extract, way_id, x0 + column * 1.5 * STEP, south, tags)
    _relation_cemetery(extract, x0 + len(CEMETERIES) * 1.5 * STEP, south)
    _places_of_worship(extract, x0, south - 2 * STEP)
    return extract


def _square(extract: Extract, way_id: int, x: float, y: float, tags: dict[str, str]) -> None:
    corners = [(x, y), (x + STEP, y), (x + STEP, y - STEP), (x, y - STEP), (x, y)]
    extract.way(way_id, corners, tags)


def _relation_cemetery(extract: Extract, x: float, y: float) -> None:
    _square(extract, 4051, x, y, {})
    relation = ET.SubElement(extract.root, "relation", id="405", version="1")
    ET.SubElement(relation, "member", type="way", ref="4051", role="outer")
    _tag(
        relation,
        {"type": "multipolygon", "landuse": "cemetery", "religion": "chinese", "name": "Bong Cina"},
    )


def _places_of_worship(extract: Extract, x: float, y: float) -> None:
    muslim = {"amenity": "place_of_worship", "religion": "muslim"}
    extract.node(x, y, {**muslim, "name": "Musala Al-Ikhlas", "capacity": "40"}, 501)
    mosque = [(x + STEP, y), (x + 1.5 * STEP, y), (x + 1.5 * STEP, y - 0.5 * STEP), (x + STEP, y)]
    extract.way(502, mosque, {**muslim, "building": "mosque", "name": "Masjid Al-Munawwarah"})
    extract.node(
        x + 2 * STEP,
        y,
        {"amenity": "place_of_worship", "religion": "christian", "name": "GKE"},
        503,
    )
    extract.node(
        x + 3 * STEP, y, {"amenity": "place_of_worship", "religion": "hindu", "name": "Pura"}, 504
    )
