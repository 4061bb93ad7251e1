"""Candidate pruning that keeps optimality proofs valid for the full model.

The MIP is solved over a subset of the candidate pairs. Soundness rests on LP
duality. Column generation first brings the LP relaxation over the subset to
the optimum of the LP over *all* candidates: every omitted pair then has a
non-negative reduced cost ``rc = cost - alpha[child] - beta[placement]`` (rows
that exist only for omitted pairs take dual 0, which is dual-feasible, and an
omitted sibling variable ``y[g,p]`` has reduced cost ``-dual(split row) >= 0``).
For any integer plan ``v`` of the full model, ``cost(v) >= z_lp + sum(rc * v)``,
so a plan that uses an omitted pair with ``rc >= z_incumbent - z_lp`` cannot beat
the incumbent. Pairs below that threshold are added and the MIP re-solved until
none are left, at which point the subset's optimum is the full model's optimum.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.formulation import LinearModel
from sufficiency.matching.problem import MatchProblem

#: Reduced costs this close to the threshold are treated as below it.
TOLERANCE_GBP = 1e-6


def initial_subset(
    child: np.ndarray, cost: np.ndarray, num_children: int, per_child: int, always: np.ndarray
) -> np.ndarray:
    """Mask of the ``per_child`` cheapest pairs of each child, plus ``always``."""
    order = np.lexsort((np.arange(len(child)), cost, child))
    first = np.searchsorted(child[order], np.arange(num_children))
    rank = np.arange(len(child)) - first[child[order]]
    keep = np.zeros(len(child), bool)
    keep[order[rank < per_child]] = True
    return keep | always


def reduced_costs(
    model: LinearModel,
    row_duals: np.ndarray,
    child: np.ndarray,
    place: np.ndarray,
    cost: np.ndarray,
    num_placements: int,
) -> np.ndarray:
    """Reduced cost of every candidate pair against the duals of ``model``'s LP."""
    alpha = row_duals[: model.num_children]
    beta = np.zeros(num_placements)
    n_cap = len(model.capacity_row_place)
    beta[model.capacity_row_place] = row_duals[model.num_children : model.num_children + n_cap]
    return cost - alpha[child] - beta[place]


def most_negative(
    rc: np.ndarray, child: np.ndarray, eligible: np.ndarray, per_child: int
) -> np.ndarray:
    """Mask of up to ``per_child`` eligible pairs per child with negative reduced cost."""
    idx = np.nonzero(eligible & (rc < -TOLERANCE_GBP))[0]
    if len(idx) == 0:
        return np.zeros(len(rc), bool)
    order = idx[np.lexsort((idx, rc[idx], child[idx]))]
    kids = child[order]
    start = np.searchsorted(kids, kids, side="left")
    rank = np.arange(len(order)) - start
    out = np.zeros(len(rc), bool)
    out[order[rank < per_child]] = True
    return out


def undominated(
    child: np.ndarray,
    place: np.ndarray,
    cost: np.ndarray,
    num_children: int,
    slack_gbp: np.ndarray,
    *,
    competitors: int | None = None,
) -> np.ndarray:
    """Mask of the pairs some optimal plan may need; the rest are provably never needed.

    Order each child's candidate placements by (pair cost, placement). Pair ``p`` of
    child ``c`` is dropped when at least ``n`` placements come before it with
    ``cost + slack_gbp[c] <= cost[p]``, where ``n - 1`` is the number of other
    children with any candidate at all: they occupy at most ``n - 1`` placements, so
    one of those placements is free of referred children in any plan. Moving ``c``
    there breaks no rule (every single-pair rule holds, nobody else referred lives
    there, and leaving ``p`` only makes ``p`` easier for those who stay) and raises
    the sibling-split term by at most one split, which ``slack_gbp[c]`` (the split
    weight for a child with siblings referred, else 0) pays for. Each move goes to an
    earlier placement in ``c``'s order, so repeating it ends in a plan that is no
    worse and uses kept pairs only. A child who must not be moved away from their
    siblings (``slack_gbp`` infinite) keeps every pair. ``competitors`` replaces the
    count of placeable children (``n``) when only some children's pairs are given.
    """
    if len(child) == 0:
        return np.zeros(0, bool)
    need = len(np.unique(child)) if competitors is None else competitors
    order = np.lexsort((place, cost, child))
    c_sorted, cost_sorted = child[order], cost[order]
    first = np.searchsorted(c_sorted, np.arange(num_children))
    rank = np.arange(len(order)) - first[c_sorted]
    # earlier placements at least slack cheaper: position of cost - slack in c's run
    slack = slack_gbp[c_sorted]
    earlier = rank.astype(float)
    some = (slack > 0) & np.isfinite(slack)
    if some.any():
        # offsets so one global searchsorted works run by run: runs are sorted by child
        span = float(np.ptp(cost_sorted)) + float(slack[some].max())
        shift = c_sorted * (span + 1.0)
        glob = cost_sorted + shift
        pos = np.searchsorted(glob, glob[some] - slack[some], side="right")
        earlier[some] = pos - first[c_sorted[some]]
    earlier[~np.isfinite(slack)] = -1
    keep_sorted = earlier < need
    keep = np.zeros(len(child), bool)
    keep[order] = keep_sorted
    return keep


def dominance_slack(prob: MatchProblem, params: MatchingParams) -> np.ndarray:
    """Per child, how much cheaper an option must be to dominate (see :func:`undominated`)."""
    split = np.inf if params.siblings == "together" else params.weights.sibling_split
    return np.where(prob.child_group >= 0, split, 0.0)
