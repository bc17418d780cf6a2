"""Importing cemetery data: the gate point of a TPU, and plots whose code says where they are.

- A cemetery's gate is given as `gate_lon`/`gate_lat` (both or neither) and must lie in the city.
- A plot's code is `<TPU>-<blok>-<row>-<no>`; when the file has no `block_code`, `row_number` or
  `plot_number` column, they are read from the code (`TPU01-A-3-12` → block `TPU01-A`, row 3,
  plot 12), so a plain list of plot codes and outlines is enough.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection

from geo_assets.io.batch import Batch, ewkb
from geo_assets.io.geometry_checks import check_geometries

PLOT_CODE_PARTS = ("block_code", "row_number", "plot_number")


def derive_plot_columns(batch: Batch) -> None:
    """Fill absent block_code / row_number / plot_number columns from the plot code."""
    code = batch.columns.get("code")
    missing = [name for name in PLOT_CODE_PARTS if name not in batch.columns]
    if code is None or not missing:
        return
    parts = code.astype(str).str.strip().str.rsplit("-", n=2, expand=True)
    if parts.shape[1] < 3:
        parts = parts.reindex(columns=range(3))
    derived = {"block_code": parts[0], "row_number": parts[1], "plot_number": parts[2]}
    for name in missing:
        batch.columns[name] = derived[name].where(parts[2].notna(), "")


def complete_cemeteries(connection: Connection, batch: Batch) -> None:  # noqa: ARG001
    """The gate point from gate_lon/gate_lat, checked like any geometry."""
    lon, lat = batch.values["gate_lon"], batch.values["gate_lat"]
    given = ~pd.isna(lon) & ~pd.isna(lat)
    for index in np.flatnonzero(pd.isna(lon) != pd.isna(lat)):
        batch.problems.add(
            int(index),
            "gate_lon" if pd.isna(lon[index]) else "gate_lat",
            "is empty while the other gate coordinate is given",
            "both gate_lon and gate_lat, or neither",
        )
    gates = np.full(len(batch), None, dtype=object)
    gates[given] = shapely.points(lon[given].astype(float), lat[given].astype(float))
    batch.values["gate_geom"] = ewkb(
        check_geometries(
            gates,
            "Point",
            batch.area,
            batch.area_text,
            batch.problems,
            reported=~given,
            field_name="gate",
        )
    )
