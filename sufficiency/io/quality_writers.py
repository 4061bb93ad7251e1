"""Show a :class:`~sufficiency.io.quality.DataQuality` record: CSV, a workbook sheet, HTML.

Every analytic output says what was done to the council's data to produce it: the
summary at the top of a "Data quality" sheet and section, the full detail in
``data_quality.csv``.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.quality import DataQuality

QUALITY_CSV = "data_quality.csv"
#: Rows of findings shown in a workbook sheet; the CSV holds them all.
SHEET_MAX_ROWS = 5000
_COLUMNS = ("file", "row", "column", "problem", "action")


def write_quality_csv(quality: DataQuality | None, out_dir: Path) -> Path | None:
    """Write ``data_quality.csv`` (file, row, column, problem, action, severity, code)."""
    if quality is None:
        return None
    table = quality.table()
    text = str(table.to_csv(index=False, lineterminator="\n"))
    return atomic_write_text(Path(out_dir) / QUALITY_CSV, text)


def add_quality_sheet(wb: Workbook, quality: DataQuality | None) -> None:
    """A "Data quality" sheet: the summary lines, then one row per finding."""
    if quality is None:
        return
    ws = wb.create_sheet("Data quality")
    ws["A1"] = "What was read, repaired and set aside in the 903 history"
    ws["A1"].font = Font(bold=True, size=12)
    row = 3
    for line in quality.summary_lines():
        ws.cell(row=row, column=1, value=line)
        row += 1
    table = quality.table()
    row += 1
    if table.empty:
        ws.cell(row=row, column=1, value="Nothing needed repairing or setting aside.")
        return
    for j, name in enumerate(_COLUMNS, start=1):
        cell = ws.cell(row=row, column=j, value=name.capitalize())
        cell.font = Font(bold=True)
    shown = table.head(SHEET_MAX_ROWS)
    for rec in shown.itertuples(index=False):
        row += 1
        ws.cell(row=row, column=1, value=rec.file)
        ws.cell(row=row, column=2, value=None if pd.isna(rec.row) else int(rec.row))
        ws.cell(row=row, column=3, value=rec.column)
        ws.cell(row=row, column=4, value=rec.problem).alignment = Alignment(wrap_text=True)
        ws.cell(row=row, column=5, value=rec.action).alignment = Alignment(wrap_text=True)
    if len(table) > len(shown):
        ws.cell(row=row + 2, column=1,
                value=f"{len(table) - len(shown):,} more rows in {QUALITY_CSV}.")  # fmt: skip
    for col, width in zip("ABCDE", (48, 8, 22, 60, 45), strict=True):
        ws.column_dimensions[col].width = width


def quality_html(quality: DataQuality | None) -> str:
    """An HTML section: the summary lines and the count of each kind of finding."""
    if quality is None:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in quality.summary_lines())
    return (
        "<h2>Data quality</h2><p class='note'>What was read, repaired and set aside in the 903 "
        f"history; every finding is in {QUALITY_CSV}.</p><ul>{items}</ul>"
    )
