"""Children in care at the end of the data whose episodes were set aside in reading.

The forecast starts from the children looked after on the last day the data cover; a
child whose open episode was set aside (a start date that is not a date, a ``CHILD``
whose digits Excel lost, no date of birth) is not among them. The summary's sentence
saying how many such children the forecast starts without counted only those set aside
for their date of birth: the 2025-26 return with 30 open episodes' starts unreadable and
20 ``CHILD`` in scientific notation started 60 children short and said 10. Here every
open episode set aside in the latest return counts: distinct children where the ``CHILD``
can be read and is in care on no other row, one child per row where it cannot (Excel's
lost digits make several children one: a child has one open episode at a time).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency import codes
from sufficiency.errors import Problem
from sufficiency.io.dates import eighteenth_birthdays

#: The columns of a set-aside episode row kept for the count, and where it came from.
_KEPT = ("CHILD", "DEC", "LS")


def aside_rows(ep: pd.DataFrame, mask: pd.Series | np.ndarray, year: int,
               lost: bool = False) -> pd.DataFrame:  # fmt: skip
    """The rows of one return's episodes ``ep`` set aside where ``mask`` holds; ``lost``:
    their ``CHILD`` cannot be read (Excel's scientific notation or rounding)."""
    rows = ep.loc[np.asarray(mask, dtype=bool), list(_KEPT)].copy()
    rows["collection_year"] = year
    rows["lost"] = lost
    return rows


def live_children(ep: pd.DataFrame, on: pd.Timestamp) -> pd.Index:
    """Children with an episode open on ``on`` that is not a short break (V3, V4)."""
    live = (ep["DECOM"] <= on) & (ep["DEC"].isna() | (ep["DEC"] > on))
    live &= ~ep["LS"].isin(list(codes.SHORT_BREAK_LEGAL_STATUSES)).fillna(False)
    return pd.Index(ep.loc[live, "CHILD"].unique())


def open_set_aside(aside: list[pd.DataFrame], latest: int, live: pd.Index,
                   dob: pd.Series, on: pd.Timestamp) -> int:  # fmt: skip
    """How many children in care on ``on`` the rows ``aside`` leave out: rows of the
    ``latest`` return with no end date and not a short break, of children in ``live``
    through no other row (nor 18 or over on ``on`` by a known ``dob``, indexed by
    ``CHILD``); a row whose ``CHILD`` is lost counts as one child."""
    if not aside:
        return 0
    rows = pd.concat(aside, ignore_index=True)
    ls = rows["LS"].astype("string").str.upper()
    rows = rows[(rows["collection_year"] == latest) & rows["DEC"].isna()
                & ~ls.isin(list(codes.SHORT_BREAK_LEGAL_STATUSES)).fillna(False)]  # fmt: skip
    lost = int(rows["lost"].sum())
    named = pd.Index(rows.loc[~rows["lost"], "CHILD"].unique()).difference(live)
    adult = np.asarray(eighteenth_birthdays(dob.reindex(named)) <= on, dtype=bool)
    return lost + int((~adult).sum())


#: An episode whose end (DEC) is before its start, as its problem says: what reading
#: does with it and what that does to the counts, not only that the dates disagree.
_BACKWARDS = (
    "episode ends (DEC) before it starts (DECOM): the forecast sets it aside, reading the "
    "child as not in care from its start to their next episode (and in no count at all if "
    "it is their only one); correct DEC"
)
BACKWARDS = f"{_BACKWARDS}."
#: The same, when DEC a year later would be after DECOM: a year typed a year early.
YEAR_EARLY = f"{_BACKWARDS}: is its year typed a year early (a year later, it is after DECOM)?"


def ends_before_start(dec: pd.Series, decom: pd.Series) -> list[tuple[str, pd.Series]]:
    """Each message of :data:`BACKWARDS` and :data:`YEAR_EARLY` with the rows it is for:
    the episodes whose ``dec`` is before their ``decom``."""
    backwards = (dec < decom).fillna(False).astype(bool)
    early = backwards & (dec + pd.DateOffset(years=1) >= decom).fillna(False).astype(bool)
    return [(YEAR_EARLY, early), (BACKWARDS, backwards & ~early)]


def backwards_problems(ep: pd.DataFrame, dec: pd.Series, decom: pd.Series) -> list[Problem]:
    """The forecast's problem for each episode of ``ep`` (one return's, with ``_src`` and
    ``_row``) ending before it starts, naming its child: a reader of the findings sees
    whose episode is set aside without opening the return."""
    out = []
    for said, hit in ends_before_start(dec, decom):
        sel = ep.loc[hit.to_numpy(bool), ["_src", "_row", "CHILD"]]
        out += [
            Problem(str(src), int(row), "DEC", None, f"child {child}'s {said}",
                    code="dec_before_decom", action="episode set aside")
            for src, row, child in zip(sel["_src"], sel["_row"], sel["CHILD"], strict=True)
        ]  # fmt: skip
    return out
