"""Dependencies point one way, and the command line starts without the heavy stack.

The layers are `geo_assets` (the core) at the bottom, `maps` and `api` above it (`api` may use
`maps`), and `cli` on top of all three. The source is read with `ast`, so an import inside a
function, `importlib.import_module("...")` or a module named in a string such as
`uvicorn.run("api.main:create_app")` counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("geo_assets", "api", "maps", "cli")

# What each layer must never import (top-level package names).
FORBIDDEN: dict[str, frozenset[str]] = {
    "geo_assets": frozenset({"api", "maps", "cli", "fastapi", "starlette", "folium", "branca"}),
    "maps": frozenset({"api", "cli", "fastapi", "starlette"}),
    "api": frozenset({"cli"}),
    "cli": frozenset(),
}

# A module named in a string: "api.main", "api.main:create_app", "maps:render" (entry points,
# uvicorn targets, import_module arguments). A bare word such as "maps" is not one.
_MODULE_STRING = re.compile(r"^([A-Za-z_]\w*)((\.[A-Za-z_]\w*)+(:[A-Za-z_]\w*)?|:[A-Za-z_]\w*)$")
_IMPORT_FUNCTIONS = {"import_module", "__import__", "find_spec", "import_string"}


@dataclass(frozen=True)
class Import:
    """One module a source file reaches for, and the line where it does."""

    module: str
    line: int

    @property
    def top(self) -> str:
        """The top-level package, e.g. `maps` for `maps.render`."""
        return self.module.split(".")[0]


def _absolute(node: ast.ImportFrom, module_name: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module_name.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def imports_in(source: str, module_name: str, *, is_package: bool = False) -> list[Import]:
    """Every module `source` imports, at any depth, by statement, by call or by string."""
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(Import(_absolute(node, module_name, is_package), node.lineno))
        elif isinstance(node, ast.Call) and _called_name(node) in _IMPORT_FUNCTIONS:
            found += [
                Import(arg.value.split(":")[0], node.lineno)
                for arg in node.args[:1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _MODULE_STRING.match(node.value)
            if match and match.group(1) in PROJECT_PACKAGES:
                found.append(Import(node.value.split(":")[0], node.lineno))
    return sorted(set(found), key=lambda found: (found.line, found.module))


def violations(source: str, module_name: str, *, is_package: bool = False) -> list[str]:
    """`module:line imports target` for each import that points against the layering."""
    forbidden = FORBIDDEN[module_name.split(".")[0]]
    return [
        f"{module_name}:{found.line} imports {found.module}"
        for found in imports_in(source, module_name, is_package=is_package)
        if found.top in forbidden
    ]


def _project_modules() -> list[tuple[Path, str]]:
    modules = []
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules.append((path, name.removesuffix(".__init__")))
    return modules


def test_checker_flags_an_import_inside_a_function_of_the_core() -> None:
    """The checker catches `import maps` hidden in a core function (it would fail the suite)."""
    source = "def draw():\n    import maps\n    from maps.render import write_map\n"
    assert violations(source, "geo_assets.report") == [
        "geo_assets.report:2 imports maps",
        "geo_assets.report:3 imports maps.render",
    ]


def test_checker_flags_a_module_named_in_a_string() -> None:
    """The checker catches `uvicorn.run("api.main:create_app")` and `import_module("maps")`."""
    source = (
        "import importlib\nimport uvicorn\n\n"
        "def serve():\n"
        '    uvicorn.run("api.main:create_app", factory=True)\n'
        '    importlib.import_module("maps")\n'
    )
    assert violations(source, "geo_assets.server") == [
        "geo_assets.server:5 imports api.main",
        "geo_assets.server:6 imports maps",
    ]


def test_checker_resolves_relative_imports_and_lets_allowed_ones_pass() -> None:
    """Relative imports resolve inside their package; `api` may use maps, `cli` may use all."""
    assert imports_in("from ..x import y", "geo_assets.io.a") == [Import("geo_assets.x", 1)]
    assert imports_in("from . import y", "geo_assets.io", is_package=True) == [
        Import("geo_assets.io", 1)
    ]
    assert violations("import maps.render\nimport geo_assets", "api.routes.maps") == []
    assert violations('run("api.main:create_app")\nimport maps', "cli.main") == []
    assert violations("import cli.main", "api.main") == ["api.main:1 imports cli.main"]
    assert violations('tags = ["maps"]', "geo_assets.x") == []


def test_every_import_in_the_source_points_the_right_way() -> None:
    """No module of geo_assets, maps or api imports a layer above it, wherever the import is."""
    found = [
        problem
        for path, name in _project_modules()
        for problem in violations(
            path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py"
        )
    ]
    assert found == []


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return {name.split(".")[0] for name in out.stdout.split()}


def test_geo_assets_never_imports_web_or_map_stack() -> None:
    """Importing every geo_assets module pulls in neither FastAPI/Starlette nor Folium."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "geo_assets").rglob("*.py")
        if "migrations" not in path.parts
    )
    statement = "; ".join(f"import {name.removesuffix('.__init__')}" for name in modules)
    loaded = _modules_after(statement)
    assert not loaded & {"fastapi", "starlette", "folium", "branca", "maps", "api", "cli"}


