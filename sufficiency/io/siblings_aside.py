"""A sibling whose referral is set aside for errors, while their brothers and sisters are
matched tonight: the plan holds the rest of the group together, but knows nothing of the
one set aside, so the home it proposes for them may have no place for that child. Before,
nothing said so: the set-aside row was listed for its error, and its siblings' proposals
read as a whole group kept together. Now a warning at the set-aside row names the
siblings matched without them (console, ``validate``, ``summary.json`` ``input_notes``,
the report's Input notes), and the set-aside rows carry their ``sibling_group`` for the
matched siblings' ``sibling_note`` (:mod:`sufficiency.matching.aside_siblings`).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import NightTable, RawTable
from sufficiency.vocabulary import listed

SIBLING_SET_ASIDE = "sibling_set_aside"


def siblings_set_aside(raw: RawTable, table: pd.DataFrame, night: NightTable,
                       key: str) -> NightTable:  # fmt: skip
    """``night`` with a warning per set-aside referral row of ``table`` (every row read,
    by file index) whose ``sibling_group`` was read and is given by a referral matched
    tonight (``night.table``), naming those siblings by ID; ``key``: the file's own
    sibling_group column."""
    found = sibling_warnings(raw, table, night, raw.column_label(key))
    problems = tuple(sorted((*night.problems, *found), key=Problem.sort_key))
    if not found:
        return night
    # each set-aside row's group, for its matched siblings' sibling_note on matches.csv
    group = {raw.row_number(int(i)): g for i, g in table["sibling_group"].items()}
    rows = night.set_aside["row"]
    aside = night.set_aside.assign(sibling_group=[group.get(int(r)) for r in rows])
    return replace(night, problems=problems, set_aside=aside)


def sibling_warnings(
    raw: RawTable, table: pd.DataFrame, night: NightTable, label: str
) -> list[Problem]:
    """The warnings of :func:`siblings_set_aside`, at ``label`` (the column as named)."""
    if "sibling_group" not in table or not len(night.set_aside):
        return []
    kept = night.table
    group_of = kept["sibling_group"].astype("string")
    rows = {raw.row_number(int(i)): i for i in table.index}
    out = []
    for row, ident in night.set_aside[["row", "id"]].itertuples(index=False):
        group = table.at[rows[int(row)], "sibling_group"] if int(row) in rows else pd.NA
        if pd.isna(group):
            continue
        matched = sorted(str(c) for c in kept.loc[(group_of == str(group)).fillna(False).to_numpy(
            bool), "child_id"])  # fmt: skip
        if not matched:
            continue
        who = "this child" if ident is None else str(ident)
        them, are = ("them", "are") if len(matched) > 1 else (matched[0], "is")
        out.append(Problem(
            raw.source, int(row), label, None,
            f"{who}, of sibling group {group}, is set aside for errors, so "
            f"{listed(matched)} {are} matched tonight without {who}: a home proposed for "
            f"{them} may have no place for {who}. Correct this row and run again before "
            "agreeing their placements.",
            severity="warning", code=SIBLING_SET_ASIDE,
        ))  # fmt: skip
    return out
