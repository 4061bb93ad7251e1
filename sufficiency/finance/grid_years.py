"""A budget grid whose months across run over two financial years or more (``Apr-26`` ...
``Mar-28``), and the grid of periods (:mod:`~sufficiency.finance.periods`): each read as
a budget per year.

Finance keeps the medium-term budget as one grid, a row per cost line and a column per
month for two or three years. It was refused ("the months across are not one financial
year's twelve"): the spend compared with no budget. When the months across are whole
financial years, each twelve once, each month is now read as its year's: the grid is
read as one grid per year (a note names the years), each added up to its line's budget
for that year and profiled by its months. A grid short of a month in any year is still
refused, naming the year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.finance.periods import periods_across
from sufficiency.finance.year_columns import year_columns
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable


def _year_of(month: str) -> str:
    """``2026-27`` for ``2026-04`` ... ``2027-03``."""
    y, m = int(month[:4]), int(month[5:7])
    start = y if m >= 4 else y - 1
    return f"{start}-{(start + 1) % 100:02d}"


def years_across(raw: RawTable, month: Callable[[object], str | None]) -> list[RawTable] | None:
    """One table per financial year when ``raw``'s months across are two or more whole
    financial years (each keeping its year's month columns and every other column);
    ``None`` for any other table (one year's grid is read by
    :mod:`~sufficiency.finance.budget_grid`, which refuses a grid it cannot read)."""
    names = [column_key(str(c)) for c in raw.data.columns]
    if any(n in ("budget_gbp", "budget", "financial_year") for n in names):
        return None
    read = {c: month(raw.column_label(str(c))) for c in raw.data.columns}
    cols = [c for c, m in read.items() if m is not None]
    if len(cols) <= 12:
        return None
    by_year: dict[str, list[object]] = {}
    for c in cols:
        by_year.setdefault(_year_of(str(read[c])), []).append(c)
    if any(len({read[c] for c in cs}) != 12 or len(cs) != 12 for cs in by_year.values()):
        return None
    first, last = raw.column_label(str(cols[0])), raw.column_label(str(cols[-1]))
    note = Problem(raw.source, None, None, None,
                   f"gives {len(cols)} months across ({first} to {last}), {len(by_year)} "
                   f"financial years: each month is read as its year's "
                   f"({', '.join(sorted(by_year))})", severity="warning",
                   code="months_as_columns")  # fmt: skip
    out: list[RawTable] = []
    for fy in sorted(by_year):
        others = [c for c in cols if c not in by_year[fy]]
        columns = {k: v for k, v in raw.original_columns.items() if k not in others}
        notes = (*raw.notes, note) if not out else ()
        out.append(replace(raw, data=raw.data.drop(columns=others), original_columns=columns,
                           notes=notes))  # fmt: skip
    return out


def budget_grids(
    path: object, read: Callable[[Path], RawTable], month: Callable[[object], str | None]
) -> list[RawTable] | None:
    """The budget, read by ``read`` from ``path`` (or given as a table), as one table per
    financial year when it is a grid of months over several years or of periods, or gives
    a column per year (:mod:`~sufficiency.finance.year_columns`); ``None``
    for any other budget (and a CSV or workbook that ``read`` cannot read: it is read
    again, and refused, by the budget's reader)."""
    if isinstance(path, pd.DataFrame):
        return None
    raw = path if isinstance(path, RawTable) else read(Path(str(path)))
    return periods_across(raw) or years_across(raw, month) or year_columns(raw)
