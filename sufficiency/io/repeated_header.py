"""A 903 table's header row repeated among its rows: files joined one after another.

A council joining two exports of one table (``copy a.csv+b.csv``, or pasting a second
sheet below the first, its column names and all) leaves the second file's header row
among the data. Read as data it is a row whose ``CHILD`` is ``CHILD`` and every date
``DECOM``: the analytic commands set it aside as no child, and ``validate`` refused the
file with an error for each of its columns (12 for an episodes table). Such a row is
left out before either reads the table, and named in a warning; so is a total or note
row below the rows (:mod:`.total_row903`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable
from sufficiency.io.total_row903 import drop_total_rows

#: A row repeats the header when at least this many of its cells, and every one that is
#: not blank, are the names of their columns.
MIN_NAMES = 2


def drop_repeated_headers(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` without the rows that repeat its header row, and a warning for each."""
    raw, notes = _drop_headers(raw)
    raw, totals = drop_total_rows(raw)  # a Total line below the rows, too
    return raw, notes + totals


def _drop_headers(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    data = raw.data
    if data.empty or "child" not in data.columns:
        return raw, []
    names = data.astype("string").apply(lambda s: s.map(column_key, na_action="ignore"))
    own = {c: column_key(raw.column_label(c)) for c in data.columns}
    same = np.column_stack([(names[c] == own[c]).fillna(False).to_numpy(bool) for c in own])
    filled = data.notna().to_numpy(bool)
    repeat = (same.sum(axis=1) >= MIN_NAMES) & (same == filled).all(axis=1)
    repeat &= same[:, list(own).index("child")]
    if not repeat.any():
        return raw, []
    rows = data.index[repeat]
    notes = [
        raw.problem(i, "child", None,
                    "row repeats the header row (two files joined one after the other?): "
                    "not read as data", severity="warning", code="repeated_header",
                    action="left out")
        for i in rows
    ]  # fmt: skip
    return replace(raw, data=data.drop(index=rows)), notes
