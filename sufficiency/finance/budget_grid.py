"""A budget sheet with its months as columns, read: a row per cost line, a column per month.

Finance keeps a budget by month as a grid: ``Cost line``, then ``Apr-26`` ... ``Mar-27``
(or ``April 2026``, ``2026-04``, or Excel dates shown as months), often a ``Total``.
Such a sheet was refused with a sentence saying to give the months as rows
(:mod:`~sufficiency.finance.budget_layout`). When its month columns are one financial
year's twelve months, once each, each row's twelve figures are now added up to its line's
year's budget, their order kept as the workbook's cumulative budget profile, as a budget
by month given as rows is; a note says so. A figure that is not a number, or blank, is
named by its row and month column, and its line set aside. A grid of months that are not
one year's twelve (two years across, a month missing) is still refused, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.finance.brackets import read_brackets
from sufficiency.finance.budget_layout import months_as_columns
from sufficiency.finance.credits import grid_credits, grid_money
from sufficiency.io.cells import parse_numbers
from sufficiency.io.money import read_money_cells
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: A grid's column of each row's year total, left out (the months are added up).
TOTAL_COLUMN = re.compile(r"(full[\s_-]*)?(year[\s_-]*)?totals?([\s_-].*)?|fy[\s_-]*total.*", re.I)


def grid_to_years(
    raw: RawTable, month: Callable[[object], str | None]
) -> tuple[RawTable, dict[int, tuple[float, ...]], list[Problem]]:
    """``raw`` as a budget by year when its months are columns (see the module), each
    row's twelve months (by index) and what was said; ``raw`` as it is otherwise.

    Raises
    ------
    InputDataError
        The months across are not one financial year's twelve, or no column names the lines.
    """
    refused = months_as_columns(raw, month)
    if refused is None:
        return raw, {}, []
    read = {c: month(raw.column_label(str(c))) for c in raw.data.columns}
    cols = [c for c, m in read.items() if m is not None]
    months = sorted({str(read[c]) for c in cols})
    first = int(months[0][:4]) if months[0][5:] >= "04" else int(months[0][:4]) - 1
    year = [f"{first + (m > 9)}-{(m + 2) % 12 + 1:02d}" for m in range(1, 13)]
    line = next((c for c in raw.data.columns if column_key(str(c)) == "cost_line"), None)
    why = ""
    if months != sorted(year) or len(cols) != 12:
        why = f"the months across are not one financial year's twelve, once each ({first}-"
        why += f"{(first + 1) % 100:02d}: April {first} to March {first + 1}): "
    elif line is None:
        why = "no column names the cost lines (cost_line): "
    if why:
        raise InputDataError([replace(refused, message=why + refused.message)])
    fy = f"{first}-{(first + 1) % 100:02d}"
    written = raw.data[cols].copy()  # as the file writes them, for the credits' note
    read_brackets(raw, tuple(str(c) for c in cols))  # (1,200): -1,200
    money = {(r, m[0]): m for c in cols for r, m in read_money_cells(raw, (str(c),)).items()}
    data = raw.data
    order = sorted(cols, key=lambda c: str(read[c]))
    figures = pd.DataFrame({c: parse_numbers(data[c]) for c in order}, index=data.index)
    problems = [*grid_money(raw, money), *grid_credits(raw, figures, written)]
    for c in order:
        for i in data.index[figures[c].isna().to_numpy(bool)]:
            text = data.at[i, c]
            problems.append(raw.problem(
                i, str(c), None if pd.isna(text) else str(text),
                ("is blank: give the figure, 0 where there is no budget" if pd.isna(text)
                 else "is not a number") + "; the line's twelve months cannot be added up",
            ))  # fmt: skip
    totals = figures.fillna(0).apply(lambda r: sum((Decimal(str(v)) for v in r), Decimal(0)),
                                     axis=1)  # fmt: skip
    profiles = {int(i): tuple(float(v) for v in figures.loc[i].fillna(0)) for i in data.index}
    dropped = [
        *cols,
        *(c for c in data.columns if TOTAL_COLUMN.fullmatch(raw.column_label(str(c)))),
    ]
    out = data.drop(columns=dropped)
    out["budget_gbp"] = totals.map(lambda d: format(d, "f")).astype("string")
    if not any(column_key(str(c)) == "financial_year" for c in out.columns):
        out["financial_year"] = pd.Series(fy, index=out.index, dtype="string")
    problems.append(Problem(
        raw.source, None, None, None,
        f"gives its months as columns ({raw.column_label(str(order[0]))} to "
        f"{raw.column_label(str(order[-1]))}): each row's twelve months are added up to its "
        f"line's {fy} budget, the workbook's cumulative budget profile following them"
        + ("; the total column is left out" if len(dropped) > len(cols) else ""),
        severity="warning", code="months_as_columns",
    ))  # fmt: skip
    return replace(raw, data=out), profiles, problems