def test_cli_help_loads_no_database_or_data_stack() -> None:
    """`geo-assets --help` answers without loading SQLAlchemy, pandas or GDAL (it starts fast)."""
    loaded = _modules_after("import cli.main")
    assert not loaded & {"sqlalchemy", "pandas", "geopandas", "pyogrio", "shapely", "pydantic"}


def test_import_and_export_commands_load_only_what_they_use() -> None:
    """The import/export path loads neither GeoPandas/GDAL (only a GeoPackage or Shapefile needs
    them, inside the function that reads or writes one) nor the web or map stack."""
    loaded = _modules_after("import cli.transfer, geo_assets.io.importer, geo_assets.io.exporter")
    assert not loaded & {"geopandas", "pyogrio", "fastapi", "starlette", "folium", "matplotlib"}


# Runs `geo-assets ARGS…` in this process and writes the modules loaded by then to a file.
RUN_AND_LIST_MODULES = (
    "import atexit, runpy, sys\n"
    "listing, sys.argv = sys.argv[1], ['geo-assets', *sys.argv[2:]]\n"
    "atexit.register(lambda: open(listing, 'w').write('\\n'.join(sys.modules)))\n"
    "runpy.run_module('cli.main', run_name='__main__')\n"
)
# Loaded by other commands only, or (pyproj) only by a file in another CRS or a lamp with no road.
NOT_FOR_IMPORT_OR_EXPORT = {
    *(f"cli.{name}" for name in ("apikeys", "backup", "db", "maps", "report", "seed", "users")),
    "rich.table",
    "pyproj",
}


def test_import_and_export_commands_load_no_other_command(tmp_path: Path) -> None:
    """`geo-assets import lamps` / `export lamps` load neither the other commands' modules nor
    pyproj: start-up time."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GEO_ASSETS_")},
        "GEO_ASSETS_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none",  # refused
    }
    runs = {
        "import": (["import", "lamps", str(tmp_path / "lamps.geojson")], "Cannot reach"),
        "export": (["export", "lamps", "-o", str(tmp_path / "no" / "x.geojson")], "The folder"),
    }
    for name, (args, error) in runs.items():
        listing = tmp_path / f"{name}.txt"
        done = subprocess.run(
            [sys.executable, "-c", RUN_AND_LIST_MODULES, str(listing), *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert (done.returncode, error in done.stderr) == (1, True), done.stderr
        loaded = set(listing.read_text().split())
        assert f"geo_assets.io.{name}er" in loaded  # the command got as far as its module
        assert loaded & NOT_FOR_IMPORT_OR_EXPORT == set(), name


def test_installed_packages_come_compiled() -> None:
    """Every installed module the import and export commands load has its .pyc (`make install`
    compiles them), so no command compiles pandas or SQLAlchemy from source again."""
    code = (
        "import importlib.util, os, sys\n"
        "import cli.transfer, geo_assets.io.importer, geo_assets.io.exporter\n"
        "for module in list(sys.modules.values()):\n"
        "    path = getattr(module, '__file__', None) or ''\n"
        "    if 'site-packages' in path and path.endswith('.py'):\n"
        "        if not os.path.exists(importlib.util.cache_from_source(path)):\n"
        "            print(module.__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert out.stdout.split() == []


def test_commands_freeze_their_objects_before_the_interpreter_shuts_down() -> None:
    """Every `geo-assets` command freezes its objects at exit, so the interpreter's last garbage
    collections skip them (they took 0.1-0.5 s after each command had finished)."""
    code = (
        "import atexit, gc, sys\n"
        # Registered first, so it runs last: after the command line's own exit handlers.
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "sys.argv = ['geo-assets', '--help']\n"
        "import runpy\n"
        "runpy.run_module('cli.main', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["frozen", "True"]
