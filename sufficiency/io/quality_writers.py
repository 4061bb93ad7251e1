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
from sufficiency.io.csv_text import csv_text
from sufficiency.io.quality import DataQuality
from sufficiency.io.xlsx import narrow_to_page, print_a4_landscape, wrapped_lines
from sufficiency.io.xlsx_style import BOLD, WRAP

QUALITY_CSV = "data_quality.csv"
#: Rows of findings shown in a workbook sheet; the CSV holds them all.
SHEET_MAX_ROWS = 5000
_COLUMNS = ("file", "row", "column", "problem", "action")
_TOP = Alignment(vertical="top")
#: Column widths (characters) of file, row, column, problem, action at most (a column as
#: wide as its longest value, its header whole) ...
_WIDTHS = (48, 8, 22, 60, 45)
#: ... and at least, the columns of text narrowed (they wrap) to fit an A4 landscape page
#: at full size: at their widest (183 characters) the sheet printed one page wide at 57%.
_LEAST = {0: 20, 2: 12, 3: 30, 4: 24}


def _widths(table: pd.DataFrame) -> list[int]:
    """The columns' widths for the findings ``table`` (none: the summary lines across a
    page's width)."""
    if table.empty:
        return narrow_to_page(list(_WIDTHS), _LEAST)
    widths = []
    for name, most in zip(_COLUMNS, _WIDTHS, strict=True):
        lengths = table[name].dropna().astype(str).str.len()  # (a whole file's: no row)
        longest = int(lengths.max()) if len(lengths) else 0
        widths.append(min(most, max(len(name) + 2, longest + 2)))
    return narrow_to_page(widths, _LEAST)


def write_quality_csv(quality: DataQuality | None, out_dir: Path) -> Path | None:
    """Write ``data_quality.csv`` (file, row, column, problem, action, severity, code)."""
    if quality is None:
        return None
    table = quality.table()
    text = csv_text(table)
    return atomic_write_text(Path(out_dir) / QUALITY_CSV, text)


def add_quality_sheet(wb: Workbook, quality: DataQuality | None) -> None:
    """A "Data quality" sheet: the summary lines, then one row per finding."""
    if quality is None:
        return
    ws = wb.create_sheet("Data quality")
    ws["A1"] = "What was read, repaired and set aside in the 903 history"
    ws["A1"].font = Font(name="Calibri", bold=True, size=12)
    table = quality.table()
    # widths first, findings or not: a summary line wraps across columns A-E, and its
    # row is as tall as its lines at that width (default widths cut the lines off)
    widths = _widths(table)
    for col, width in zip("ABCDE", widths, strict=True):
        ws.column_dimensions[col].width = width
    print_a4_landscape(ws)  # one page wide, at full size: the sheet prints readably
    row = 3
    for line in quality.summary_lines():
        cell = ws.cell(row=row, column=1, value=line.strip())
        cell.alignment = Alignment(
            wrap_text=True, vertical="top", horizontal="left", indent=2 * line.startswith(" ")
        )
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_COLUMNS))
        ws.row_dimensions[row].height = 15 * wrapped_lines(line, sum(widths) - 4)
        row += 1
    row += 1
    if table.empty:
        ws.cell(row=row, column=1, value="Nothing needed repairing or setting aside.")
        return
    header_row = row
    for j, name in enumerate(_COLUMNS, start=1):
        cell = ws.cell(row=row, column=j, value=name.capitalize())
        cell.font = BOLD
    shown = table.head(SHEET_MAX_ROWS)
    for rec in shown.itertuples(index=False):
        row += 1
        ws.cell(row=row, column=1, value=rec.file).alignment = WRAP
        ws.cell(
            row=row, column=2, value=None if pd.isna(rec.row) else int(rec.row)
        ).alignment = _TOP
        ws.cell(row=row, column=3, value=rec.column).alignment = WRAP
        ws.cell(row=row, column=4, value=rec.problem).alignment = WRAP
        ws.cell(row=row, column=5, value=rec.action).alignment = WRAP
        # wrapped cells need their height set: spreadsheets do not grow rows on opening
        texts = (rec.file, "", rec.column, rec.problem, rec.action)
        lines = max(wrapped_lines(str(v or ""), w) for v, w in zip(texts, widths, strict=True))
        ws.row_dimensions[row].height = 15 * lines + 2
    if len(table) > len(shown):
        ws.cell(row=row + 2, column=1,
                value=f"{len(table) - len(shown):,} more rows in {QUALITY_CSV}.")  # fmt: skip
    ws.print_title_rows = f"{header_row}:{header_row}"


def quality_html(quality: DataQuality | None, where: str = QUALITY_CSV) -> str:
    """An HTML section: the summary lines and the count of each kind of finding; ``where``
    says where the findings are listed, for a reader who cannot open the output folder."""
    if quality is None:
        return ""
    items: list[str] = []
    for line in quality.summary_lines():
        if line.startswith("  ") and items:  # a finding under "Repaired or set aside"
            nested = f"<li>{html.escape(line.strip())}</li>"
            if items[-1].endswith("</ul></li>"):
                items[-1] = items[-1][: -len("</ul></li>")] + nested + "</ul></li>"
            else:
                items[-1] = items[-1][: -len("</li>")] + f"<ul>{nested}</ul></li>"
        else:
            items.append(f"<li>{html.escape(line)}</li>")
    # with no finding, "every finding is in data_quality.csv" sent a reader to an empty file
    said = (
        f"What was read, repaired and set aside in the 903 history; every finding is in "
        f"{html.escape(where)}."
        if quality.problems
        else "What was read in the 903 history: nothing in it was repaired or set aside."
    )
    return f"<h2>Data quality</h2><p class='note'>{said}</p><ul>{''.join(items)}</ul>"
