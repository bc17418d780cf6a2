"""An office's survey workbook on its way into the import pipeline: headers, labels, its own ids.

A public-works office keeps its lamps in a sheet with Indonesian headers (`NO`, `ID PJU`,
`NAMA JALAN`, `JENIS LAMPU`, `DAYA (WATT)`, `KONDISI`, `LINTANG`, `BUJUR`, …) and its own labels
(`SON-T`, `Nyala`, `Rusak berat`). This module maps both onto our columns and vocabularies and
hands the importer the same `SourceTable` a CSV gives. Decisions:
- `ID PJU` / `KODE` (and the like) is the office's own id, kept as `office_id`; a survey has no
  codes of ours, so codes are made from the kecamatan (as for any file without a `code` column).
  A `KODE` column whose every value already is one of our codes is read as our code instead.
- An office id may appear once per file, and not on a lamp already stored: a survey imported
  twice would otherwise double every lamp.
- Problems name the sheet's header (`KONDISI`) and carry the row Excel shows and the sheet's NO.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, select

from geo_assets import tables
from geo_assets.errors import InvalidInput
from geo_assets.io.batch import Batch
from geo_assets.io.entities import EntitySpec, Field, Reference
from geo_assets.io.parsing import blank_mask
from geo_assets.io.report import Issue
from geo_assets.io.source import SourceTable
from geo_assets.io.spreadsheet import LAT, LON, ROW_LABEL, header_key, read_spreadsheet
from geo_assets.io.vocabulary import vocabulary_key
from geo_assets.models.lighting import LAMP_CODE_PATTERN

OFFICE_ID = "office_id"
# Header keys (see `header_key`) as surveys write them → our column names.
COMMON_HEADERS: dict[str, tuple[str, ...]] = {
    LON: ("lon", "long", "lng", "longitude", "x", "bujur", "bujur_timur", "bt", "koordinat_x"),
    LAT: ("lat", "latitude", "y", "lintang", "lintang_selatan", "ls", "koordinat_y"),
    ROW_LABEL: ("no", "nomor", "no_urut", "nomor_urut"),
}
# A survey's `KODE`/`ID` is the office's own id (in other files `kode` is our code; see
# `_our_codes_in_kode` for a survey that does carry our codes). The lamp's other headers are the
# aliases its registry entry gives (geo_assets.entities.lighting).
LAMP_HEADERS: dict[str, tuple[str, ...]] = {OFFICE_ID: ("kode", "kode_pju", "id")}
# Labels offices use that are not our vocabulary's (compared by `vocabulary_key`).
LAMP_LABELS: dict[str, dict[str, str]] = {
    "lamp_type": {
        **dict.fromkeys(("son_t", "son", "sont", "hps", "natrium", "sodium"), "sodium"),
        **dict.fromkeys(("merkuri", "mercury", "hpl_n", "hpln", "mvl"), "mercury"),
        **dict.fromkeys(("lhe", "cfl", "hemat_energi"), "cfl"),
    },
    "status": {
        **dict.fromkeys(("menyala", "nyala", "hidup", "baik"), "working"),
        **dict.fromkeys(("mati", "padam", "tidak_menyala", "tidak_nyala"), "out"),
        **dict.fromkeys(("rusak", "rusak_ringan", "rusak_berat"), "damaged"),
        **dict.fromkeys(("perbaikan", "dalam_perbaikan"), "in_repair"),
    },
}


def survey_headers(spec: EntitySpec) -> dict[str, str]:
    """Header key → column name for `spec`: its names and aliases, then the survey's own."""
    headers: dict[str, str] = {}
    items: list[Field | Reference] = [*spec.fields, *spec.references]
    for item in items:
        name = item.name if isinstance(item, Field) else item.column
        for alias in (name, *item.aliases):
            headers[header_key(alias)] = name
    extra = {**COMMON_HEADERS, **(LAMP_HEADERS if spec.name == "lamps" else {})}
    for name, keys in extra.items():
        headers.update(dict.fromkeys(keys, name))
    return headers


