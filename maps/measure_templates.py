"""leaflet-measure's HTML templates compiled ahead of time, so that the maps need no `eval`.

leaflet-measure 2.1.7 builds its five templates with underscore's `_.template`, which compiles
each one with `new Function` as the script loads: under a Content-Security-Policy without
'unsafe-eval' the measuring tool would not load. `precompile(js)` replaces every
`c.template('…')` call of the bundle with the plain function underscore would have made
(`<%= … %>` interpolates, `<% … %>` runs code), minus the `with` block: the three names the
templates use (`model`, `i18n`, `humanize`) are read from the argument. `maps/static/vendor.py`
applies it after fetching the package; applying it twice changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TEMPLATE_CALL = re.compile(r"c\.template\('((?:[^'\\]|\\.)*)'\)")
# underscore's default delimiters, in its order: escape, interpolate, evaluate.
_TAG = re.compile(r"<%-([\s\S]+?)%>|<%=([\s\S]+?)%>|<%([\s\S]+?)%>")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
NAMES = ("model", "i18n", "humanize")


class UnexpectedTemplate(ValueError):
    """A template uses something this compiler does not handle (the bundle changed)."""


def _unquote(literal: str) -> str:
    """The text of a single-quoted JavaScript string literal's body."""
    if re.search(r"\\[xu0-9]", literal):
        raise UnexpectedTemplate("numeric escapes in a template literal")
    return re.sub(r"\\(.)", lambda m: _JS_ESCAPES.get(m[1], m[1]), literal, flags=re.S)


def compile_template(template: str) -> str:
    """The JavaScript function (an expression) that renders `template` without `eval`."""
    parts = [
        "(function(obj){obj=obj||{};",
        "".join(f"var {name}=obj.{name};" for name in NAMES),
        "var __t,__p='';",
    ]
    position = 0
    for match in _TAG.finditer(template):
        if match.start() > position:
            parts.append(f"__p+={json.dumps(template[position : match.start()])};")
        escaped, interpolated, evaluated = match.groups()
        if escaped is not None:
            raise UnexpectedTemplate("<%- %> (escaping) is not used by leaflet-measure")
        if interpolated is not None:
            parts.append(f"__p+=((__t=({interpolated}))==null?'':__t);")
        else:
            parts.append(f"\n{evaluated}\n")
        position = match.end()
    if position < len(template):
        parts.append(f"__p+={json.dumps(template[position:])};")
    parts.append("return __p;})")
    return "".join(parts)


def precompile(source: str) -> str:
    """The bundle with every `c.template('…')` call replaced by its compiled function."""
    return TEMPLATE_CALL.sub(lambda m: compile_template(_unquote(m[1])), source)


def precompile_file(path: Path) -> None:
    """Rewrite the bundle at `path` in place."""
    path.write_text(precompile(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    precompile_file(Path(sys.argv[1]))
