"""What a reader gives back: a file's rows, their geometries in EPSG:4326, reading problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass
class RowProblem:
    """Something wrong with one row, found while reading it (e.g. a lon that is not a number)."""

    index: int
    field: str
    value: str
    problem: str
    allowed: str = ""


@dataclass
class SourceTable:
    """A file's rows: raw attribute values, geometries in EPSG:4326, and reading problems."""

    path: Path
    kind: str
    frame: pd.DataFrame
    geometry: np.ndarray
    line_numbers: np.ndarray | None = None
    problems: list[RowProblem] = field(default_factory=list)
    reprojected_from: str | None = None
    # Spreadsheets: the sheet read, each row's own `NO`, and sheet header → column name.
    sheet: str | None = None
    row_labels: np.ndarray | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)
