"""A gap between a column of figures and a column of words printed after it.

Figures and dates align right, words left: printed, a quarter ending "Jun 2026" ran into
the category beside it ("Jun 2026 In-house foster care", read as one phrase), and the
headers over them into one ("Quarter Category / ending"), on the forecast's Supply vs
demand, Shortfall and External purchases sheets. :func:`indent_after_figures` indents such
a column of words (its header too) by one character.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from typing import Any

from openpyxl.utils import get_column_letter


def _figure(value: object) -> bool:
    """A cell the spreadsheets align right: a number or a date (not a yes or no), or a
    formula (ours work out sums and differences: the Scenario comparison's difference)."""
    if isinstance(value, str):
        return value.startswith("=")
    return isinstance(value, int | float | dt.date) and not isinstance(value, bool)


def indent_after_figures(ws: Any, header_row: int = 1) -> list[int]:
    """Each column (from 1) of the table whose header is in ``header_row`` holding words,
    where the column left of it holds figures or dates, indented one character, header and
    cells, and one character wider; returns the columns indented. The table ends at its
    first blank row (a note under it is no column's)."""
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        if all(c.value is None for c in row):
            break
        rows.append(row)
    kinds = []
    for j in range(ws.max_column):
        values = [r[j].value for r in rows if j < len(r) and r[j].value is not None]
        kinds.append(
            "figures" if values and all(_figure(v) for v in values)
            else "words" if values and all(isinstance(v, str) and not _figure(v) for v in values)
            else None
        )  # fmt: skip
    done = []
    for j in range(1, len(kinds)):
        if kinds[j - 1] != "figures" or kinds[j] != "words":
            continue
        for cell in [ws.cell(row=header_row, column=j + 1), *(r[j] for r in rows)]:
            if cell.value is None or (cell.row > header_row and _figure(cell.value)):
                continue
            alignment = copy(cell.alignment)
            alignment.indent = max(alignment.indent or 0, 1)
            if alignment.horizontal in (None, "general"):
                alignment.horizontal = "left"
            cell.alignment = alignment
        dimension = ws.column_dimensions[get_column_letter(j + 1)]
        dimension.width = (dimension.width or 9) + 1
        done.append(j + 1)
    return done


def _printed(value: object, number_format: str) -> str:
    """``value`` about as a number format prints it (pounds and thousands, decimals)."""
    if not _figure(value) or isinstance(value, str | dt.date):
        return str(value)
    assert isinstance(value, int | float)
    places = (
        len(number_format.split(".")[1].split(";")[0].rstrip('%"')) if "." in number_format else 0
    )
    text = f"{value:,.{places}f}"
    return ("£" if "£" in number_format else "") + text + ("%" if "%" in number_format else "")


def widen_to_contents(ws: Any, header_row: int = 1) -> list[int]:
    """Each column of the table whose header is in ``header_row`` at least as wide as its
    header's longest word in bold and its widest figure as printed, a character either
    side: given one width for every column, the commissioning workbook's Sensitivity broke
    "Recommended" mid-word and printed its costs (£197,652,456) edge to edge. Returns the
    columns widened."""
    from sufficiency.io.xlsx_text import width_for_words

    done = []
    for j in range(1, ws.max_column + 1):
        head = ws.cell(row=header_row, column=j).value
        least = width_for_words(head) if isinstance(head, str) else 0
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=j, max_col=j):
            if _figure(cell.value) and not isinstance(cell.value, str):
                least = max(least, len(_printed(cell.value, cell.number_format)) + 2)
        dimension = ws.column_dimensions[get_column_letter(j)]
        if (dimension.width or 8.43) < least:
            dimension.width = least
            done.append(j)
    return done
