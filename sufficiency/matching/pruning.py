"""Candidate pruning that keeps optimality proofs valid for the full model.

The MIP is solved over a subset of the candidate pairs. Soundness rests on LP
duality. Column generation prices the omitted pairs against the duals of the LP
relaxation over the subset: ``rc = cost - alpha[child] - beta[placement]`` (rows
that exist only for omitted pairs take dual 0, which is dual-feasible, and an
omitted sibling variable ``y[g,h]`` has reduced cost ``-dual(split row) >= 0``).
Lowering each ``alpha[c]`` by the most negative ``rc`` among ``c``'s omitted
pairs makes the duals feasible for the LP over *all* candidates, so
``z_dual = z_lp + sum of those minima`` bounds every plan (a Lagrangian bound;
it is the LP optimum once no omitted pair prices out), and a plan that uses an
omitted pair ``k`` costs at least ``z_dual + rc'[k]`` with the adjusted ``rc'``.
Pairs with ``rc' < z_incumbent - z_dual`` are added and the MIP re-solved; the
bound reported for the full model is the smaller of the MIP's bound over the
subset and the cheapest plan through an omitted pair, so a run that stops early
reports an honest gap rather than a claim of optimality.
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
    # lexsort is stable: ties in (child, cost) keep the pairs' order
    order = np.lexsort((cost, child))
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
    home: np.ndarray | None = None,
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

    ``home`` gives each pair's home (``MatchProblem.place_home`` of its placement): rows
    of one home share its places, so the other children fill at most ``n - 1`` homes,
    not rows, and only placements of ``n`` homes other than the pair's own count (a home
    offered on two rows of one place, and a third home: the second child's pair there
    is kept). Without it each row is its own home.
    """
    if len(child) == 0:
        return np.zeros(0, bool)
    need = len(np.unique(child)) if competitors is None else competitors
    order = _order_by_child_then(child, place, cost)
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
    if home is not None:
        earlier = _homes_before(c_sorted, home[order], first[c_sorted], earlier)
    earlier[~np.isfinite(slack)] = -1
    keep_sorted = earlier < need
    keep = np.zeros(len(child), bool)
    keep[order] = keep_sorted
    return keep


def _homes_before(
    child: np.ndarray, home: np.ndarray, start: np.ndarray, before: np.ndarray
) -> np.ndarray:  # fmt: skip
    """Per pair (sorted by child, then in each child's order; ``start``: where its child's
    run begins), how many homes other than its own the first ``before`` pairs of its
    child's run give (``before`` itself where every pair's home is a row of its own)."""
    key = child.astype(np.int64) * (int(home.max(initial=0)) + 1) + home
    _, first_at, inverse = np.unique(key, return_index=True, return_inverse=True)
    new = np.zeros(len(key), np.int64)
    new[first_at] = 1  # the first pair of each (child, home) in the child's order
    seen = np.concatenate([[0], np.cumsum(new)])
    end = start + before.astype(np.int64)
    homes = seen[end] - seen[start]
    own = first_at[inverse] < end  # the pair's own home is among them: it does not count
    return (homes - own).astype(float)


def _order_by_child_then(child: np.ndarray, place: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """``np.lexsort((place, cost, child))``, faster: one stable sort of costs within
    runs when the pairs already come sorted by child then placement (as candidates do)."""
    key = child.astype(np.int64) * (int(place.max(initial=0)) + 1) + place
    if len(key) < 2 or np.all(key[1:] > key[:-1]):
        # ranks of cost (dense) within the whole array, then one integer sort
        rank_cost = np.unique(cost, return_inverse=True)[1].astype(np.int64)
        combined = child.astype(np.int64) * (int(rank_cost.max(initial=0)) + 1) + rank_cost
        return np.argsort(combined, kind="stable")
    return np.lexsort((place, cost, child))


def undominated_pairs(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """:func:`undominated` over candidate pairs of every referred child, counting homes
    (``prob.place_home``), not rows, as placements before a pair."""
    slack = dominance_slack(prob, params)
    return undominated(child, place, cost, prob.num_children, slack, home=prob.place_home[place])


def dominance_slack(prob: MatchProblem, params: MatchingParams) -> np.ndarray:
    """Per child, how much cheaper an option must be to dominate (see :func:`undominated`)."""
    split = np.inf if params.siblings == "together" else params.weights.sibling_split
    return np.where(prob.child_group >= 0, split, 0.0)
