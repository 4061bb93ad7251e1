"""A budget workbook kept as finance keeps it: one sheet per financial year, its year only
in the sheet's name (``2026-27``, ``Budget 2027-28``).

Such a workbook was refused ("column financial_year: required column is missing") with
instructions to add the column: the year was there, in each sheet's name, and no figure
of any sheet was compared. Each sheet whose name gives one financial year, and whose table
has no ``financial_year`` column, is now read as that year's budget, a note saying which
sheet was read as which year. A sheet hidden in Excel is read only when no sheet named
for a year is visible (:mod:`~sufficiency.finance.hidden_years`). Two sheets naming the
same year (``2026-27 draft`` and ``2026-27 final``) are refused, naming both: which is
the budget is not known. A sheet named by no year in such a workbook is not read, and
named.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.finance.hidden_years import shown_years
from sufficiency.finance.thousands import HEADING
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable, read_tables

#: A financial year in a sheet's name: 2026-27, 2026/27, 2026-2027, FY26-27 (20 implied).
_YEAR = re.compile(r"(?<!\d)(?:20)?(\d\d)\s*[-/_ ]\s*(?:20)?(\d\d)(?!\d)")
#: A budget's columns, one of which a year's sheet has.
_BUDGET_COLUMNS = ("cost_line", "budget_gbp", "budget")
#: The column a sheet's year is given as.
YEAR_COLUMN = "financial_year"


def year_in_name(title: str) -> str | None:
    """``2026-27`` from a sheet named ``2026-27``, ``Budget 2026/27``, ``FY26-27`` or
    ``2026-2027``; ``None`` for a name with no financial year or with two (``2026-27 v
    2025-26``)."""
    years = {
        f"20{a}-{b}"
        for a, b in _YEAR.findall(title)
        if (int(a) + 1) % 100 == int(b)  # one year to the next: not 2026-28, not a date
    }
    return years.pop() if len(years) == 1 else None


def _sheet(t: RawTable, only: str = "") -> str:
    """The sheet ``t`` was read from (``only``: the workbook's one sheet's name)."""
    return t.source[t.source.rindex("[") + 1 : -1] if t.source.endswith("]") else only


def _only_sheet(path: Path) -> str:
    """The name of a workbook's sheet when it has one (its table's source does not say it)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return str(wb.sheetnames[0]) if len(wb.sheetnames) == 1 else ""
    finally:
        wb.close()


def _budget_like(t: RawTable) -> bool:
    """Whether a sheet's table has a budget's column (a cover named 'Budget 2026-27' has not)."""
    return any(column_key(str(c)) in _BUDGET_COLUMNS or HEADING.fullmatch(column_key(str(c)))
               for c in t.data.columns)  # fmt: skip


def year_sheets(path: object) -> list[RawTable] | None:
    """Each sheet of a budget workbook kept a sheet per year, with its year as column
    ``financial_year`` (and a note saying which sheet was read as which year); ``None``
    for any other file (a CSV, a table with its own ``financial_year`` column, a workbook
    with sheets are not named by year).

    Raises
    ------
    InputDataError
        Two sheets name the same year.
    """
    if not isinstance(path, Path | str) or Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    path = Path(path)
    tables = read_tables(path, allow_empty=True)  # a Notes sheet of one line: no table
    if any(column_key(str(c)) == YEAR_COLUMN for t in tables for c in t.data.columns):
        return None
    only = _only_sheet(path) if len(tables) == 1 else ""
    named = [(t, year_in_name(_sheet(t, only)) if _budget_like(t) else None) for t in tables]
    read = [(t, y) for t, y in named if y is not None]
    if not read:
        return None
    read, hidden = shown_years(path, read, lambda t: _sheet(t, only))
    by_year: dict[str, list[str]] = {}
    for t, y in read:
        by_year.setdefault(y, []).append(_sheet(t, only))
    twice = {y: s for y, s in by_year.items() if len(s) > 1}
    if twice:
        raise InputDataError([
            Problem(str(path), None, None, None,
                    f"has {len(s)} sheets named for {y} ({', '.join(s)}): which is the "
                    "budget is not known; delete or rename the others", code="malformed_file")
            for y, s in twice.items()
        ])  # fmt: skip
    empty = [_sheet(t, only) for t, _ in read if t.data.empty]
    if len(empty) == len(read):  # no figure in any: refused, as an empty budget sheet is
        raise InputDataError([Problem(str(path), None, None, None, "has a sheet per financial "
                                      f"year ({', '.join(empty)}) but no budget row in any",
                                      code="malformed_file")])  # fmt: skip
    read = [(t, y) for t, y in read if not t.data.empty]
    others = [_sheet(t, only) for t, y in named if y is None and _sheet(t, only) not in hidden]
    others += [f"{e} (no rows)" for e in empty]
    others += [f"{h} (hidden in Excel: unhide it to read it)" for h in hidden]
    said = ", ".join(f"sheet {_sheet(t, only)!r} as {y}'s budget" for t, y in read)
    left = f"; sheet(s) {', '.join(others)} not read" if others else ""
    note = Problem(str(path), None, None, None,
                   f"gives a sheet per financial year, its year in the sheet's name only: read "
                   f"{said}{left}", severity="warning", code="year_sheets")  # fmt: skip
    out = []
    for i, (t, y) in enumerate(read):
        data = t.data.assign(**{YEAR_COLUMN: pd.Series(y, index=t.data.index, dtype="string")})
        columns = {**t.original_columns, YEAR_COLUMN: f"{YEAR_COLUMN} (the sheet's name)"}
        notes = (note, *t.notes) if i == 0 else t.notes
        out.append(replace(t, data=data, original_columns=columns, notes=notes))
    return out


def budget_by_sheet(
    sheets: list[RawTable], read: Callable[[RawTable], tuple[pd.DataFrame, list[str]]]
) -> tuple[pd.DataFrame, list[str]]:
    """Each year's sheet ``read`` as a budget (its lines kept, what was said), the lines
    put together and the notes in the sheets' order."""
    parts = [read(t) for t in sheets]
    kept = [p[0] for p in parts if len(p[0])]
    table = pd.concat(kept, ignore_index=True) if kept else parts[0][0]
    notes = [n for p in parts for n in p[1]]
    if len(table):  # a sheet with no line left: its year alone goes without a budget
        notes = [n.replace("so the spend is compared with no budget", "so its year is "
                           "compared with no budget") for n in notes]  # fmt: skip
    return table, notes
