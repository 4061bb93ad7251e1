"""A sibling set aside for errors, on ``matches.csv``: the ``sibling_note`` of each of their
brothers and sisters matched tonight says that a sibling of the group (by row of the
referrals file, never by ID: the note is not pseudonymised as text) is set aside and not
matched, so the home proposed may have no place for them. Before, only the input warning
at the set-aside row said so (:mod:`sufficiency.io.siblings_aside`), and the matched
siblings' rows read as a whole group kept together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.matching.problem import MatchProblem
from sufficiency.vocabulary import listed


def with_siblings_aside(
    prob: MatchProblem, notes: np.ndarray, set_aside: pd.DataFrame | None
) -> np.ndarray:
    """``notes`` (one per child of ``prob``) with, for each child whose ``sibling_group`` a
    set-aside referral row gives (``set_aside``'s ``sibling_group``, as
    :func:`sufficiency.io.siblings_aside.siblings_set_aside` records it), that sentence."""
    if set_aside is None or "sibling_group" not in set_aside or not len(set_aside):
        return notes
    refs = set_aside[(set_aside["file_kind"] == "referrals") & set_aside["sibling_group"].notna()]
    groups = prob.referrals["sibling_group"].astype("string")
    out = notes.copy()
    for group, rows in refs.groupby(refs["sibling_group"].astype(str), sort=True):
        at = (groups == group).fillna(False).to_numpy(bool)
        if not at.any():
            continue
        where = listed([f"row {r} of {f}" for f, r in zip(rows["file"], rows["row"], strict=True)])
        them = "them" if len(rows) > 1 else "that child"
        said = (f"a sibling of group {group} ({where}) is set aside for errors and not matched "
                f"tonight: the home proposed may have no place for {them}; correct the row and "
                "run again before agreeing this placement")  # fmt: skip
        out[at] = [f"{n}; {said}" if n else said for n in out[at]]
    return out
