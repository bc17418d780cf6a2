"""`geo-assets map status|coverage|cemeteries|all -o DIR`: the web maps as files to open or mail."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, friendly_errors, open_engine


class MapName(StrEnum):
    """Which map to write."""

    status = "status"
    coverage = "coverage"
    cemeteries = "cemeteries"
    all = "all"


class Language(StrEnum):
    """Label language."""

    id = "id"
    en = "en"


@friendly_errors
def write_maps(
    name: Annotated[MapName, typer.Argument(help="status, coverage, cemeteries or all.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write <map>.html into.")
    ],
    lang: Annotated[Language, typer.Option("--lang", help="Labels: id or en.")] = Language.id,
) -> None:
    """Write the maps as HTML pages with a `static/` folder beside them (open from disk or mail).

    Above GEO_ASSETS_MAP_TILE_THRESHOLD lamps the status map carries counts per kelurahan.
    """
    # Imported here, not at module level: geo_assets must never import folium (the map stack is
    # heavy and belongs to `maps`), and only this command needs it.
    from geo_assets.settings import get_settings
    from maps.render import write_map
    from maps.sources import MAP_NAMES, build_map, plan_map

    settings = get_settings()
    engine = open_engine(settings)
    names = MAP_NAMES if name is MapName.all else (name.value,)
    try:
        for map_name in names:
            plan = plan_map(map_name, engine, threshold=settings.map_tile_threshold)
            built = build_map(map_name, engine, lang=lang.value, plan=plan)
            path = write_map(built, output / f"{map_name}.html")
            size = path.stat().st_size / 1e6
            note = " (counts per kelurahan: more lamps than the threshold)" if plan.large else ""
            console.print(f"wrote {path} ({size:.2f} MB){note}", highlight=False)
    finally:
        engine.dispose()
    console.print(f"open {output / names[0]}.html in a browser; keep {output / 'static'} beside it")
