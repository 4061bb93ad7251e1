"""Children whose CHILD identifier changed between two 903 returns.

DfE links a child's returns by ``CHILD``, the council's own identifier. When a council
changes its case-management system, or re-keys its records, every child can come back
the next year under a new identifier. Read as written, every child in care then leaves
on 31 March and a new child enters in the same placement the next day: a year of exits
and entries that never happened, learnt by the forecast as its rates.

A child is recognised across such a change by what does not change: the date of birth
and the start date (``DECOM``) of the episode running across the end of the older
return. A child of the newer return whose identifier the older one does not hold, with
an episode begun before the newer return's year, is read as the child of the older
return (open at its end, and absent from the newer one under its own identifier) who
has the same date of birth and the same episode start, when exactly one child on each
side has them (twins entering care together are left as they are).
"""

from __future__ import annotations

import pandas as pd

from sufficiency.errors import Problem

#: Columns of the frames read here: a return's parsed episodes and header.
_KEY = ["DOB", "DECOM"]


def _dob(header: pd.DataFrame) -> pd.Series:
    valid = header.dropna(subset=["CHILD", "DOB"])
    return valid.drop_duplicates("CHILD", keep="last").set_index("CHILD")["DOB"]


def _unique(side: pd.DataFrame) -> pd.DataFrame:
    """Rows whose key belongs to one child only, one row per child and key."""
    side = side.dropna(subset=_KEY).drop_duplicates(["CHILD", *_KEY])
    owners = side.groupby(_KEY)["CHILD"].transform("nunique")
    return side[owners == 1]


def renumbered(
    older: pd.DataFrame,
    older_header: pd.DataFrame,
    newer: pd.DataFrame,
    newer_header: pd.DataFrame,
    newer_start: pd.Timestamp,
) -> pd.DataFrame:
    """The children of the newer return who are children of the older one under another
    identifier: one row per child with ``CHILD`` (the newer identifier), ``OLD`` and the
    ``_src`` and ``_row`` of the newer return's episode that links them.

    ``older`` and ``newer`` are parsed episodes (``CHILD``, ``DECOM`` and ``DEC`` as
    dates, ``_src``, ``_row``); the headers give ``CHILD`` and ``DOB`` (dates).
    """
    empty = pd.DataFrame(columns=["CHILD", "OLD", "_src", "_row"])
    old_ids, new_ids = set(older["CHILD"]), set(newer["CHILD"])
    gone = older[older["DEC"].isna() & ~older["CHILD"].isin(new_ids)]
    came = newer[(newer["DECOM"] < newer_start) & ~newer["CHILD"].isin(old_ids)]
    if gone.empty or came.empty:
        return empty
    gone = gone.assign(DOB=_dob(older_header).reindex(gone["CHILD"]).to_numpy())
    came = came.assign(DOB=_dob(newer_header).reindex(came["CHILD"]).to_numpy())
    before = _unique(gone[["CHILD", *_KEY]])
    after = _unique(came[["CHILD", *_KEY, "_src", "_row"]])
    pairs = after.merge(before.rename(columns={"CHILD": "OLD"}), on=_KEY)
    # one old child for each new one, and one new child for each old one
    pairs = pairs[~pairs["CHILD"].duplicated(keep=False) & ~pairs["OLD"].duplicated(keep=False)]
    return pairs[["CHILD", "OLD", "_src", "_row"]].reset_index(drop=True)


def renumbering_problems(pairs: pd.DataFrame, older_label: str) -> list[Problem]:
    """One warning per child read across a change of identifier, at the linking episode."""
    return [
        Problem(str(src), int(row), "CHILD", str(new),
                f"child identifier {new} is not in the {older_label} return, but the date of "
                f"birth and this episode's start match child {old} there, who is not in this "
                "return under that identifier (identifiers changed between returns, as a new "
                "case-management system can do): read as the same child",
                severity="warning", code="child_id_changed", action=f"read as {old}")
        for new, old, src, row in zip(pairs["CHILD"], pairs["OLD"], pairs["_src"], pairs["_row"],
                                      strict=True)
    ]  # fmt: skip
