"""Candidate pairs: every child-placement pair that breaks no single-pair hard rule
(:mod:`.rules`), generated in blocks of children so memory stays bounded at national
scale, optionally keeping only the pairs an optimal plan or the greedy baseline could
need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.first_options import first_options
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import dominance_slack, undominated
from sufficiency.matching.rules import (
    RULE_CODES,
    RULE_TEXT,
    RULES,
    children_conflict,
    decision_breaks,
    rule_breaks,
)

_MAX_BLOCK_PAIRS = 2_000_000


@dataclass(frozen=True, eq=False)
class Candidates:
    """Child-placement pairs that break no single-pair hard rule (all of them, or those
    an optimal plan or the greedy baseline could need, see :func:`generate_candidates`).

    Attributes
    ----------
    child, place
        Row indices into the problem's sorted referrals and placements, sorted
        by child then placement.
    excluded_counts
        ``(num_children, len(RULES))``: how many placements each rule excludes
        for each child (a placement breaking two rules counts under both).
    num_suitable
        How many placements meet every single-pair rule for each child (more than
        the pairs held when provably unneeded pairs were dropped).
    """

    child: np.ndarray
    place: np.ndarray
    excluded_counts: np.ndarray
    num_suitable: np.ndarray

    @property
    def num_pairs(self) -> int:
        """Number of candidate pairs."""
        return len(self.child)


def placement_order(prob: MatchProblem) -> np.ndarray:
    """Placement rows in the order the greedy baseline tries them: in-house first, then
    cheapest, then by row."""
    plc = prob.placements
    in_house_last = (plc["provider"] != "in_house").to_numpy(np.int64)
    cost = plc["weekly_cost"].to_numpy(float)
    return np.lexsort((np.arange(len(cost)), cost, in_house_last))


def generate_candidates(
    prob: MatchProblem, params: MatchingParams | None = None, children: np.ndarray | None = None
) -> Candidates:
    """Apply the single-pair hard rules to every child (or to ``children``, in increasing
    order, leaving the others' counts at zero) against every placement.

    Work is done in blocks of children so memory stays bounded at national scale.
    With ``params``, each block keeps only the pairs an optimal plan or the greedy
    baseline could need (:func:`~sufficiency.matching.pruning.undominated` with every
    referred child counted as a competitor, and each child's first placements in the
    greedy order), so memory grows with the children, not children x placements.
    """
    n_c, n_p = prob.num_children, prob.num_placements
    counts = np.zeros((n_c, len(RULES)), dtype=np.int64)
    suitable = np.zeros(n_c, dtype=np.int64)
    kids: list[np.ndarray] = []
    places: list[np.ndarray] = []
    block = max(1, _MAX_BLOCK_PAIRS // max(n_p, 1))
    all_p = np.arange(n_p)[None, :]
    slack = None if params is None else dominance_slack(prob, params)
    order = placement_order(prob)
    who = np.arange(n_c) if children is None else np.asarray(children, np.int64)
    for start in range(0, len(who), block):
        ci = who[start : start + block][:, None]
        br = rule_breaks(prob, ci, all_p)  # (rules, block, places)
        counts[ci[:, 0]] = br.sum(axis=2).T
        ok_c, ok_p = np.nonzero(~br.any(axis=0))
        kid = ci[ok_c, 0]
        suitable[ci[:, 0]] = np.bincount(ok_c, minlength=len(ci))
        if params is not None and slack is not None and len(kid) > len(ci) * n_c:
            cost = pair_cost(prob, kid, ok_p, params.weights)
            reach, greedy_first = first_options(prob, ok_c, ok_p, cost, len(ci), n_c, order)
            # a pair costing more than the n-th cheapest plus the slack is dominated, so
            # the exact test only needs the pairs within reach (same answer, less sorting)
            maybe = np.nonzero(cost <= reach[ok_c] + slack[kid])[0]
            need = greedy_first
            at = ok_p[maybe]
            need[maybe] |= undominated(kid[maybe], at, cost[maybe], n_c, slack,
                                       competitors=n_c, home=prob.place_home[at])  # fmt: skip
            kid, ok_p = kid[need], ok_p[need]
        kids.append(kid)
        places.append(ok_p)
    child = np.concatenate(kids) if kids else np.empty(0, np.int64)
    place = np.concatenate(places) if places else np.empty(0, np.int64)
    return Candidates(child.astype(np.int64), place.astype(np.int64), counts, suitable)


# the rules were defined here once: callers that import them from here still work
__all__ = [
    "RULES",
    "RULE_CODES",
    "RULE_TEXT",
    "Candidates",
    "children_conflict",
    "decision_breaks",
    "generate_candidates",
    "placement_order",
    "rule_breaks",
]
