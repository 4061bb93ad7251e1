"""Totals by financial year under the Monthly, Quarterly and Financial years tables.

The tables ended in one "Total" row adding every row: on the Monthly sheet of the run on
the 31 March 2026 return, the closed year 2025-26 (estimated from the 903 history) and
three projected years, £273m, which a finance reader takes for a year's spend. Each
financial year now has a total row of its own, its label saying how many of its months
are from the history and how many forecast; no total adds two years together, except the
Financial years sheet's, labelled as the total of the forecast months it adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.finance.pence import penny_sum
from sufficiency.io.xlsx_style import BOLD, GBP
from sufficiency.io.xlsx_text import wrapped_lines

#: Said under a table with totals by year.
YEAR_TOTALS_NOTE = (
    " Totals are by financial year: no total adds two years, nor a year's months "
    "estimated from the 903 history to forecast months."
)


@dataclass(frozen=True)
class TableRow:
    """A row of a period table: its financial year, the calendar months it covers
    (``2026-04``), the forecast months it adds (indexes into the projection) and, for a
    month before the forecast start, its spend by cost line from the history (``None``
    when forecast)."""

    year: str
    months: tuple[str, ...]
    forecast: tuple[int, ...]
    history: np.ndarray | None = None


def year_label(year: str, rows: Sequence[TableRow]) -> str:
    """``2026-27 total`` and a line saying what it adds: ``forecast``, ``from history``
    (every month before the forecast start) or ``history + forecast`` (an outturn); a year
    the table has only part of, its months (``2028-29 part year`` ``6 months forecast``)."""
    past = len({m for r in rows if r.history is not None for m in r.months})
    ahead = len({m for r in rows if r.history is None for m in r.months})
    if past and ahead:
        return f"{year} outturn\nhistory + forecast"
    kind = "from history" if past else "forecast"
    if len({m for r in rows for m in r.months}) == 12:
        return f"{year} total\n{kind}"
    return f"{year} part year\n{vocabulary.counted(past or ahead, 'month')} {kind}"


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in bold in a column ``width`` characters wide."""
    return wrapped_lines(text, width, bold=True)  # 2025-26 total on one line at 14


def write_year_totals(
    ws: Worksheet,
    rows: Sequence[TableRow],
    top: int,
    first_line_col: int,
    num_lines: int,
    total_paths: np.ndarray,
    label_width: float,
) -> int:
    """Under a table whose data rows are ``top``.. (one per ``rows``, a year's rows
    together), a row per financial year: each cost line's SUM over the year's rows, the
    Total (mean) adding them, and the year's P10/P50/P90 (percentiles of each simulated
    path's total over the year's forecast months, plus its months from the history,
    which have no range; blank for a year all from the history). Returns the last row."""
    years = list(dict.fromkeys(r.year for r in rows))
    r = top + len(rows)  # the row after the table: left blank
    total_col = first_line_col + num_lines
    for year in years:
        r += 1
        mine = [k for k, row in enumerate(rows) if row.year == year]
        first, last = top + mine[0], top + mine[-1]
        label = year_label(year, [rows[k] for k in mine])
        cell = ws.cell(row=r, column=1, value=label)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        ws.row_dimensions[r].height = 15 * _lines(label, label_width) + 2
        for col in range(first_line_col, total_col):
            letter = get_column_letter(col)
            c = ws.cell(row=r, column=col, value=f"=SUM({letter}{first}:{letter}{last})")
            c.number_format = GBP  # plain: at 11 characters, £34,680,930 in bold was ###
        a, b = get_column_letter(first_line_col), get_column_letter(total_col - 1)
        c = ws.cell(row=r, column=total_col, value=f"=SUM({a}{r}:{b}{r})")
        c.number_format = GBP
        idx = [i for k in mine for i in rows[k].forecast]
        if not idx:
            continue
        past = [rows[k].history for k in mine if rows[k].history is not None]
        known = float(penny_sum(np.array(past))) if past else 0.0
        q = np.quantile(total_paths[:, idx].sum(axis=1), (0.1, 0.5, 0.9)) + known
        for k, value in enumerate(q):
            ws.cell(row=r, column=total_col + 1 + k, value=round(float(value), 2)
                    ).number_format = GBP  # fmt: skip
    return r


def span_total(
    ws: Worksheet,
    row: int,
    first_line_col: int,
    num_lines: int,
    top: int,
    last: int,
    label: str,
    label_width: float,
) -> None:
    """The Financial years sheet's one total over its rows (all forecast), labelled with
    the months it adds: ``Total 2026-04 to 2029-03 (36 months)``."""
    cell = ws.cell(row=row, column=1, value=label)
    cell.font = BOLD
    cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.row_dimensions[row].height = 15 * _lines(label, label_width) + 2
    for col in range(first_line_col, first_line_col + num_lines + 1):
        letter = get_column_letter(col)
        c = ws.cell(row=row, column=col, value=f"=SUM({letter}{top}:{letter}{last})")
        c.number_format, c.font = GBP, BOLD
