"""IDs in the team's decisions written as a spreadsheet or word processor rewrites them.

The decisions file is kept by hand in Excel: an all-digit ID loses its leading zeros when
the file is opened and saved (``0012345`` becomes ``12345``), and a hyphen typed in Word
or Outlook and pasted becomes an en dash or a non-breaking hyphen (``C-2`` becomes
``C–2``). Before, such a decision matched no child or placement and was ignored, so an
exclusion was lost and the child proposed exactly where the team had said they must not
go (``12345,H1,exclude`` for the referral ``0012345``: proposed at H1). Where an ID matches
none of tonight's as written, nor but for case and spaces
(:class:`~sufficiency.io.ids.KnownIds`), it is taken as the one ID it matches with dashes
made hyphens and leading zeros of an all-digit ID dropped, and the note says so; an ID
matching two or more is left as written (ignored, and listed). Failing that, it is the one
ID it matches with every dash and hyphen left out: a team writing ``C–2`` (an en dash
Word put in) for the referral's ``C2`` meant that child, and before, the exclusion was
ignored with only a console line and ``C2`` proposed where the team had excluded them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sufficiency.io.ids import fold_id

#: Dashes a word processor writes for a hyphen, and the minus sign.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
#: Every dash and hyphen, left out by :func:`undashed_id`.
_NO_DASHES = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"))
#: What the note adds for an ID matched this way.
REWRITTEN = (
    "with a dash for a hyphen (or a dash or hyphen tonight's inputs do not write) or its "
    "leading zeros dropped, as a spreadsheet or word processor writes it"
)


def loose_id(value: object) -> str:
    """``value`` as compared here: folded (case and spaces aside), every dash a hyphen,
    and an all-digit ID without its leading zeros."""
    text = fold_id(value).translate(_DASHES)
    return (text.lstrip("0") or "0") if text.isdigit() else text


def undashed_id(value: object) -> str:
    """:func:`loose_id` with every dash and hyphen left out (``C2`` for ``C–2``)."""
    return loose_id(str(value).translate(_NO_DASHES))


class LooseIds:
    """Tonight's IDs by :func:`loose_id`, to find the one a rewritten ID means."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._by_loose: dict[str, list[str]] = {}
        self._by_undashed: dict[str, list[str]] = {}
        for i in sorted(set(ids)):
            self._by_loose.setdefault(loose_id(i), []).append(i)
            self._by_undashed.setdefault(undashed_id(i), []).append(i)

    def same_as(self, value: object) -> str | None:
        """The one ID ``value`` matches by :func:`loose_id`, else by :func:`undashed_id`
        where it matches none by :func:`loose_id`; ``None`` for none, or more."""
        match = self._by_loose.get(loose_id(value)) or self._by_undashed.get(undashed_id(value), [])
        return match[0] if len(match) == 1 else None


def rewritten(pair: tuple[tuple[str, str], ...]) -> bool:
    """Whether a decision's IDs, each as (tonight's ID, as written or ""), were matched by
    :func:`loose_id`, not just case and spaces."""
    return any(w and fold_id(w) != fold_id(k) for k, w in pair)


def written_note(written_as: str, loose: bool) -> str:
    """What a decision's note adds when it writes an ID otherwise than tonight's inputs
    (``written_as``: which, as written); "" when it writes them alike."""
    if not written_as:
        return ""
    how = REWRITTEN if loose else "in another case or spacing"
    return f" (The decisions write {written_as}, {how}.)"
