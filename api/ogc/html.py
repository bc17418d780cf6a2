"""The HTML face of `/ogc`: plain pages in Bahasa Indonesia (English with `lang=en`)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import DictLoader, Environment, select_autoescape

WORDS: dict[str, dict[str, str]] = {
    "id": {
        "home": "Beranda OGC API",
        "conformance": "Kelas kesesuaian",
        "collections": "Koleksi data",
        "collection": "Koleksi",
        "items": "Fitur",
        "queryables": "Properti yang dapat difilter",
        "json": "Lihat sebagai JSON",
        "api": "Dokumen OpenAPI",
        "docs": "Dokumentasi API",
        "matched": "cocok",
        "more_than": "lebih dari",
        "shown": "ditampilkan",
        "next": "Berikutnya",
        "prev": "Sebelumnya",
        "property": "Properti",
        "value": "Nilai",
        "type": "Jenis",
        "extent": "Cakupan",
        "other": "English",
    },
    "en": {
        "home": "OGC API landing page",
        "conformance": "Conformance classes",
        "collections": "Collections",
        "collection": "Collection",
        "items": "Features",
        "queryables": "Queryable properties",
        "json": "View as JSON",
        "api": "OpenAPI document",
        "docs": "API documentation",
        "matched": "matched",
        "more_than": "more than",
        "shown": "shown",
        "next": "Next",
        "prev": "Previous",
        "property": "Property",
        "value": "Value",
        "type": "Type",
        "extent": "Extent",
        "other": "Bahasa Indonesia",
    },
}

BASE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · geo-assets</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
nav a{margin-right:1rem}</style></head><body>
<nav><a href="{{ base }}/ogc?f=html&lang={{ lang }}">{{ w.home }}</a>
<a href="{{ base }}/ogc/collections?f=html&lang={{ lang }}">{{ w.collections }}</a>
<a href="{{ json_href }}">{{ w.json }}</a>
<a href="{{ other_href }}">{{ w.other }}</a></nav>
<h1>{{ title }}</h1>
{% block body %}{% endblock %}
</body></html>"""

TEMPLATES = {
    "base.html": BASE,
    "landing.html": """{% extends "base.html" %}{% block body %}<p>{{ doc.description }}</p>
<ul>{% for link in doc.links if link.rel not in ("self", "alternate") %}
<li><a href="{{ link.href }}">{{ link.title or link.rel }}</a></li>{% endfor %}</ul>
{% endblock %}""",
    "conformance.html": """{% extends "base.html" %}{% block body %}
<ul>{% for uri in doc.conformsTo %}<li>{{ uri }}</li>{% endfor %}</ul>{% endblock %}""",
    "collections.html": """{% extends "base.html" %}{% block body %}
<ul class="collections">{% for c in doc.collections %}
<li><a href="{{ base }}/ogc/collections/{{ c.id }}?f=html&lang={{ lang }}">{{ c.title }}</a>
({{ c.id }}): {{ c.description }}</li>{% endfor %}</ul>{% endblock %}""",
    "collection.html": """{% extends "base.html" %}{% block body %}
<p>{{ doc.description }}</p>
<p>{{ w.extent }}: {{ doc.extent.spatial.bbox[0] | join(", ") }}</p>
<ul><li><a href="{{ base }}/ogc/collections/{{ doc.id }}/items?f=html&lang={{ lang }}">
{{ w["items"] }}</a></li>
<li><a href="{{ base }}/ogc/collections/{{ doc.id }}/queryables?f=html&lang={{ lang }}">
{{ w.queryables }}</a></li></ul>{% endblock %}""",
    "queryables.html": """{% extends "base.html" %}{% block body %}
<table><tr><th>{{ w.property }}</th><th>{{ w.type }}</th></tr>
{% for name, schema in doc.properties.items() %}<tr><td>{{ name }}</td>
<td>{{ schema.type or schema.format }}{% if schema.enum %}: {{ schema.enum | join(", ") }}
{% endif %}</td></tr>{% endfor %}</table>{% endblock %}""",
    "items.html": """{% extends "base.html" %}{% block body %}
<p>{% if doc.numberMatched is defined %}{{ doc.numberMatched }}{% else %}{{ w.more_than }}
{{ count_cap }}{% endif %} {{ w.matched }}, {{ doc.numberReturned }} {{ w.shown }}.</p>
<p>{% for link in doc.links if link.rel in ("prev", "next") %}
<a rel="{{ link.rel }}" href="{{ link.href }}">{{ w[link.rel] }}</a> {% endfor %}</p>
<table class="items"><tr><th>id</th>{% for name in columns %}<th>{{ name }}</th>{% endfor %}</tr>
{% for f in doc.features %}<tr><td><a href="{{ base }}/ogc/collections/{{ collection }}/items/{{
 f.id }}?f=html&lang={{ lang }}">{{ f.id }}</a></td>
{% for name in columns %}<td>{{ f.properties[name] }}</td>{% endfor %}</tr>{% endfor %}
</table>{% endblock %}""",
    "item.html": """{% extends "base.html" %}{% block body %}
<table><tr><th>{{ w.property }}</th><th>{{ w.value }}</th></tr>
{% for name, value in doc.properties.items() %}<tr><td>{{ name }}</td><td>{{ value }}</td></tr>
{% endfor %}</table><pre>{{ geometry }}</pre>{% endblock %}""",
}
_ENVIRONMENT = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def render(
    template: str,
    *,
    title: str,
    doc: dict[str, Any],
    lang: str,
    base: str,
    json_href: str,
    other_href: str,
    **extra: Any,
) -> HTMLResponse:
    """One page from `doc` (the same document the JSON answer holds)."""
    words = WORDS["en" if lang == "en" else "id"]
    html = _ENVIRONMENT.get_template(template).render(
        title=title,
        doc=doc,
        lang="en" if lang == "en" else "id",
        base=base,
        w=words,
        json_href=json_href,
        other_href=other_href,
        **extra,
    )
    return HTMLResponse(html)


def item_columns(features: list[dict[str, Any]], limit: int = 8) -> list[str]:
    """The first few property names of a page, for the items table."""
    names: list[str] = []
    for feature in features[:1]:
        names = list(feature.get("properties", {}))[:limit]
    return names


def geometry_text(feature: dict[str, Any]) -> str:
    """A feature's geometry as short JSON text."""
    return json.dumps(feature.get("geometry"))[:2000]
