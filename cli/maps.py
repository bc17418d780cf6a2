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
    """Write the maps as HTML pages with a `static/` folder beside them (open from disk or mail)."""
    # Imported here, not at module level: geo_assets must never import folium (the map stack is
    # heavy and belongs to `maps`), and only this command needs it.
    from maps.render import write_map
    from maps.sources import MAP_NAMES, build_map

    engine = open_engine()
    names = MAP_NAMES if name is MapName.all else (name.value,)
    try:
        for map_name in names:
            path = write_map(
                build_map(map_name, engine, lang=lang.value), output / f"{map_name}.html"
            )
            size = path.stat().st_size / 1e6
            console.print(f"wrote {path} ({size:.2f} MB)", highlight=False)
    finally:
        engine.dispose()
    console.print(f"open {output / names[0]}.html in a browser; keep {output / 'static'} beside it")
