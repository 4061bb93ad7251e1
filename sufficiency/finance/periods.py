"""Months as a council's ledger names them: periods ``P1`` ... ``P12``, ``M1`` ... ``M12``,
or the month's name alone (``April``), the year being the row's or the sheet's.

A council's financial year runs April to March and its ledger numbers the months as
periods: P1 (or M1, Month 1) is April, P12 March. A budget by month given so, or with
its months named without a year (``April`` ... ``March`` across a sheet named
``Budget 2026-27``), was refused ("unknown column ... ignored" twelve times, then
"required column is missing"), or, with the periods as rows, every row set aside ("is
not a month such as 2025-04"): the spend compared with no budget. Each is now dated
from its row's financial year (P1 of 2026-27 is April 2026, January of 2026-27 is
January 2027), in a note saying so. A grid of periods with no year on its rows or in
its sheet's name is refused, saying to name the sheet for its year or add the column.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.finance.year_sheets import year_in_name
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: A period as a ledger writes it: P1, P01, Per 1, Period 1, M1, Mth 1, Month 1.
_PERIOD = re.compile(r"\s*(?:p|per|period|m|mth|month)\s*[-_.]?\s*0?(1[0-2]|[1-9])\s*", re.I)
#: A month's name alone: April, Apr, Sept.
_NAMES = {
    **{calendar.month_name[n].lower(): n for n in range(1, 13)},
    **{calendar.month_abbr[n].lower(): n for n in range(1, 13)},
    "sept": 9,
}
#: A column heading given its month: ``P1 (Apr 2026)``.
_DATED = re.compile(r".*\(([A-Z][a-z]{2} \d{4})\)")


def calendar_month(text: object) -> int | None:
    """The calendar month (1-12) a period or a month's name alone gives: ``P1`` and
    ``April`` are 4, ``M10`` is 1; ``None`` for anything else."""
    s = str(text).strip()
    if found := _PERIOD.fullmatch(s):
        return (int(found[1]) + 2) % 12 + 1
    return _NAMES.get(s.lower().rstrip("."))


def dated(fy: str, month: int) -> str:
    """``2026-04`` for April of 2026-27, ``2027-01`` for January of it."""
    start = int(fy[:4])
    return f"{start + (month < 4)}-{month:02d}"


def with_dated_labels(month: Callable[[object], str | None]) -> Callable[[object], str | None]:
    """``month``, also reading a heading dated by :func:`periods_across` (``P1 (Apr 2026)``)."""

    def read(text: object) -> str | None:
        found = _DATED.fullmatch(str(text))
        return month(text) or (month(found[1]) if found else None)

    return read


def _year_column(raw: RawTable) -> str | None:
    return next((c for c in raw.data.columns if column_key(str(c)) == "financial_year"), None)


def periods_across(raw: RawTable) -> list[RawTable] | None:
    """A grid whose twelve columns are periods or month names: one table per financial
    year of its rows, each heading dated (``P1 (Apr 2026)``) so the grid reader reads it;
    ``None`` for any other table.

    Raises
    ------
    InputDataError
        No financial year is given for the periods: on no row, nor in the sheet's name.
    """
    heads = {c: calendar_month(raw.column_label(str(c))) for c in raw.data.columns}
    cols = [c for c, m in heads.items() if m is not None]
    if len(cols) != 12 or sorted(m for m in heads.values() if m) != list(range(1, 13)):
        return None
    year = _year_column(raw)
    years = pd.Series(dtype="string")
    if year is not None:
        years = raw.data[year].map(lambda v: year_in_name(str(v)), na_action="ignore")
    first, last = raw.column_label(str(cols[0])), raw.column_label(str(cols[-1]))
    if year is None or years.isna().all():
        raise InputDataError([Problem(
            raw.source, None, None, None,
            f"gives its months as periods or month names across ({first} to {last}) but no "
            "financial year to date them: name the sheet for its year (2026-27) or give each "
            "row's financial_year (P1 is April)", code="malformed_file",
        )])  # fmt: skip
    out: list[RawTable] = []
    for fy in sorted(years.dropna().unique()):
        rows = raw.data[years == fy]
        columns = {**raw.original_columns}
        for c in cols:
            y, m = dated(str(fy), int(heads[c] or 0)).split("-")
            columns[c] = f"{raw.column_label(str(c))} ({calendar.month_abbr[int(m)]} {y})"
        note = Problem(raw.source, None, None, None,
                       f"gives its months as periods or month names ({first} to {last}): read "
                       f"as the months of each row's financial year, {first} of {fy} as "
                       f"{columns[cols[0]][len(first) + 2 : -1]}", severity="warning",
                       code="periods")  # fmt: skip
        notes = (*raw.notes, note) if not out else (note,)
        out.append(replace(raw, data=rows, original_columns=columns, notes=notes))
    return out


def periods_as_months(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """A budget by month whose months are periods or names alone (``P1``, ``April``):
    each dated in place from its row's financial year (already read as ``2026-27``), and
    a note saying so; none when no month is so written."""
    if "month" not in table.columns:
        return []
    given = table["month"].notna() & table["financial_year"].notna()
    months = table.loc[given, "month"].map(calendar_month)
    read = months.notna()
    if not read.any():
        return []
    idx = months.index[read.to_numpy(bool)]
    table.loc[idx, "month"] = [dated(str(table.at[i, "financial_year"]), int(months[i]))
                               for i in idx]  # fmt: skip
    first = idx[0]
    label = next((raw.column_label(str(c)) for c in raw.data.columns
                  if column_key(str(c)) in ("month", "period")), "month")  # fmt: skip
    return [Problem(
        raw.source, None, label, None,
        "gives its months as periods or month names: each is read as a month of its row's "
        f"financial year (P1 is April), as on row {raw.row_number(int(first))}, "
        f"{calendar.month_name[int(months[first])]} of {table.at[first, 'financial_year']}",
        severity="warning", code="periods",
    )]  # fmt: skip
