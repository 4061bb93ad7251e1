"""Children proposed on rows that may be one home: a check the proposal carries (``flags``
on ``matches.csv`` and the report), beside :mod:`.sibling_alongside`.

Rows of one provider and setting at one postcode with no ``home_id`` (two foster carers of
one agency, say; :func:`sufficiency.io.same_home.maybe_home_of`) may be one home. Each is
matched as its own home, since a postcode holds several addresses, and before this check
only the register's warning (the console and the Input notes) said so: two children who
may not live together (rules 10, 11 and 14: a child who is a risk of sexual harm to younger
children and a 5-year-old, say) could be proposed to what is one household, with nothing
on either child's row. Now each proposal at such a row, where another child is proposed
tonight at a row it may be one home with, names that row and child and says what to check;
where the two children may not live together, it says so first.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingWeights
from sufficiency.io.same_home import maybe_home_of
from sufficiency.matching.gates import pair_flags
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import children_conflict
from sufficiency.matching.sibling_risks import flags_added
from sufficiency.vocabulary import listed

#: What every such flag says after the rows (the report may count them by it).
MAYBE_ONE_HOME = (
    "one provider at one postcode, no home_id: check whether they are one household "
    "(if so, give the rows one home_id)"
)


def _maybe_home(prob: MatchProblem) -> np.ndarray:
    """Per register row, its "may be one home" group (-1: none)."""
    return prob.derived("_maybe_home", lambda q: maybe_home_of(q.placements))


def _flag(prob: MatchProblem, c: int, p: int, others: np.ndarray, where: np.ndarray) -> str:
    """What child ``c`` at row ``p`` is told of the children ``others``, proposed at
    ``where[others]``, rows that may be one home with ``p`` ("" if none)."""
    if not len(others):
        return ""
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    clash = others[children_conflict(prob, np.full(len(others), c), others)]
    rows = [f"{pid[where[o]]} ({kid[o]} proposed there)" for o in others.tolist()]
    text = f"may be one home with {listed(rows)}: {MAYBE_ONE_HOME}"
    if len(clash):
        homes = listed(sorted({str(pid[where[o]]) for o in clash.tolist()}))
        text = (
            f"{kid[c]} may not live with {listed([str(kid[o]) for o in clash.tolist()])} "
            f"(rules 10, 11 and 14) if {pid[p]} and {homes} are one home: agree "
            f"neither until checked; {text}"
        )
    return text


def maybe_alongside_flags(prob: MatchProblem, place_of_child: np.ndarray) -> np.ndarray:
    """Per child, the check its proposal carries ("" for most): where the child is proposed
    at a row that may be one home with another row at which another child is proposed,
    *"may be one home with F-B (C2 proposed there): one provider at one postcode, no
    home_id: check ..."*; where the children may not live together (rules 10, 11 and 14,
    :func:`.rules.children_conflict`), it begins *"C1 may not live with C2 (rules 10, 11
    and 14) if F-A and F-B are one home: agree neither until checked; "*."""
    n = prob.num_children
    out = np.full(n, "", dtype=object)
    where = np.asarray(place_of_child, np.int64)
    maybe = _maybe_home(prob)
    at = np.full(n, -1, np.int64)
    at[where >= 0] = maybe[where[where >= 0]]
    for c in np.nonzero(at >= 0)[0].tolist():
        others = np.nonzero((at == at[c]) & (where != where[c]))[0]
        out[c] = _flag(prob, c, int(where[c]), others, where)
    return out


def maybe_alongside_pair_flags(
    prob: MatchProblem, place_of_child: np.ndarray, child: np.ndarray, place: np.ndarray
) -> np.ndarray:
    """Per option (``child[i]`` at row ``place[i]``: an alternative on
    ``alternatives.csv``), the same check as :func:`maybe_alongside_flags` where other
    children are proposed tonight on rows that may be one home with the option's row (not
    on the row itself, nor the child's own proposal): were the child placed there, they
    may live in one household. "" for most."""
    where = np.asarray(place_of_child, np.int64)
    out = np.full(len(child), "", dtype=object)
    maybe = _maybe_home(prob)
    at = np.full(len(where), -1, np.int64)
    at[where >= 0] = maybe[where[where >= 0]]
    for i, (c, p) in enumerate(zip(np.asarray(child).tolist(), np.asarray(place).tolist(),
                                   strict=True)):  # fmt: skip
        if maybe[p] < 0:
            continue
        others = np.nonzero((at == maybe[p]) & (where != p))[0]
        out[i] = _flag(prob, c, p, others[others != c], where)
    return out


def option_flags(
    prob: MatchProblem, place_of_child: np.ndarray, child: np.ndarray, place: np.ndarray,
    weights: MatchingWeights,
) -> np.ndarray:  # fmt: skip
    """An alternative option's ``flags``: its gates and checks
    (:func:`.gates.pair_flags`), then :func:`maybe_alongside_pair_flags`."""
    return flags_added(
        pair_flags(prob, child, place, weights),
        maybe_alongside_pair_flags(prob, place_of_child, child, place),
    )
