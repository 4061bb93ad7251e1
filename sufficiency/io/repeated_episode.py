"""An episode written twice in one return, as ``validate`` names it.

A return with rows repeated (an export run twice into one file, last month's rows pasted
in again) holds the same episode on two rows: the same child, start, end, placement type
and legal status. The forecast counts it once (``duplicate_episode``, a warning), but
``validate`` called each repeat an error, "child is in two overlapping episodes (this and
row 2): check their DECOM and DEC": the sample's 2025-26 return with 100 rows repeated
gave 100 such errors, sending the user to look for an overlap that is a copy, and
``--strict`` refused a history the forecast reads whole. Each repeat is now a warning
naming the row it repeats, and is left out of the overlap check (which still names two
episodes of one child that differ).
"""

from __future__ import annotations

import pandas as pd

#: What makes two rows one episode (as the forecast's reconciling of a return has it).
SAME = ["CHILD", "DECOM", "DEC", "PLACE", "LS"]
CODE = "duplicate_episode"


def repeats(ep: pd.DataFrame) -> pd.Series:
    """For each row of ``ep`` (typed; ``CHILD`` and ``DECOM`` given) that repeats an
    earlier row's episode, that row's index; other rows absent."""
    known = ep.dropna(subset=["CHILD", "DECOM"])
    key = known[SAME].astype("string").fillna("")
    again = key.duplicated(keep="first")
    first = key.reset_index().groupby(SAME, sort=False)["index"].transform("first")
    first.index = key.index
    return first[again]


MESSAGE = "episode repeated in this return (the same child, start, end, placement and legal "
MESSAGE += "status as row {row}): counted once"

__all__ = ["CODE", "MESSAGE", "SAME", "repeats"]
