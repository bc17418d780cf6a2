"""`--column TARGET=SOURCE`: rename a file's columns before an import reads them.

Files from other offices name their fields their own way (a BIG/Kemendagri boundary file has
`KDEPUM`, `WADMKD`, `NAMOBJ`…). A mapping renames the file's SOURCE column to our TARGET field
before anything else looks at the columns; the rest of the import is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from geo_assets.errors import InvalidInput
from geo_assets.io.source import SourceTable

EXAMPLE = "--column code=KDEPUM --column name=WADMKD"


def parse_column_specs(specs: Sequence[str] | None) -> dict[str, str]:
    """`["code=KDEPUM", ...]` → `{"code": "KDEPUM", ...}` (target → source column).

    Raises InvalidInput naming the bad spec and showing the expected form.
    """
    mapping: dict[str, str] = {}
    for spec in specs or ():
        target, sep, source = spec.partition("=")
        target, source = target.strip(), source.strip()
        if not sep or not target or not source:
            raise InvalidInput(
                f"--column '{spec}' is not TARGET=SOURCE: give our field name, '=', and the "
                f"file's column, e.g. {EXAMPLE}."
            )
        if target in mapping:
            raise InvalidInput(
                f"--column maps '{target}' twice (from '{mapping[target]}' and '{source}'); "
                "give each field one source column."
            )
        mapping[target] = source
    return mapping


def rename_columns(
    source: SourceTable, mapping: dict[str, str], targets: Iterable[str] | None = None
) -> SourceTable:
    """`source` with each mapped column renamed to its target; a column already named like a
    target is dropped, so the mapped one wins. `targets` (when given) are the field names the
    import knows; a mapping to any other name is refused.

    Raises InvalidInput when a source column is not in the file or a target is unknown.
    """
    if not mapping:
        return source
    known = sorted(targets) if targets is not None else None
    columns = [str(c) for c in source.frame.columns]
    renames: dict[str, str] = {}
    for target, wanted in mapping.items():
        if known is not None and target not in known:
            raise InvalidInput(
                f"--column {target}={wanted}: '{target}' is not a field of this import. "
                f"Fields: {', '.join(known)}."
            )
        column = _find(columns, wanted)
        if column is None:
            raise InvalidInput(
                f"--column {target}={wanted}: {source.path.name} has no column '{wanted}'. "
                f"Its columns: {', '.join(columns) or '(none)'}."
            )
        renames[column] = target
    shadowed = [
        c for c in columns if c not in renames and c.lower() in {t.lower() for t in mapping}
    ]
    frame = source.frame.drop(columns=shadowed).rename(columns=renames)
    return replace(source, frame=frame)


def _find(columns: list[str], wanted: str) -> str | None:
    """The column named `wanted`, exactly, else ignoring case."""
    if wanted in columns:
        return wanted
    matches = [c for c in columns if c.lower() == wanted.lower()]
    return matches[0] if len(matches) == 1 else None
