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
SIBLING_ALONGSIDE = "rule 10 does not part siblings: check with their social workers"
_NEED = {
    "solo": ("with no other child", lambda me, o: True),
    "only_older": ("only with older children", lambda me, o: not o > me),
    "only_younger": ("only with younger children", lambda me, o: not o < me),
}  # fmt: skip


def sibling_alongside_flags(prob: MatchProblem, place_of_child: np.ndarray) -> np.ndarray:
    """Per child, the check its proposal carries ("" for most): where a child whose
    ``alongside`` is ``solo`` (or ``only_older``, ``only_younger``) is proposed in one home
    (rows of one home are one home) with a sibling that need would otherwise rule out, one
    sentence for the siblings in that home, on the row of each it concerns: *"siblings C1
    and C2 together, though C2 is to live with no other child: rule 10 does not part
    siblings: check with their social workers"*. (A sentence per child with the need,
    each on every sibling's row, made a group of three's cells 451 characters long and the
    workbook's Children placed sheet one child a page.)"""
    n = prob.num_children
    out = np.full(n, "", dtype=object)
    along = prob.referrals["alongside"].to_numpy(object)
    need = np.isin(along, list(_NEED)) & (prob.child_group >= 0)
    if not need.any():
        return out
    home = prob.household_of(np.asarray(place_of_child, np.int64))
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    age = prob.child_age_years
    needs: dict[tuple[int, int], list[int]] = {}  # (group, home): children with the need
    concerned: dict[tuple[int, int], set[int]] = {}  # and the siblings it rules out
    for c in np.nonzero(need & (home >= 0))[0].tolist():
        clash = _NEED[str(along[c])][1]
        with_c = [
            o for o in np.nonzero((prob.child_group == prob.child_group[c]) & (home == home[c]))[0]
            .tolist() if o != c and clash(age[c], age[o])
        ]  # fmt: skip
        if with_c:
            key = (int(prob.child_group[c]), int(home[c]))
            needs.setdefault(key, []).append(c)
            concerned.setdefault(key, set()).update([c, *with_c])
    for key, cs in needs.items():
        said = [f"{kid[c]} {'is to live ' * (i == 0)}{_NEED[str(along[c])][0]}"
                for i, c in enumerate(cs)]  # fmt: skip
        members = sorted(concerned[key])
        text = (f"siblings {listed([str(kid[o]) for o in members])} together, though "
                f"{listed(said)}: {SIBLING_ALONGSIDE}")  # fmt: skip
        out[members] = text
    return out