def read_survey(path: Path, spec: EntitySpec, *, sheet: str | None = None) -> SourceTable:
    """Read a sheet of a workbook for `spec` (points only), with the survey's labels mapped."""
    if spec.geometry_type != "Point":
        raise InvalidInput(
            f"{path.name}: a spreadsheet holds points (lamps, prayer rooms); import "
            f"{spec.name} from GeoJSON, GeoPackage or Shapefile."
        )
    source = read_spreadsheet(path, headers=survey_headers(spec), sheet=sheet)
    if spec.name == "lamps":
        _our_codes_in_kode(source)
        for column, labels in LAMP_LABELS.items():
            if column in source.frame:
                source.frame[column] = (
                    source.frame[column]
                    .map(lambda value, labels=labels: _label(value, labels))
                    .astype(object)
                )  # pandas would make it `str`, where "" is not blank
    return source


def _label(value: object, labels: Mapping[str, str]) -> object:
    """The vocabulary code of an office's label; anything else unchanged (checked later)."""
    return labels.get(vocabulary_key(value), value) if isinstance(value, str) else value


def _our_codes_in_kode(source: SourceTable) -> None:
    """A `KODE` column that holds only our codes is our `code`, not the office's id."""
    frame = source.frame
    if OFFICE_ID not in frame or "code" in frame:
        return
    filled = frame[OFFICE_ID][~blank_mask(frame[OFFICE_ID])].astype(str).str.strip()
    if len(filled) and filled.str.match(LAMP_CODE_PATTERN).all():
        source.frame = frame.rename(columns={OFFICE_ID: "code"})
        source.headers["code"] = source.headers.pop(OFFICE_ID)


def check_office_ids(connection: Connection, batch: Batch) -> None:
    """Refuse an office id given twice in the file, or already on a stored lamp."""
    ids = batch.values.get(OFFICE_ID)
    if ids is None:
        return
    if batch.repeated is not None:  # a slice of a larger file: repeats found in the whole file
        _check_repeated_office_ids(batch, ids, batch.repeated.get(OFFICE_ID, {}))
    first_seen: dict[str, int] = {}
    for index, office_id in enumerate(ids):
        if office_id is None:
            continue
        if office_id in first_seen and batch.repeated is None:
            batch.problems.add(
                index,
                OFFICE_ID,
                f"the office id '{office_id}' is also on {_row_name(batch, first_seen[office_id])}",
                "each lamp's own office id, once per file",
                office_id,
            )
        else:
            first_seen[office_id] = index
    lamp = tables.LAMP
    query = select(lamp.c.office_id, lamp.c.code).where(lamp.c.office_id.in_(list(first_seen)))
    stored = {row[0]: row[1] for row in connection.execute(query)} if first_seen else {}
    for index, office_id in enumerate(ids):
        if office_id in stored:
            batch.problems.add(
                index,
                OFFICE_ID,
                f"lamp {stored[office_id]} already has the office id '{office_id}' "
                "(was this survey imported before?)",
                "an office id not yet stored",
                office_id,
            )


def _check_repeated_office_ids(
    batch: Batch, ids: np.ndarray, repeated: dict[str, list[int]]
) -> None:
    """In a slice, refuse an office id that an earlier row of the file has (rows counted from 1)."""
    for index, office_id in enumerate(ids):
        rows = repeated.get(office_id) if office_id is not None else None
        if rows and rows[0] != batch.first_row + index + 1:
            batch.problems.add(
                index,
                OFFICE_ID,
                f"the office id '{office_id}' is also on row {rows[0]}",
                "each lamp's own office id, once per file",
                office_id,
            )


def _row_name(batch: Batch, index: int) -> str:
    lines = batch.source.line_numbers
    if batch.source.sheet is not None and lines is not None:
        return f"Excel row {int(lines[index])}"
    return f"row {index + 1}"


def label_issues(issues: list[Issue], source: SourceTable) -> list[Issue]:
    """Issues with the sheet's NO of their row and the sheet's own header as the field."""
    shown = {name: header for name, header in source.headers.items() if header}
    labels = source.row_labels
    result = []
    for issue in issues:
        no = "" if issue.row is None or labels is None else str(labels[issue.row - 1])
        field = shown.get(issue.field, issue.field)
        result.append(replace(issue, no=no, field=field))
    return result


def sheet_report_path(csv_path: Path) -> Path:
    """Where the .xlsx report goes: beside the CSV report, `.csv` → `.xlsx`."""
    return csv_path.with_suffix(".xlsx") if csv_path.suffix else Path(f"{csv_path}.xlsx")
