"""The metric SRID is one setting: no Python source outside settings.py spells out 32750."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo_assets", "api", "maps", "cli")
# Where the number may stand: the setting's default. "EPSG:32750" in prose and messages is a
# name for people, not a value handed to SQL.
ALLOWED = {Path("geo_assets/settings.py")}
LITERAL = re.compile(r"(?<![\w:])32750(?!\d)")


def metric_srid_literals(root: Path) -> list[str]:
    """`path:line: text` of every 32750 written as a value in the packages under `root`."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if LITERAL.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_metric_srid_literal_outside_settings() -> None:
    """No module writes the metric SRID 32750 itself; SQL gets `Settings.metric_srid` bound."""
    assert metric_srid_literals(ROOT) == []


def test_a_literal_in_sql_is_found(tmp_path: Path) -> None:
    """The scan catches a 32750 in SQL text, and lets 'EPSG:32750' in prose pass."""
    module = tmp_path / "geo_assets" / "analysis" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        '"""Measured in EPSG:32750."""\nSQL = "SELECT ST_Transform(geom, 32750) FROM road"\n',
        encoding="utf-8",
    )
    assert metric_srid_literals(tmp_path) == [
        'geo_assets/analysis/bad.py:2: SQL = "SELECT ST_Transform(geom, 32750) FROM road"'
    ]
