"""What a boundary import changed, printed for a person: features per area, moves, outside."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from cli.common import console

if TYPE_CHECKING:
    from geo_assets.io.boundaries import BoundaryReport

KINDS = {
    "lamps": "PJU",
    "roads": "jalan",
    "cemeteries": "TPU",
    "access-roads": "jalan akses",
    "prayer-rooms": "musala",
}
OUTSIDE_SHOWN = 20


def print_changes(report: BoundaryReport) -> None:
    """A table of features per area (before → after), then what now lies outside the city."""
    table = Table(report.entity, "nama", *KINDS.values(), title="sebelum → sesudah")
    for area, kinds in report.counts.items():
        cells = []
        for kind in KINDS:
            before, after = kinds.get(kind, (0, 0))
            cells.append(str(after) if before == after else f"{before} → {after}")
        table.add_row(area, report.area_names.get(area, "(dihapus)"), *cells)
    console.print(table)
    for kind, rows in report.moved.items():
        console.print(f"{len(rows)} {KINDS[kind]} pindah {report.entity}", highlight=False)
    for kind, codes in report.outside.items():
        shown = ", ".join(codes[:OUTSIDE_SHOWN])
        more = f" … (+{len(codes) - OUTSIDE_SHOWN})" if len(codes) > OUTSIDE_SHOWN else ""
        console.print(
            f"[yellow]{len(codes)} {KINDS[kind]} di luar kota:[/] {shown}{more}", highlight=False
        )
