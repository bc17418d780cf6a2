"""GeoReport v2 answers in its two formats: JSON, and XML mapped from the same data.

The specification derives its JSON from its XML (the "Spark convention"): an XML list element
(`<services>`, `<attributes>`, ...) holds one child per item (`<service>`, `<attribute>`, ...),
and the JSON has a plain array in its place. Empty values are empty elements in XML and null in
JSON; booleans are `true`/`false`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from fastapi.responses import Response

FORMATS = ("json", "xml")
MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Each list element and the name of its items.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


# Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, line
# feed and carriage return, lone surrogates, U+FFFE and U+FFFF. A resident's text keeps its
# place with U+FFFD instead, so that every answer stays well-formed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """`data` under the element `root`, with the XML declaration the specification asks for."""
    element = ElementTree.Element(root)
    _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def render(fmt: str, root: str, data: Any, status_code: int = 200) -> Response:
    """A response of `data` in `fmt` ('json' or 'xml'); `root` names the XML root element."""
    body = to_xml(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return Response(body, status_code=status_code, media_type=MEDIA_TYPES[fmt])


def errors(fmt: str, status_code: int, *descriptions: str) -> Response:
    """The specification's error list: one `{code, description}` per problem."""
    items = [{"code": status_code, "description": text} for text in descriptions]
    return render(fmt, "errors", items, status_code)
