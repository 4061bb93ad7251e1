"""A budget with a column per financial year: ``Cost line``, ``Budget 2026-27``,
``Budget 2027-28`` (or ``2026/27``, ``2027/28``), as a medium-term financial plan lays it out.

Such a sheet was refused: each year's column "unknown ... ignored", then
"required column is missing" for the figure and the year, though both were there, the
year in each column's heading. Each such column is now read as its year's budget, the
sheet read as one table per year (a note names the columns and years). Two columns for
one year (``Original budget 2026-27``, ``Revised budget 2026-27``) are not guessed
between: the sheet is read as before, and refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.finance.year_sheets import YEAR_COLUMN, year_in_name
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: What a year's column heading may say besides its year: Budget, Budget £, FY, Net budget.
_ASIDE = re.compile(r"(net_)?(budget(_gbp)?)?(_fy)?|fy(_budget)?")
_YEAR_TEXT = re.compile(r"(?:fy\s*)?(?:20)?\d\d\s*[-/_ ]\s*(?:20)?\d\d", re.IGNORECASE)


def _year_of(label: str) -> str | None:
    """The financial year a budget column's heading names (``Budget 2026-27``: 2026-27),
    ``None`` for any other heading."""
    year = year_in_name(label)
    rest = column_key(_YEAR_TEXT.sub(" ", label))
    return year if year is not None and _ASIDE.fullmatch(rest) else None


def year_columns(raw: RawTable) -> list[RawTable] | None:
    """One table per financial year when ``raw`` gives a column per year (each with its
    year's column as ``budget_gbp`` and the year as ``financial_year``); ``None`` for any
    other table."""
    names = [column_key(str(c)) for c in raw.data.columns]
    if any(n in ("budget_gbp", "budget", YEAR_COLUMN) for n in names):
        return None
    years = {c: _year_of(raw.column_label(str(c))) for c in raw.data.columns}
    cols = [c for c, y in years.items() if y is not None]
    if not cols or len({years[c] for c in cols}) != len(cols):
        return None
    said = ", ".join(f"{raw.column_label(str(c))} as {years[c]}'s" for c in cols)
    note = Problem(raw.source, None, None, None,
                   f"gives a column per financial year: read {said} budget",
                   severity="warning", code="year_columns")  # fmt: skip
    out: list[RawTable] = []
    for c in sorted(cols, key=lambda c: str(years[c])):
        fy = str(years[c])
        data = raw.data.drop(columns=[o for o in cols if o != c]).rename(columns={c: "budget_gbp"})
        data[YEAR_COLUMN] = pd.Series(fy, index=data.index, dtype="string")
        columns = {k: v for k, v in raw.original_columns.items() if k not in cols}
        label = raw.column_label(str(c))
        columns |= {"budget_gbp": label, YEAR_COLUMN: f"{YEAR_COLUMN} (the column {label!r})"}
        notes = (*raw.notes, note) if not out else ()
        out.append(replace(raw, data=data, original_columns=columns, notes=notes))
    return out
