"""A team's exclusion of a child from one row of a home on several rows holds for the home.

A register merged from several lists can give one home on two rows (the same Ofsted URN
and postcode, or one ``home_id``: :attr:`.problem.MatchProblem.place_home`). The team
excludes a child from a home for what it is (the carer is not suitable, the home refused
the child after a visit), and names one row, the one the outputs showed them; before, the
plan then proposed the child on the home's other row, as if nothing had been decided
(``match`` with ``C1,RA,exclude`` and RA and RB one children's home: C1 at RB). An
exclusion now rules out every row of the home, and a pin to another row of a home the
child is excluded from is refused, as a pin to the excluded row is. Rows that only *may*
be one home (foster carers of one provider at one postcode with no ``home_id``, warned of
when the register is read: :func:`~sufficiency.io.same_home.maybe_home_of`) are matched
as separate homes, and an exclusion does not hold on them (two carers who share a
postcode are often two households), but its note names them, so the team can exclude the
child from them too, or give the rows one ``home_id`` if they are one household.
"""

from __future__ import annotations

import numpy as np

from sufficiency.io.same_home import maybe_home_of
from sufficiency.matching.problem import MatchProblem
from sufficiency.vocabulary import listed

#: Why rows are one home, in the notes.
ONE_HOME = "one home: the same Ofsted URN and postcode, or the same home_id"
#: Why rows may be one home, in the notes.
MAYBE_ONE_HOME = (
    "foster carers of one provider at one postcode, with no home_id: the exclusion does not "
    "hold there; exclude the child there too, or give the rows one home_id, if they are "
    "one household"
)


def other_rows(prob: MatchProblem, p: int) -> list[int]:
    """The register rows of placement ``p``'s home other than ``p`` (none for most)."""
    return [int(q) for q in np.nonzero(prob.place_home == prob.place_home[p])[0] if q != p]


def maybe_rows(prob: MatchProblem, p: int) -> list[int]:
    """The register rows that may be one home with ``p`` (:data:`MAYBE_ONE_HOME`), not
    ``p`` itself (none for most)."""
    maybe = prob.derived("_maybe_home", lambda q: maybe_home_of(q.placements))
    if maybe[p] < 0:
        return []
    return [int(q) for q in np.nonzero(maybe == maybe[p])[0] if q != p]


def across_home(prob: MatchProblem, excluded: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Each pair (child, row) an exclusion rules out through the row's home and not by
    itself, to the excluded row it comes from (the first by row, where several)."""
    out: dict[tuple[int, int], int] = {}
    for c, p in sorted(excluded):
        for q in other_rows(prob, p):
            if (c, q) not in excluded:
                out.setdefault((c, q), p)
    return out


def _ids(prob: MatchProblem, rows: list[int]) -> str:
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    return listed([str(pid[q]) for q in rows])


def excluded_rows_note(prob: MatchProblem, p: int) -> str:
    """What an applied exclusion from ``p`` adds where ``p``'s home is on other rows too:
    *", nor to RB, the same home (one home: ...)"*; "" for a home on one row."""
    rows, maybe = other_rows(prob, p), maybe_rows(prob, p)
    said = f", nor to {_ids(prob, rows)}, the same home ({ONE_HOME})" if rows else ""
    if maybe:
        said += f"; {_ids(prob, maybe)} may be the same home ({MAYBE_ONE_HOME})"
    return said


def pin_to_excluded(prob: MatchProblem, from_row: int) -> str:
    """Why a pin is refused when the child is excluded from ``from_row``, another row of
    the pinned row's home."""
    return (
        f"the same child is excluded by a decision from {_ids(prob, [from_row])}, a row of "
        f"the same home ({ONE_HOME})."
    )
