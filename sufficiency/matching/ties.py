"""Plans that score the same told apart one way: siblings in ID order.

Siblings usually share a home postcode, and often a school or none, so two of them
split over two placements (or one placed and one not) cost the same either way round.
Which of those equally good plans the solver returns depended on its path: on a
generated night of 40 children, adding a referral no home can take, or excluding a
pair the plan did not use, sent the solver another way and two siblings swapped homes,
which a team reads as a change for no reason (`runs diff` names it). Here a plan's
siblings are put in one order among the equally good ways round: the sibling first by
ID at the placement first by ID, placed before unplaced, wherever the swap breaks no
rule and costs nothing more.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.costs import pair_cost, unplaced_cost
from sufficiency.matching.greedy import can_join
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import rule_breaks


def siblings_in_order(
    prob: MatchProblem, params: MatchingParams, place_of_child: np.ndarray
) -> np.ndarray:
    """``place_of_child`` (placement row per child, -1 unplaced) with each sibling
    group's members swapped, two at a time, wherever the swap breaks no hard rule, costs
    no more, and puts the member first by ID at the placement first by ID (placed before
    unplaced). The plan's objective is never higher; rows are sorted by ID, so indices
    are ID order."""
    grp = prob.child_group
    where = np.asarray(place_of_child, np.int64).copy()
    if not (grp >= 0).any():
        return where
    together = params.siblings == "together"
    last = prob.num_placements  # unplaced sorts after every placement
    members = np.nonzero(grp >= 0)[0]
    by_group = np.split(members[np.argsort(grp[members], kind="stable")],
                        np.cumsum(np.bincount(grp[members]))[:-1])  # fmt: skip
    split = [(kids, np.unique(where[kids])) for kids in by_group]
    split = [(kids, places) for kids, places in split if len(places) > 1]
    if not split:
        return where
    # each member's cost at each of its group's placements (or unplaced), and whether the
    # pair breaks a rule, in one look-up for every group
    ci = np.concatenate([np.repeat(kids, len(places)) for kids, places in split])
    pi = np.concatenate([np.tile(places, len(kids)) for kids, places in split])
    placed = pi >= 0
    cost = unplaced_cost(prob, params.weights)[ci].astype(float)
    cost[placed] = pair_cost(prob, ci[placed], pi[placed], params.weights)
    allowed = np.ones(len(ci), bool)
    allowed[placed] = ~rule_breaks(prob, ci[placed], pi[placed]).any(axis=0)
    pair = {(c, p): (x, ok) for c, p, x, ok in zip(ci.tolist(), pi.tolist(), cost.tolist(),
                                                     allowed.tolist(), strict=True)}  # fmt: skip
    for kids, _ in split:
        swapped = True
        while swapped:  # each swap puts the group in a smaller order: it ends
            swapped = False
            for i, a in enumerate(kids.tolist()):
                for b in kids[i + 1 :].tolist():
                    pa, pb = int(where[a]), int(where[b])
                    if (pa if pa >= 0 else last) <= (pb if pb >= 0 else last):
                        continue
                    (a_there, a_ok), (b_there, b_ok) = pair[a, pb], pair[b, pa]
                    if (
                        a_ok
                        and b_ok
                        and a_there + b_there <= pair[a, pa][0] + pair[b, pb][0]
                        and _may_swap(prob, where, a, b, together)
                    ):
                        where[a], where[b] = pb, pa
                        swapped = True
    return where


def _may_swap(prob: MatchProblem, where: np.ndarray, a: int, b: int, together: bool) -> bool:
    """Whether siblings ``a`` and ``b`` may change places as far as the children around
    them go (capacity, the sibling exemption, siblings together, who may live alongside
    whom). The group keeps the same placements, so its split weight is unchanged; nobody
    else moves."""
    pa, pb = int(where[a]), int(where[b])
    trial = where.copy()
    trial[a], trial[b] = -1, -1
    for c, p in ((a, pb), (b, pa)):
        if p < 0:
            continue
        if not can_join(prob, c, p, np.nonzero(trial == p)[0].tolist(), together, trial):
            return False
        trial[c] = p
    return True
