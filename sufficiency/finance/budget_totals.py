"""A budget sheet's total and subtotal rows, left out in one sentence.

Every finance budget sheet has them: a ``Sub-total`` under a group of lines, a ``Total``
at the foot, each summing the lines above. ``spend --budget`` set each aside as an
error with the cost line's whole list of choices ("must be one of: all,
external_residential, ... (value 'Sub-total')"), so a sheet as finance keeps it read
as if it were wrong. Such a row is now recognised by a label cell (the cost line, the
financial year or a column of its own, such as a cost code or description) that reads
``Total``, ``Sub-total``, ``Subtotal``, ``Grand total`` or ``Total placements``, where
the cost line is not one of the lines, or by a budget by month's month cell reading
``Total`` or ``Year total`` (a line's twelve months summed under them, which set the
whole line aside, "short of" a month it was not), and left out before the lines are read, with a
warning saying so. It is never read as a line, so nothing is counted twice; the whole
placements budget is the line ``all`` (All placements), as the sentence says. A cost
file's ``Total`` under the placements it lists (its category not a category) is left out
alike.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable
from sufficiency.vocabulary import counted

#: A cell that labels its row a total: ``Total``, ``Sub-total``, ``Sub total``,
#: ``Subtotal``, ``Grand total``, ``Total placements``, ``TOTAL 2026-27``, ``Year total``.
TOTAL = re.compile(r"\s*(grand|sub|year|full[\s-]*year)?[\s-]*totals?\b.*", re.IGNORECASE)
#: Columns whose cells are figures, never a row's label.
_FIGURES = ("budget_gbp", "budget")
#: A budget by month's month column: ``Total`` there is a line's year, whatever its line.
_MONTH = ("month", "period")


def total_rows(
    raw: RawTable, lines: dict[str, str], *, line: str = "cost_line", noun: str = "budget row"
) -> tuple[RawTable, list[Problem]]:
    """``raw`` without its total and subtotal rows, and a warning naming them (none if it
    has none). ``lines``: the choices of its column ``line`` (lower case -> code): a row
    whose ``line`` is one of them is a line, whatever its other cells say. ``noun``: what
    a row of the file is called (the cost file's: ``row of the cost file``)."""
    keys = {c: column_key(str(c)) for c in raw.data.columns}
    labels = [c for c, k in keys.items() if k not in _FIGURES]
    line_col = next((c for c, k in keys.items() if k == line), None)
    month_col = next((c for c, k in keys.items() if k in _MONTH), None)
    found: dict[int, str] = {}
    for index, row in raw.data[labels].astype("string").iterrows():
        given = row[line_col] if line_col is not None else pd.NA
        month = row[month_col] if month_col is not None else pd.NA
        a_line = pd.notna(given) and str(given).strip().lower() in lines
        if a_line and (pd.isna(month) or not TOTAL.fullmatch(str(month))):
            continue  # a line, whatever its other cells say, but for its year's total
        said = next((str(v).strip() for v in row.dropna() if TOTAL.fullmatch(str(v))), None)
        if said is not None:
            found[int(str(index))] = said
    if not found:
        return raw, []
    rows = "; ".join(f"row {raw.row_number(i)} {said!r}" for i, said in found.items())
    kept = raw.data.drop(index=list(found))
    given = kept[line_col].astype("string").str.strip().str.lower() if line_col else None
    whole = given is not None and bool((given.map(lines.get) == "all").any())
    message = (
        f"{counted(len(found), noun)} "
        f"{'is a total' if len(found) == 1 else 'are totals'} of the lines above, not a "
        f"line of {'its' if len(found) == 1 else 'their'} own ({rows}): left out, so no "
        "line is counted twice"
        + ("" if whole or noun != "budget row" else " (to compare the whole placements "
           "budget, give it as the line 'all', All placements)")
    )  # fmt: skip
    note = Problem(raw.source, None, None, None, message, severity="warning", code="total_row")
    return dataclasses.replace(raw, data=kept), [note]
