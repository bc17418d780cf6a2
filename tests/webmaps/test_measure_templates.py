"""leaflet-measure's templates are compiled ahead of time, so the maps' policy forbids eval."""

from __future__ import annotations

import pytest

from maps.assets import STATIC_DIR
from maps.measure_templates import TEMPLATE_CALL, compile_template, precompile

BUNDLE = STATIC_DIR / "vendor" / "leaflet-measure" / "leaflet-measure.min.js"
TEMPLATE = (
    "<p class=\"<%= model.className %>-x\"><%= i18n.__('measure') %></p>\n"
    "<% if (model.pointCount > 1) { %><b><%= humanize.numberFormat(model.d, 2) %></b><% } %>"
    "<i><%= model.missing %></i>"
)


def test_the_vendored_bundle_builds_no_template_at_run_time() -> None:
    """No `_.template` call is left in the vendored bundle, and compiling again changes nothing."""
    source = BUNDLE.read_text(encoding="utf-8")
    assert TEMPLATE_CALL.search(source) is None
    assert precompile(source) == source


@pytest.mark.browser
def test_a_compiled_template_renders_as_underscore_would(browser) -> None:
    """Interpolation, code blocks and null values render like underscore's `_.template`."""
    render = compile_template(TEMPLATE)
    page = browser.new_page()
    try:
        rendered = page.evaluate(
            f"() => {{ const render = {render};"
            " return [true, false].map((many) => render({"
            " model: {className: 'm', pointCount: many ? 3 : 1, d: 2.5, missing: null},"
            " i18n: {__: (key) => key.toUpperCase()},"
            " humanize: {numberFormat: (v, n) => v.toFixed(n)}})); }"
        )
    finally:
        page.close()
    assert rendered == [
        '<p class="m-x">MEASURE</p>\n<b>2.50</b><i></i>',
        '<p class="m-x">MEASURE</p>\n<i></i>',
    ]
