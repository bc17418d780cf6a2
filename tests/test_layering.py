"""Dependencies point one way, and the command line starts without the heavy stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    assert not loaded & {"fastapi", "starlette", "folium", "branca", "maps", "api"}


def test_cli_help_loads_no_database_or_data_stack() -> None:
    """`geo-assets --help` answers without loading SQLAlchemy, pandas or GDAL (it starts fast)."""
    loaded = _modules_after("import geo_assets.cli.main")
    assert not loaded & {"sqlalchemy", "pandas", "geopandas", "pyogrio", "shapely", "pydantic"}
