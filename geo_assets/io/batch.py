"""A file's rows on their way into a table: checked values by column, geometries, problems."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection

from geo_assets.bulk import copy_rows
from geo_assets.io.entities import EntitySpec
from geo_assets.io.source import SourceTable
from geo_assets.io.validation import Problems
from geo_assets.models.base import SRID


@dataclass
class Batch:
    """Values by column name (object arrays, one entry per file row) and what is wrong."""

    spec: EntitySpec
    source: SourceTable
    problems: Problems
    columns: dict[str, pd.Series] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    geometry: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    ignored_columns: list[str] = field(default_factory=list)
    area: Any = None
    area_text: str = ""

    def __len__(self) -> int:
        return len(self.source)

    @property
    def valid(self) -> np.ndarray:
        """Mask of the rows with no error."""
        return ~self.problems.bad

    def column(self, name: str) -> np.ndarray:
        """Values of `name` (None everywhere when the entity has no such value)."""
        if name == "geom":
            return ewkb(self.geometry)
        return self.values.get(name, np.full(len(self), None, dtype=object))

    def valid_rows(self, columns: Sequence[str]) -> Iterator[tuple[object, ...]]:
        """Tuples of `columns` for the valid rows, as plain Python values for COPY."""
        mask = self.valid
        arrays = [self.column(name)[mask] for name in columns]
        return zip(*(array.tolist() for array in arrays), strict=True)


def ewkb(geometry: np.ndarray) -> np.ndarray:
    """Geometries as hex EWKB with SRID 4326: PostGIS reads it faster than WKT."""
    with_srid = shapely.set_srid(geometry, SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)


def copy_batch(connection: Connection, batch: Batch) -> int:
    """COPY the valid rows of `batch` into its table; returns how many went in."""
    columns = batch.spec.copy_columns
    return copy_rows(connection, batch.spec.table, columns, batch.valid_rows(columns))
