"""Siblings proposed together where one is to live with no other child, or only older or
only younger children: a check the proposal carries (``flags`` on ``matches.csv`` and the
report), beside :mod:`.sibling_risks`.

Rule 10 (who the child can live alongside: ``solo``, ``only_older``, ``only_younger``)
never keeps a child from their own siblings, as rules 11 and 14 do not: siblings are never
each other's *others* (:func:`.rules.children_conflict`), since placing a sibling group
together is the duty (Children Act 1989 s22C(8)(c)) and the Placements Data Standard
asks "who the child can live alongside" beside "number of siblings to place with". So a
child referred as ``solo`` may be proposed in one home with their siblings, and before
this check no output said so: a social worker reading "solo" may have meant apart from the
siblings too (the together-or-apart assessment, which the referral does not record). Each
such proposal now names the siblings and the need, on the row of the child with the need
and of each sibling with them, so the team checks before agreeing.
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.problem import MatchProblem
from sufficiency.vocabulary import listed

#: What every such flag says after the children (the report may count them by it).
SIBLING_ALONGSIDE = (
    "siblings are not others under rule 10: check with the child's social worker that "
    "the siblings can live together before placing them together"
)
_NEED = {
    "solo": ("is to live with no other child", lambda me, o: True),
    "only_older": ("is to live only with older children",
                   lambda me, o: not o > me),
    "only_younger": ("is to live only with younger children",
                     lambda me, o: not o < me),
}  # fmt: skip


def sibling_alongside_flags(prob: MatchProblem, place_of_child: np.ndarray) -> np.ndarray:
    """Per child, the check its proposal carries ("" for most): where a child whose
    ``alongside`` is ``solo`` (or ``only_older``, ``only_younger``) is proposed in one home
    (rows of one home are one home) with a sibling that need would otherwise rule out:
    *"C2 is to live with no other child and is proposed with C1, a
    sibling: siblings are not others under rule 10: check ..."*."""
    n = prob.num_children
    out: list[list[str]] = [[] for _ in range(n)]
    along = prob.referrals["alongside"].to_numpy(object)
    need = np.isin(along, list(_NEED)) & (prob.child_group >= 0)
    if not need.any():
        return np.full(n, "", dtype=object)
    home = prob.household_of(np.asarray(place_of_child, np.int64))
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    age = prob.child_age_years
    for c in np.nonzero(need & (home >= 0))[0].tolist():
        says, clash = _NEED[str(along[c])]
        with_c = [
            o for o in np.nonzero((prob.child_group == prob.child_group[c]) & (home == home[c]))[0]
            .tolist() if o != c and clash(age[c], age[o])
        ]  # fmt: skip
        if not with_c:
            continue
        whom = "a sibling" if len(with_c) == 1 else "siblings"
        text = (f"{kid[c]} {says} and is proposed with {listed([str(kid[o]) for o in with_c])}, "
                f"{whom}: {SIBLING_ALONGSIDE}")  # fmt: skip
        for o in [c, *with_c]:
            out[o].append(text)
    return np.array(["; ".join(said) for said in out], dtype=object)
