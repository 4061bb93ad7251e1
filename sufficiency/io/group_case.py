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

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.ids import fold_id
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows


def one_spelling(raw: RawTable, groups: pd.Series, label: str) -> tuple[pd.Series, list[Problem]]:
    """``groups`` (the referrals' sibling_group as read, errors blank) with each code
    written as the group's first row writes it where codes differ only in case or
    spaces, and a warning per such group naming its rows (``label``: the file's column's
    key)."""
    given = groups.dropna().astype(str)
    if given.empty:
        return groups, []
    folded = given.map(fold_id)
    first = given.groupby(folded, sort=False).transform("first")
    problems: list[Problem] = []
    for _, codes in given.groupby(folded, sort=False):
        if codes.nunique() < 2:
            continue
        rows = [raw.row_number(int(i)) for i in codes.index]
        problems.append(raw.problem(
            None, label, None,
            f"rows {some_rows(rows)} write one sibling group's code in different case or "
            "spacing: read as one group, to be placed together, as matching reads children's "
            "IDs (case and spaces aside); check these children are siblings, and give them "
            "different codes if they are not",
            severity="warning", code="group_spelling",
        ))  # fmt: skip
    same = groups.copy()
    same.loc[first.index] = first.to_numpy()
    return same, problems
