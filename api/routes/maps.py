"""`/maps/...`: the Folium maps, built from current data and cached until that data changes.

Each map is cached per language together with the data version of the tables it is drawn from
(`geo_assets.mapdata.data_version`: row count, highest id and newest `updated_at` per table, a few
milliseconds). A request recomputes only that version; the map is rebuilt when it differs.
Folium inlines the map's scripts: the page's Content-Security-Policy names each by its sha256,
computed when the page is built (`api.headers.policy_for_page`), so no other inline script runs.
The vendored scripts and styles are served from `/maps/static/`.

Above `Settings.map_tile_threshold` lamps the status and coverage pages embed no lamp: they draw
them from the OGC vector tiles (see maps.tiles), count them with one SQL aggregate, and find a
lamp by code through `/maps/lamps`.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy import Engine

from api.dependencies import ReadEngineDep, SettingsDep
from api.headers import CSP, policy_for_page
from geo_assets.mapdata import find_lamps, lamp_status_counts
from geo_assets.tiles.versions import version_token
from maps.assets import STATIC_DIR
from maps.render import SERVED_STATIC_URL, render_html
from maps.sources import build_map, plan_map, plan_version
from maps.tiles import TileUrls

router = APIRouter(prefix="/maps", tags=["maps"])
LangQuery = Annotated[
    Literal["id", "en"], Query(description="Label language: id (Bahasa Indonesia) or en.")
]


@dataclass
class _Page:
    version: str
    html: str
    etag: str
    policy: str


@dataclass
class MapCache:
    """Rendered pages by (map, language, static URL), each with the data version it shows."""

    pages: dict[tuple[str, str, str], _Page] = field(default_factory=dict)
    locks: dict[tuple[str, str, str], threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)
    builds: int = 0
    # The lamp counts by status with the data version of the lamp table they were counted at:
    # a GROUP BY over a million lamps costs more than the rest of a cached page's request.
    lamp_counts: tuple[str, dict[str, int]] | None = None

    def count_lamps(self, engine: Engine) -> dict[str, int]:
        """Lamps per status, counted again only when the lamp table's data version moved."""
        with engine.connect() as connection:
            token = version_token(connection, ("lamp",))
        cached = self.lamp_counts
        if cached is None or cached[0] != token:
            cached = self.lamp_counts = (token, lamp_status_counts(engine))
        return cached[1]

    def page(
        self, request: Request, engine: ReadEngineDep, threshold: int, name: str, lang: str
    ) -> _Page:
        """The cached page if the data has not changed since it was built, else a new one."""
        root_path = request.scope.get("root_path", "")
        static_url = root_path + SERVED_STATIC_URL
        key = (name, lang, static_url)
        with self.guard:
            lock = self.locks.setdefault(key, threading.Lock())
        with lock:  # one build per key at a time; others wait and reuse it
            plan = plan_map(name, engine, threshold=threshold, count_lamps=self.count_lamps)
            version = plan_version(plan, engine)
            cached = self.pages.get(key)
            if cached is None or cached.version != version:
                built = build_map(
                    name, engine, lang=lang, plan=plan, urls=TileUrls.under(root_path)
                )
                html = render_html(built, static_url=static_url)
                etag = hashlib.sha256(f"{key}|{version}".encode()).hexdigest()[:32]
                policy = policy_for_page(html)
                cached = self.pages[key] = _Page(version, html, f'"{etag}"', policy)
                self.builds += 1
            return cached


def map_cache(request: Request) -> MapCache:
    """The app's map cache, made on first use."""
    state = request.app.state
    if not hasattr(state, "map_cache"):
        state.map_cache = MapCache()
    return state.map_cache


def _respond(
    request: Request, engine: ReadEngineDep, settings: SettingsDep, name: str, lang: str
) -> Response:
    page = map_cache(request).page(request, engine, settings.map_tile_threshold, name, lang)
    headers = {
        "ETag": page.etag,
        "Cache-Control": "no-cache",
        CSP: page.policy,
        # OpenStreetMap's tile policy asks browsers for a Referer: the origin, never the path.
        "Referrer-Policy": "strict-origin",
    }
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(page.html, headers=headers)


@router.get("/status", response_class=HTMLResponse, summary="Lamp status map")
def read_status_map(
    request: Request, engine: ReadEngineDep, settings: SettingsDep, lang: LangQuery = "id"
) -> Response:
    """All lamps coloured by status, clustered, with legend counts and search by code."""
    return _respond(request, engine, settings, "status", lang)


@router.get("/coverage", response_class=HTMLResponse, summary="Lighting coverage map")
def read_coverage_map(
    request: Request, engine: ReadEngineDep, settings: SettingsDep, lang: LangQuery = "id"
) -> Response:
    """Lit and dark roads, dark gaps, proposed lamps and coverage per kelurahan."""
    return _respond(request, engine, settings, "coverage", lang)


@router.get("/cemeteries", response_class=HTMLResponse, summary="Cemeteries map")
def read_cemeteries_map(
    request: Request, engine: ReadEngineDep, settings: SettingsDep, lang: LangQuery = "id"
) -> Response:
    """TPU with plots, access roads by condition, musala with walking rings, nearby lamps."""
    return _respond(request, engine, settings, "cemeteries", lang)


class LampFound(BaseModel):
    """A lamp the map's search box found: what its popup shows and where it stands."""

    code: str
    status: str
    lamp_type: str | None
    wattage: int | None
    lon: float
    lat: float


class LampsFound(BaseModel):
    """The lamp with the code asked for, else those whose code contains it (at most 8)."""

    lamps: list[LampFound]


@router.get("/lamps", summary="Find lamps by code, for the map's search box")
def read_lamps_by_code(
    engine: ReadEngineDep,
    q: Annotated[str, Query(min_length=1, max_length=64, description="(Part of) a lamp code.")],
) -> LampsFound:
    """The lamp whose code is `q`, else up to 8 lamps whose code contains it (any case)."""
    return LampsFound(lamps=[LampFound(**row) for row in find_lamps(engine, q)])


def install(app: FastAPI) -> None:
    """Add the map routes and serve the vendored assets under /maps/static."""
    app.include_router(router)
    app.mount(SERVED_STATIC_URL.rstrip("/"), StaticFiles(directory=STATIC_DIR), name="map_static")
