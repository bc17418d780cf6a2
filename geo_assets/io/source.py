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

    def __len__(self) -> int:
        return len(self.frame)
