"""A browser page on one of the app's maps (`MapPage`), and where its screenshots go."""

from __future__ import annotations

from pathlib import Path

from maps.browser import PageWatch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "maps"


class MapPage:
    """A browser page on one map, with what it loaded and helpers to read the map."""

    def __init__(self, page, watch: PageWatch) -> None:
        self.page = page
        self.watch = watch

    def open(self, url: str) -> MapPage:
        """Load `url` and wait until Leaflet has drawn the map."""
        self.page.goto(url)
        self.page.wait_for_function(
            "() => document.querySelector('.folium-map') && "
            "window[document.querySelector('.folium-map').id]"
        )
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)  # cluster animation
        return self

    def evaluate(self, script: str, arg: object = None) -> object:
        """Run `script` (a JS function taking (map, arg)) against the page's Leaflet map."""
        return self.page.evaluate(
            "([body, arg]) => { const map = window[document.querySelector('.folium-map').id];"
            " return (new Function('map', 'arg', body))(map, arg); }",
            [script, arg],
        )

    def lamps_on_screen(self) -> int:
        """Lamps a person can count: the numbers on the clusters plus the single lamp dots."""
        return self.evaluate(
            "let n = 0; document.querySelectorAll('.ga-cluster').forEach("
            "e => n += parseInt(e.textContent, 10));"
            " return n + document.querySelectorAll('.ga-lamp').length;"
        )

    def layer_size(self, label_start: str) -> int | None:
        """Features in the overlay whose layer-control label starts with `label_start`."""
        return self.evaluate(
            "for (const label of document.querySelectorAll("
            "'.leaflet-control-layers-overlays label')) {"
            " if (label.textContent.trim().startsWith(arg)) {"
            "  const layer = map._layers[label.querySelector('input').layerId];"
            "  return layer ? layer.getLayers().length : 0; } } return null;",
            label_start,
        )

    def toggle_layer(self, label_start: str) -> None:
        """Click the checkbox of the overlay whose label starts with `label_start`."""
        label = self.page.locator(
            ".leaflet-control-layers-overlays label", has_text=label_start
        ).first
        label.locator("input").click()
        self.page.wait_for_timeout(300)

    def legend_text(self) -> str:
        """The legend as a person reads it."""
        return self.page.inner_text(".ga-legend")

    def screenshot(self, name: str) -> Path:
        """Save a screenshot under test-artifacts/maps/."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path
