"""An episodes table giving each child's ``CHILD`` on their first row only.

A report grouped by child (a pivot table in tabular form without "Repeat All Item
Labels", a report whose child column hides repeated values) writes a child's ID on the
first of their episodes and leaves it blank on the rest. Read as written, every later
episode had no child and was set aside: the sample's 2025-26 episodes so written left
677 rows out and counted 471 children looked after on 31/03/2026, not 869. Such a table
is told by its blank rows chaining on to the row above (the episode starts the day the
one above ended, as a child's next episode does: :data:`CHAINED` of them, at least
:data:`MIN_ROWS`); each blank row in it, directly below a row with a child or another
such row, is read as that child's, and named. A lone blank ``CHILD`` is left set aside.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

#: The finding's code, and the phrase the data-quality summary says it in after a count.
FILLED_DOWN = "child_filled_down"
PHRASE = (
    "episode row(s) with a blank CHILD below their child's first row (a report giving "
    "each child's ID once): read as that child's"
)
#: Share of the blank rows that must start the day the row above ended, and how many.
CHAINED = 0.6
MIN_ROWS = 3


class _Rows(Protocol):
    def rows(self, df: pd.DataFrame, mask: pd.Series | np.ndarray, column: str | None,
             code: str, message: str, action: str, severity: str = ...) -> None: ...  # fmt: skip


def fill_down(f: pd.DataFrame, found: _Rows) -> pd.DataFrame:
    """``f`` (one episodes table as strings, in file order, with ``_row``) with each blank
    ``CHILD`` filled from the row above where the table is laid out so."""
    blank = f["CHILD"].isna() & f["DECOM"].notna()
    if int(blank.sum()) < MIN_ROWS:
        return f
    chained = blank & (f["DECOM"] == f["DEC"].shift()).fillna(False)
    if float(chained.sum()) < CHAINED * float(blank.sum()):
        return f
    # runs of consecutive spreadsheet rows: a row removed between (one with more cells
    # than the header) breaks a run, so no row takes the child of a row not directly above
    rows = f["_row"].to_numpy(np.int64)
    run = np.cumsum(np.r_[True, rows[1:] != rows[:-1] + 1])
    filled = f["CHILD"].groupby(run).ffill()
    hit = blank & filled.notna()
    found.rows(f, hit, "CHILD", FILLED_DOWN,
               "CHILD is blank below a row with one, as a report grouped by child writes "
               "each child's ID on their first row only: read as that child's",
               "read as the CHILD of the row above", "warning")  # fmt: skip
    return f.assign(CHILD=f["CHILD"].mask(hit, filled))


__all__ = ["FILLED_DOWN", "PHRASE", "fill_down"]
