"""`export lamps --format osm`: the lamps as OpenStreetMap XML, for the city's mappers (JOSM).

Each lamp is a node tagged `highway=street_lamp`, `ref` (our code), `light:method`, `support`,
`height`, `operator`, `start_date` and `lamp_type=electric`. A lamp read from OSM keeps its node
id and version, so JOSM recognises it as that node; every other lamp gets a negative id (a new
node to JOSM). Written with the standard library's streaming XML writer, which escapes text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from sqlalchemy import Engine, Select, func, or_, select

from geo_assets import tables
from geo_assets.io.osm_tags import METHOD_BY_LAMP_TYPE, OPERATOR_BY_OWNERSHIP

GENERATOR = "geo-assets"
SUPPORT_BY_MOUNTING = {"pole": "pole", "bracket": "pole", "wall": "wall_mounted"}
NODE_ID_PREFIX = "n"


def export_lamps_osm(
    engine: Engine,
    *,
    out: Path,
    status: str | None = None,
    kecamatan: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> int:
    """Write the lamps (optionally of one status, kecamatan, bbox) to `out`; returns how many."""
    query = _lamps_query(status, kecamatan, bbox)
    written = 0
    with engine.connect() as connection, out.open("w", encoding="utf-8") as stream:
        xml = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)
        xml.startDocument()
        xml.startElement("osm", AttributesImpl({"version": "0.6", "generator": GENERATOR}))
        stream.write("\n")
        for row in connection.execute(query).mappings():
            written += 1
            _write_node(xml, stream, row, new_id=-written)
        xml.endElement("osm")
        stream.write("\n")
        xml.endDocument()
    return written


def _lamps_query(
    status: str | None, kecamatan: str | None, bbox: tuple[float, float, float, float] | None
) -> Select[Any]:
    lamp, kelurahan, district = tables.LAMP, tables.KELURAHAN, tables.KECAMATAN
    query = (
        select(
            lamp.c.code,
            lamp.c.osm_id,
            lamp.c.osm_version,
            lamp.c.lamp_type,
            lamp.c.mounting,
            lamp.c.pole_height_m,
            lamp.c.ownership,
            lamp.c.installed_on,
            func.ST_X(lamp.c.geom).label("lon"),
            func.ST_Y(lamp.c.geom).label("lat"),
        )
        .where(lamp.c.status != "decommissioned")
        .order_by(lamp.c.code)
    )
    if status:
        query = query.where(lamp.c.status == status)
    if kecamatan:
        wanted = func.lower(kecamatan.strip())
        query = (
            query.join(kelurahan, kelurahan.c.id == lamp.c.kelurahan_id)
            .join(district, district.c.id == kelurahan.c.kecamatan_id)
            .where(
                or_(func.lower(district.c.code) == wanted, func.lower(district.c.name) == wanted)
            )
        )
    if bbox:
        query = query.where(lamp.c.geom.intersects(func.ST_MakeEnvelope(*bbox, 4326)))
    return query


def osm_tags_of(row: Any) -> dict[str, str]:
    """The OSM tags of one lamp row (code, type, mounting, height, owner, installation date)."""
    tags = {"highway": "street_lamp", "ref": row["code"], "lamp_type": "electric"}
    method = METHOD_BY_LAMP_TYPE.get(row["lamp_type"])
    if method:
        tags["light:method"] = method
    tags["support"] = SUPPORT_BY_MOUNTING.get(row["mounting"], "pole")
    if row["mounting"] == "bracket":
        tags["lamp_mount"] = "bent_mast"
    tags["height"] = f"{row['pole_height_m']:g}"
    operator = OPERATOR_BY_OWNERSHIP.get(row["ownership"])
    if operator:
        tags["operator"] = operator
    if row["installed_on"]:
        tags["start_date"] = row["installed_on"].isoformat()
    return tags


def _node_attributes(row: Any, new_id: int) -> dict[str, str]:
    """Id and version of an OSM node we read; a negative id (a new node) for any other lamp."""
    osm_id, version = row["osm_id"], row["osm_version"]
    if osm_id and osm_id.startswith(NODE_ID_PREFIX) and version is not None:
        attributes = {"id": osm_id[1:], "version": str(version)}
    else:
        attributes = {"id": str(new_id)}
    attributes.update(lat=f"{row['lat']:.7f}", lon=f"{row['lon']:.7f}")
    return attributes


def _write_node(xml: XMLGenerator, stream: Any, row: Any, *, new_id: int) -> None:
    stream.write("  ")
    xml.startElement("node", AttributesImpl(_node_attributes(row, new_id)))
    for key, value in osm_tags_of(row).items():
        stream.write("\n    ")
        xml.startElement("tag", AttributesImpl({"k": key, "v": value}))
        xml.endElement("tag")
    stream.write("\n  ")
    xml.endElement("node")
    stream.write("\n")
