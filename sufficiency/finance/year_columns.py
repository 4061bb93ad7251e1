"""A budget with a column per financial year: ``Cost line``, ``Budget 2026-27``,
``Budget 2027-28`` (or ``2026/27``, ``2027/28``), as a medium-term financial plan lays it out.

Such a sheet was refused: each year's column "unknown ... ignored", then
"required column is missing" for the figure and the year, though both were there, the
year in each column's heading. Each such column is now read as its year's budget, the
sheet read as one table per year (a note names the columns and years). Two columns for
one year as versions of its budget (``Original budget 2026-27``, ``Revised budget
2026-27``) were "unknown ... ignored" too, that year compared with no budget: the most
current is now read (:data:`~sufficiency.finance.budget_versions.ORDER`, a plain
``Budget 2026-27`` after a revised one and before an original), the others named as not
read. Two columns for one year of the same standing (``Budget 2026-27``, ``2026/27``) are
not guessed between: the sheet is read as before, and refused.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.finance.budget_versions import ORDER
from sufficiency.finance.year_sheets import YEAR_COLUMN, year_in_name
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: What a year's column heading may say besides its year: Budget, Budget £, FY, Net budget.
_ASIDE = re.compile(
    rf"(?:(?P<version>{'|'.join(ORDER)})_)?(net_)?(budget(_gbp)?)?(_fy)?|fy(_budget)?"
)
#: Where a plain heading (``Budget 2026-27``) stands among the versions: after a revised one.
_PLAIN = ORDER.index("approved") - 0.5
_YEAR_TEXT = re.compile(r"(?:fy\s*)?(?:20)?\d\d\s*[-/_ ]\s*(?:20)?\d\d", re.IGNORECASE)


def _year_of(label: str) -> str | None:
    """The financial year a budget column's heading names (``Budget 2026-27``: 2026-27),
    ``None`` for any other heading."""
    year = year_in_name(label)
    rest = column_key(_YEAR_TEXT.sub(" ", label))
    return year if year is not None and _ASIDE.fullmatch(rest) else None


def _standing(label: str) -> float:
    """Where a year's column heading stands among the budget's versions (revised first)."""
    found = _ASIDE.fullmatch(column_key(_YEAR_TEXT.sub(" ", label)))
    version = found["version"] if found else None
    return ORDER.index(version) if version else _PLAIN


def _most_current(raw: RawTable, years: dict[object, str]) -> tuple[list[object], str] | None:
    """Each year's most current column, and a sentence naming those not read; ``None``
    when two of a year's columns stand alike."""
    chosen, unread = [], []
    for fy in dict.fromkeys(years.values()):
        cols = sorted((c for c in years if years[c] == fy),
                      key=lambda c: _standing(raw.column_label(str(c))))  # fmt: skip
        ranks = [_standing(raw.column_label(str(c))) for c in cols]
        if len(set(ranks)) != len(ranks):
            return None
        chosen.append(cols[0])
        unread += [repr(raw.column_label(str(c))) for c in cols[1:]]
    said = (
        f"; of a year's versions the most current is read, {' and '.join(unread)} not"
        if unread
        else ""
    )
    return chosen, said


def year_columns(raw: RawTable) -> list[RawTable] | None:
    """One table per financial year when ``raw`` gives a column per year (each with its
    year's column as ``budget_gbp`` and the year as ``financial_year``); ``None`` for any
    other table."""
    names = [column_key(str(c)) for c in raw.data.columns]
    if any(n in ("budget_gbp", "budget", YEAR_COLUMN) for n in names):
        return None
    found = {c: _year_of(raw.column_label(str(c))) for c in raw.data.columns}
    years = {c: str(y) for c, y in found.items() if y is not None}
    if not years or (current := _most_current(raw, years)) is None:
        return None
    cols, unread = current
    said = ", ".join(f"{raw.column_label(str(c))} as {years[c]}'s" for c in cols)
    note = Problem(raw.source, None, None, None,
                   f"gives a column per financial year: read {said} budget{unread}",
                   severity="warning", code="year_columns")  # fmt: skip
    raw = replace(raw, data=raw.data.drop(columns=[c for c in years if c not in cols]))
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
