"""A child's or placement's ID as compared when typed in another case or with spaces.

A team typing ``r007`` in Excel for the referrals' ``R007``, or a referrals export writing
``R 007`` one night and ``R007`` the next, means one child. :func:`fold_id` is the ID as
compared, and :class:`KnownIds` the one rule every reader of IDs uses: an ID written as
one of a night's IDs is that ID; else it is the one ID that is the same but for case and
spaces, if there is exactly one (an ID matching two is neither: a night's referrals or
register holding ``R007`` and ``r007`` set both aside, as one ID written twice, but nights
recorded before may hold both). Matching applies the team's decisions by
it, the run store compares two nights by it, and the web application finds the child a
decision is about by it. It lives here, below them all, so the decisions reader can
compare rows by it too.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sufficiency.io.shape import not_an_id, quoted


def fold_id(value: object) -> str:
    """A child's or placement's ID as compared when typed in another case or with spaces
    (``r025``, `` PL0056 ``): the team's decisions find the one ID it matches."""
    return "".join(str(value).split()).upper()


class KnownIds:
    """The IDs of one night (a run's children, a register's placements), to find the one
    an ID written otherwise means (:meth:`same_as`)."""

    def __init__(self, ids: Iterable[object]) -> None:
        self.ids = frozenset(str(i) for i in ids)
        self._by_fold: dict[str, list[str]] = {}
        for i in sorted(self.ids):
            self._by_fold.setdefault(fold_id(i), []).append(i)

    def same_as(self, value: object) -> str | None:
        """``value`` if it is one of the IDs as written, else the one ID the same but for
        case and spaces (``R007`` for ``r 007``); ``None`` for none, or more than one."""
        text = str(value)
        if text in self.ids:
            return text
        match = self._by_fold.get(fold_id(text), [])
        return match[0] if len(match) == 1 else None


def folded(ids: pd.Series) -> pd.Series:
    """``ids`` as compared (:func:`fold_id`), blanks left blank: a table's IDs that are
    one ID but for case and spaces (``R014`` and ``r014``) are one child or placement."""
    return ids.astype("string").map(fold_id, na_action="ignore")


def spellings_note(ids: Iterable[object]) -> str:
    """What a repeated ID's line adds when its copies are written differently (``""``
    when alike): IDs are compared as matching reads them, ignoring case and spaces."""
    written = sorted({str(i) for i in ids})
    if len(written) < 2:
        return ""
    written = [shown_id(w) for w in written]
    return (f" (written {', '.join(repr(w) for w in written)}: the same ID but for case and "
            "spaces, which matching reads as one)")  # fmt: skip


def shown_id(value: object) -> str:
    """An ID as a problem quotes it: its shape where it looks like a name, not an ID."""
    return quoted(value, bool(not_an_id(pd.Series([str(value)], dtype="string")).iat[0]))
