"""Turn raw cell values (text from CSV, typed values from GDAL) into checked Python values.

Each parser works on a whole column at once: it parses each distinct value once (a column of
14,000 wattages has a handful of them) and returns the values with a mask of the bad ones.
Numbers tolerate decimal commas and thousands separators as Indonesian spreadsheets write them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def blank_mask(column: pd.Series) -> np.ndarray:
    """True where a cell is empty: missing, NaN, or only whitespace."""
    missing = column.isna().to_numpy(bool)
    if column.dtype == object:
        text = column.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(bool)
        return missing | text
    return missing


def number_from_text(value: object) -> float | None:
    """A number from a cell: `1.5`, `1,5`, `1.500.000`, `1.500,75`, `1 500`; None if it is not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return None if math.isnan(number) else number
    text = _SPACES.sub("", str(value))
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def date_from_value(value: object) -> date | None:
    """A date from a cell: a date/datetime, or text as YYYY-MM-DD or DD/MM/YYYY; None if not."""
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def text_from_value(value: object) -> str:
    """A cell as text; a whole number typed as float by GDAL (`12.0`) reads back as `12`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_column(
    column: pd.Series, parse: Callable[[object], object | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct non-blank value once: (values, blank mask, bad mask).

    `values` is an object array of plain Python values (None where blank or bad), ready for COPY.
    """
    blank = blank_mask(column)
    raw = column.to_numpy(object)
    filled = np.flatnonzero(~blank)
    codes, uniques = pd.factorize(raw[filled])
    parsed = np.empty(len(uniques), dtype=object)
    parsed[:] = [parse(value) for value in uniques]
    values = np.full(len(raw), None, dtype=object)
    values[filled] = parsed[codes]
    bad = np.zeros(len(raw), dtype=bool)
    bad[filled] = np.array([value is None for value in parsed], dtype=bool)[codes]
    return values, blank, bad
