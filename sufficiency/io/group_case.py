"""Sibling group codes written in another case or spacing (``G1`` and ``g1``): one group.

Children sharing a ``sibling_group`` are placed together (and are exempt from each
other's who-lives-alongside rules). A referrals list kept by hand writes a family's code
as it comes: ``Smith1`` on one row, ``smith1`` or ``SMITH 1`` on a sibling's, often by
two workers. Read as written they were two groups: the siblings could be split with no
split counted or explained, only a "sibling group has only one member" warning on each
row. A placement team reads them as one family, as matching reads children's IDs
(case and spaces aside, :func:`~sufficiency.io.ids.fold_id`): the codes are read as one
group, under the spelling of its first row, and a warning names the rows (never the code,
often the family's name), so the team checks they are siblings.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.ids import fold_id
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows


def one_spelling(raw: RawTable, column: str) -> tuple[RawTable, list[Problem]]:
    """``raw`` with each ``column`` (the file's sibling_group column) code written as the
    group's first row writes it where codes differ only in case or spaces, and a warning
    per such group naming its rows."""
    if column not in raw.data.columns:
        return raw, []
    cells = raw.data[column]
    given = cells[cells.notna() & (cells.astype("string").str.strip() != "")].astype(str)
    if given.empty:
        return raw, []
    folded = given.map(fold_id)
    first = given.groupby(folded, sort=False).transform("first")
    problems: list[Problem] = []
    for _, codes in given.groupby(folded, sort=False):
        if codes.str.strip().nunique() < 2:
            continue
        rows = [raw.row_number(int(i)) for i in codes.index]
        problems.append(raw.problem(
            None, column, None,
            f"rows {some_rows(rows)} write one sibling group's code in different case or "
            "spacing: read as one group, to be placed together, as matching reads children's "
            "IDs (case and spaces aside); check these children are siblings, and give them "
            "different codes if they are not",
            severity="warning", code="group_spelling",
        ))  # fmt: skip
    same = pd.Series(cells, copy=True)
    same.loc[first.index] = first.to_numpy()
    return replace(raw, data=raw.data.assign(**{column: same})), problems
