"""OpenStreetMap tags ↔ our vocabularies (geo_assets.vocab): what each OSM element becomes.

Decisions, for a public-works office that starts from OSM:
- Roads: `motorway`/`trunk`/`primary` (and their `_link`s) → arteri, `secondary`/`tertiary` →
  kolektor, `unclassified`/`residential`/`road` → lokal, `living_street`/`service`/`track` →
  lingkungan. Ways for people on foot or bike (`footway`, `path`, `cycleway`, `steps`,
  `pedestrian`, `bridleway`, `corridor`…) and roads not yet built (`construction`, `proposed`)
  are skipped, with the `highway` value as the reason.
- Surface: asphalt-like → aspal, concrete and block/stone paving → beton, gravel-like → kerikil,
  earth-like (and plain `unpaved`) → tanah. Without a known `surface`, a `track` is tanah and
  every other road aspal (the usual case for a city street in Banjarbaru).
- `lit`: `yes` and the time-of-night values are true, `no`/`disused` false, otherwise unknown.
- Lamps: `light:method` → lamp type (LED → led, any sodium / SON → sodium, mercury → mercury,
  fluorescent → cfl, other known methods → other). Unsaid: type `other`, wattage by type
  (`DEFAULT_WATTAGE`, or `light:power`/`power` in W when given), pole height 9 m (or `height`),
  mounting from `support`/`lamp_mount` (pole by default), owner from `operator` (PLN, the
  province, the city; another named operator is private; none is the city).
- Cemeteries: `religion` → kind (muslim, christian — `denomination=catholic` → catholic —,
  hindu, buddhist; chinese folk/taoist/confucian → chinese; anything else or none → general).
- Prayer rooms: `amenity=place_of_worship` with `religion=muslim` (a musala or a mosque); other
  religions are skipped with `religion=<value>` as the reason.
"""

from __future__ import annotations

import re
from datetime import date

ROAD_CLASS_BY_HIGHWAY = {
    **dict.fromkeys(
        ("motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link"), "arteri"
    ),
    **dict.fromkeys(("secondary", "secondary_link", "tertiary", "tertiary_link"), "kolektor"),
    **dict.fromkeys(("unclassified", "residential", "road"), "lokal"),
    **dict.fromkeys(("living_street", "service", "track"), "lingkungan"),
}
SURFACE_BY_OSM = {
    **dict.fromkeys(("asphalt", "paved", "chipseal", "tarmac"), "aspal"),
    **dict.fromkeys(
        (
            "concrete",
            "concrete:plates",
            "concrete:lanes",
            "paving_stones",
            "sett",
            "cobblestone",
            "unhewn_cobblestone",
            "bricks",
        ),
        "beton",
    ),
    **dict.fromkeys(("gravel", "fine_gravel", "compacted", "pebblestone", "rock"), "kerikil"),
    **dict.fromkeys(
        ("dirt", "earth", "ground", "grass", "mud", "sand", "soil", "unpaved"), "tanah"
    ),
}
LIT_TRUE = frozenset({"yes", "24/7", "automatic", "limited", "interval", "sunset-sunrise"})
LIT_FALSE = frozenset({"no", "disused"})

LAMP_TYPE_BY_METHOD = {
    "led": "led",
    "sodium": "sodium",
    "high_pressure_sodium": "sodium",
    "low_pressure_sodium": "sodium",
    "son": "sodium",
    "son-t": "sodium",
    "mercury": "mercury",
    "mercury_vapour": "mercury",
    "fluorescent": "cfl",
    "compact_fluorescent": "cfl",
    "cfl": "cfl",
    **dict.fromkeys(
        ("metal-halide", "metal_halide", "halogen", "incandescent", "gas", "discharge"), "other"
    ),
}
# What `export lamps --format osm` writes back; `other` says nothing rather than guess.
METHOD_BY_LAMP_TYPE = {
    "led": "LED",
    "sodium": "high_pressure_sodium",
    "mercury": "mercury",
    "cfl": "fluorescent",
}
DEFAULT_LAMP_TYPE = "other"
DEFAULT_WATTAGE = {"led": 60, "sodium": 150, "mercury": 125, "cfl": 45, "other": 100}
DEFAULT_POLE_HEIGHT_M = 9.0
MOUNTING_BY_SUPPORT = {
    "pole": "pole",
    "street_lamp": "pole",
    "wall_mounted": "wall",
    "wall": "wall",
    "bent_mast": "bracket",
    "suspended": "bracket",
}
OPERATOR_BY_OWNERSHIP = {
    "pemkot": "Pemerintah Kota Banjarbaru",
    "provinsi": "Pemerintah Provinsi Kalimantan Selatan",
    "pln": "PLN",
}
CEMETERY_KIND_BY_RELIGION = {
    "muslim": "muslim",
    "christian": "christian",
    "hindu": "hindu",
    "buddhist": "buddhist",
    "chinese": "chinese",
    "chinese_folk": "chinese",
    "taoist": "chinese",
    "confucian": "chinese",
}
CATHOLIC = frozenset({"catholic", "roman_catholic"})
UNNAMED = "Tanpa nama"

