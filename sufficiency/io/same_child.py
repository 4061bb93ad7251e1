"""Referrals that may be one child referred twice under two IDs.

Two teams can each refer a child, under two IDs: matching would then propose two
placements for one child and take a place from another. Referrals with the same date of
birth, sex and home postcode, different IDs and no sibling group in common are warned
of, naming the rows and IDs only (never the date of birth or postcode); twins the
referrals do not group as siblings are warned of too, since the referrals cannot tell
them from one child. A blank home postcode (unaccompanied children, whose dates of birth
are often assessed as 1 January) is not compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable
from sufficiency.vocabulary import listed


def same_child_problems(raw: RawTable, table: pd.DataFrame, label: str) -> list[Problem]:
    """A warning per set of referrals that may be one child (see the module's
    description), at the first row's ``label`` (the child ID column as the file names it)."""
    postcode = table["home_postcode"].astype("string").str.upper()
    postcode = postcode.str.replace(r"\s+", "", regex=True).mask(postcode == "")
    keys = pd.DataFrame({
        "d": pd.to_datetime(table["dob"], errors="coerce"), "s": table["sex"].astype("string"),
        "p": postcode, "g": table["sibling_group"].astype("string"),
        "c": table["child_id"].astype("string"), "i": np.arange(len(table)),
    }).dropna(subset=["d", "s", "p", "c"])  # fmt: skip
    out = []
    for _, rows in keys.groupby(["d", "s", "p"], sort=True):
        if rows["c"].nunique() < 2:
            continue  # one ID on two rows is the duplicate child_id check's
        groups = rows["g"].dropna()
        if len(groups) == len(rows) and groups.nunique() == 1:
            continue  # twins (or more) referred as one sibling group
        at = np.sort(rows["i"].to_numpy(np.int64))
        idx = table.index[at]
        numbers = listed([str(raw.row_number(int(i))) for i in idx])
        ids = listed([str(table.at[i, "child_id"]) for i in idx])
        out.append(Problem(
            raw.source, raw.row_number(int(idx[0])), label, None,
            f"rows {numbers} ({ids}) have the same date of birth, sex and home postcode "
            "under different IDs, in no sibling group together: they may be the same child "
            "referred twice (two placements would then be proposed for one child, taking a "
            "place from another) or twins. Check; give twins one sibling_group.",
            severity="warning", code="maybe_same_child",
        ))  # fmt: skip
    return out
