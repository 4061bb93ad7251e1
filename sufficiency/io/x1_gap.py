"""An episode ending ``X1`` whose successor starts days later: one period of care.

``REC`` X1 says the episode ended and a new one started the same day; a next episode
whose ``RNE`` is not S (a change of placement or legal status, not a new period of
care) says the same. Case systems that record a placement's end as the last night in
it (the next placement starting the following day), or a date typed a day out, leave
a gap of a day or more between the two. Read as written, each such gap was a child
leaving care and coming back: the 2025-26 return of the sample with 40 of its changes
of placement one day apart counted 39 more starts (364, not 325) and 40 more exits,
with nothing said. Here the X1 episode ends when the next one starts, and each row is
named, so the period of care stays whole, as both codes say. A gap of more than a week
(:data:`MAX_GAP_DAYS`) is left as written.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

#: The longest gap read so: a day out, or a few (a weekend). A longer one is left as
#: written: the child's whereabouts between are unknown, and joined it would count them
#: in care on days (a 31 March) that the return covering them may not.
MAX_GAP_DAYS = 7
#: The finding's code (``validate`` lists it as a warning too).
X1_GAP = "x1_gap"
X1_MESSAGE = (
    "episode ends X1 (a new episode starts the same day), but the child's next episode, "
    "not a new period of care (its RNE is not S), starts up to a week later"
)
X1_ACTION = (
    "read as ending when the next episode starts: one period of care, not a leaving and a return"
)
#: One phrase after a count, for the summaries.
X1_PHRASE = (
    "episode(s) ending X1 whose child's next episode starts days later: read as meeting it "
    "(one period of care)"
)


def x1_gaps(ep: pd.DataFrame) -> np.ndarray:
    """Which rows of ``ep`` (sorted by CHILD and DECOM) end X1 a day to a week before
    their child's next episode, not a new period of care, starts."""
    child = ep["CHILD"].to_numpy(object)
    same = np.r_[child[1:] == child[:-1], False]
    start = ep["DECOM"].to_numpy("datetime64[ns]")
    nxt_start = np.r_[start[1:], np.datetime64("NaT")]
    end = ep["DEC"].to_numpy("datetime64[ns]")
    rec = ep["REC"].astype("string").str.strip().str.upper().fillna("").to_numpy(str)
    rne = ep["RNE"].astype("string").str.strip().str.upper().fillna("").to_numpy(str)
    nxt_rne = np.append(rne[1:], "")
    gap = nxt_start - end
    later = ~np.isnat(end) & ~np.isnat(nxt_start) & (end < nxt_start)
    later &= gap <= np.timedelta64(MAX_GAP_DAYS, "D")
    return same & later & (rec == "X1") & (nxt_rne != "S")


def join_x1_gaps(ep: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """``ep`` sorted by CHILD and DECOM, each X1 episode followed up to a week later by its
    child's next (not a new period of care) ending when that one starts; and which rows
    were."""
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    gap = x1_gaps(ep)
    if gap.any():
        dec = ep["DEC"].to_numpy("datetime64[ns]").copy()
        dec[gap] = np.r_[ep["DECOM"].to_numpy("datetime64[ns]")[1:], np.datetime64("NaT")][gap]
        ep = ep.assign(DEC=dec)
    return ep, gap


#: An X1 episode no episode follows: the finding's code, words and action.
X1_UNFOLLOWED = "x1_unfollowed"
X1_UNFOLLOWED_MESSAGE = (
    "episode ends X1 (a new episode starts the same day), but no episode of the child "
    "starts that day in this return or a later one"
)
X1_UNFOLLOWED_ACTION = (
    "read as the child leaving care that day, as the episodes held say: check the return "
    "for the missing episode"
)


def x1_unfollowed(ep: pd.DataFrame) -> np.ndarray:
    """Which rows of ``ep`` (sorted by CHILD and DECOM, gaps joined) end X1 with no episode
    of their child starting that day. Read as written, the sample's 2025-26 return with
    10 children's open episodes after an X1 lost counted 859 children looked after on
    31/03/2026, not 869, and 10 more exits, with nothing said."""
    child = ep["CHILD"].to_numpy(object)
    same = np.r_[child[1:] == child[:-1], False]
    end = ep["DEC"].to_numpy("datetime64[ns]")
    nxt_start = np.r_[ep["DECOM"].to_numpy("datetime64[ns]")[1:], np.datetime64("NaT")]
    rec = ep["REC"].astype("string").str.strip().str.upper().fillna("").to_numpy(str)
    met = same & (nxt_start == end)
    return (rec == "X1") & ~np.isnat(end) & ~met


class _Rows(Protocol):
    def rows(self, df: pd.DataFrame, mask: pd.Series | np.ndarray, column: str | None,
             code: str, message: str, action: str, severity: str = ...) -> None: ...  # fmt: skip


def name_unfollowed(ep: pd.DataFrame, found: _Rows) -> None:
    """Add to ``found`` a warning for each row of ``ep`` that :func:`x1_unfollowed` finds."""
    found.rows(ep, x1_unfollowed(ep), "REC", X1_UNFOLLOWED, X1_UNFOLLOWED_MESSAGE,
               X1_UNFOLLOWED_ACTION, "warning")  # fmt: skip