_NUMBER = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-zA-Z]*)\s*$")


def road_class(tags: dict[str, str]) -> str | None:
    """The road class of a `highway` way, or None when it is no drivable road."""
    return ROAD_CLASS_BY_HIGHWAY.get(tags.get("highway", ""))


def road_surface(tags: dict[str, str]) -> str:
    """The surface of a road from `surface`, else tanah for a track and aspal otherwise."""
    surface = SURFACE_BY_OSM.get(tags.get("surface", "").strip().lower())
    if surface:
        return surface
    return "tanah" if tags.get("highway") == "track" else "aspal"


def road_lit(tags: dict[str, str]) -> bool | None:
    """`lit` as a boolean, None when absent or not understood."""
    value = tags.get("lit", "").strip().lower()
    if value in LIT_TRUE:
        return True
    if value in LIT_FALSE:
        return False
    return None


def name_of(tags: dict[str, str], osm_id: str, prefix: str = "") -> str:
    """`name` (or `ref`), else a label saying the feature has none and where it came from."""
    name = (tags.get("name") or tags.get("ref") or "").strip()
    if name:
        return name[:120]
    return f"{prefix}{UNNAMED} (OSM {osm_id})"


def lamp_type(tags: dict[str, str]) -> str | None:
    """Our lamp type from `light:method`; None when the tag is absent or unknown."""
    method = tags.get("light:method", "").strip().lower().replace(" ", "_")
    return LAMP_TYPE_BY_METHOD.get(method)


def lamp_wattage(tags: dict[str, str]) -> int | None:
    """Watts from `light:power` or `power` (`100`, `100 W`); None when absent or not watts."""
    for key in ("light:power", "power"):
        match = _NUMBER.match(tags.get(key, ""))
        if match and match.group(2).lower() in ("", "w"):
            watts = round(float(match.group(1).replace(",", ".")))
            if 0 < watts <= 2000:
                return watts
    return None


def pole_height(tags: dict[str, str]) -> float | None:
    """Metres from `height` (`9`, `9 m`, `10,5`); None when absent or out of range."""
    match = _NUMBER.match(tags.get("height", ""))
    if match and match.group(2).lower() in ("", "m"):
        height = float(match.group(1).replace(",", "."))
        if 0 < height <= 40:
            return height
    return None


def lamp_mounting(tags: dict[str, str]) -> str | None:
    """Our mounting from `support` or `lamp_mount`; None when neither says."""
    for key in ("lamp_mount", "support"):
        mounting = MOUNTING_BY_SUPPORT.get(tags.get(key, "").strip().lower())
        if mounting:
            return mounting
    if tags.get("lamp_mount", "").endswith("_mast"):
        return "pole"
    return None


def lamp_ownership(tags: dict[str, str]) -> str | None:
    """Our owner from `operator`: PLN, the province, the city, or private; None when absent."""
    operator = tags.get("operator", "").strip().lower()
    if not operator:
        return None
    if "pln" in operator:
        return "pln"
    if "provinsi" in operator or "province" in operator:
        return "provinsi"
    if "kota" in operator or "pemkot" in operator or "dinas" in operator or "city" in operator:
        return "pemkot"
    return "private"


def installed_on(tags: dict[str, str]) -> date | None:
    """`start_date` when it is a full date (YYYY-MM-DD), else None."""
    try:
        return date.fromisoformat(tags.get("start_date", "").strip())
    except ValueError:
        return None


def cemetery_kind(tags: dict[str, str]) -> str:
    """Our cemetery kind from `religion` (and `denomination` for Catholics); general otherwise."""
    religion = tags.get("religion", "").strip().lower()
    if religion == "christian" and tags.get("denomination", "").strip().lower() in CATHOLIC:
        return "catholic"
    return CEMETERY_KIND_BY_RELIGION.get(religion, "general")


def is_cemetery(tags: dict[str, str]) -> bool:
    """`landuse=cemetery` or `amenity=grave_yard`."""
    return tags.get("landuse") == "cemetery" or tags.get("amenity") == "grave_yard"


def positive_int(value: str | None, highest: int = 100_000) -> int | None:
    """A whole number from 1 to `highest` from a tag value, else None."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= highest else None
