"""A budget grid whose month headings (or its total's) say the figures are in thousands:
``Apr-26 £k`` ... ``Mar-27 £k``, ``Apr-26 (£000)``, ``Total £k``.

A title above the grid saying ``Figures in £000`` was heeded
(:mod:`~sufficiency.finance.thousands`); the same said on each month's heading was not:
``Apr-26 £k`` was no month, so the grid was refused ("unknown column ... ignored"
twelve times, then "required column is missing"). Worse, a grid headed ``Apr-26`` ...
``Mar-27`` with a ``Total £k`` column was read in pounds, silently, its total left
out: £72m compared as £72,000. A month heading's thousands mark is now set aside to
read its month, and the grid read in thousands, in a warning naming the headings that
said so; a figure written with its own multiplier (``£6m``) is taken as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sufficiency.finance.budget_grid import TOTAL_COLUMN
from sufficiency.finance.thousands import OWN_MULTIPLIER, Thousands
from sufficiency.io.tables import RawTable

#: A heading's thousands mark at its end: ``£k``, ``£000``, ``£'000``, ``(£000s)``, ``(000)``,
#: ``[£k]``, ``£ thousands``.
MARK = re.compile(
    r"\s*(?:[(\[]\s*£?\s*'?(?:000s?|k|thousands?)\s*[)\]]|£\s*'?(?:000s?|k|thousands?))\s*$",
    re.IGNORECASE,
)


def unmarked(month: Callable[[object], str | None]) -> Callable[[object], str | None]:
    """``month``, reading a heading's month with its thousands mark set aside
    (``Apr-26 £k``: ``2026-04``)."""

    def read(text: object) -> str | None:
        return month(text) or month(MARK.sub("", str(text)))

    return read


def grid_in_thousands(raw: RawTable, month: Callable[[object], str | None]) -> Thousands | None:
    """What says ``raw``'s grid of months is in thousands (its month headings, or its total
    column's, marked ``£k`` or ``£000``) with the rows a month of which has its own
    multiplier; ``None`` when no month heading or total is marked so, or ``raw`` has no
    months across."""
    labels = {c: raw.column_label(str(c)) for c in raw.data.columns}
    months = [c for c, label in labels.items() if month(label) is not None]
    if not months:
        return None
    marked = [labels[c] for c in months if MARK.search(labels[c])]
    total = [
        label
        for c, label in labels.items()
        if c not in months and MARK.search(label) and TOTAL_COLUMN.fullmatch(MARK.sub("", label))
    ]
    if marked:
        said = (f"the mark on its month headings ({marked[0]!r} to {marked[-1]!r})"
                if len(marked) > 1 else f"the mark on its month heading {marked[0]!r}")  # fmt: skip
    elif total:
        said = f"its total column's heading {total[0]!r}"
    else:
        return None
    cells = raw.data[months].astype("string")
    own = cells.apply(lambda col: col.str.contains(OWN_MULTIPLIER, regex=True)).fillna(False)
    rows = frozenset(int(i) for i in raw.data.index[own.any(axis=1).to_numpy(bool)])
    return Thousands(said, rows)
