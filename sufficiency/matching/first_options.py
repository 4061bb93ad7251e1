"""Each child's first options, which candidate generation keeps whatever their cost: the
pairs the greedy baseline may take and the reach of the dominance test
(:func:`~sufficiency.matching.pruning.undominated`), counted in homes, not rows.

Rows of one home (the same Ofsted URN and postcode, or one ``home_id``) share its places:
a children's home offered on two rows of one place and a third home are two homes, and
with two children referred the third home is a first option of each. Counted in rows,
the two rows of the one home were each child's first two options and the third home's
pairs were dropped: the second child was left unplaced, the plan called optimal.
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.problem import MatchProblem


def first_options(
    prob: MatchProblem, rows: np.ndarray, place: np.ndarray, cost: np.ndarray, num_rows: int,
    n: int, greedy_order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per row of a block (``rows``: each pair's), the cost below which a pair cannot be
    dominated (the ``n``-th cheapest home's cost, the ``n + 1``-th where the register
    gives a home on several rows, as a pair's own home does not count; ``inf`` with fewer
    homes), and per pair whether fewer than ``n`` homes other than its own come before it
    in the greedy baseline's order (the greedy baseline, each child in turn taking the
    first free option, may take it)."""
    num_places = prob.num_placements
    dense = np.full((num_rows, num_places), np.inf)
    dense[rows, place] = cost
    multi = [np.nonzero(prob.place_home == h)[0] for h in _homes_on_several_rows(prob)]
    for cols in multi:  # one home, one option: its cheapest row
        cheapest = dense[:, cols].min(axis=1)
        dense[:, cols] = np.inf
        dense[:, cols[0]] = cheapest
    k = n + 1 if multi else n
    reach = (
        np.partition(dense, k - 1, axis=1)[:, k - 1]
        if 0 < k <= num_places
        else np.full(num_rows, np.inf)
    )
    position = np.argsort(greedy_order)  # each placement's place in the greedy order
    ordered = np.zeros((num_rows, num_places), bool)
    ordered[rows, position[place]] = np.isfinite(cost)
    new_home = ordered.copy()  # the first option of its home in the greedy order
    own_seen = np.zeros_like(ordered)  # a later row of a home already counted
    for cols in multi:
        at = np.sort(position[cols])
        seen = np.cumsum(ordered[:, at], axis=1)
        new_home[:, at] = ordered[:, at] & (seen == 1)
        own_seen[:, at] = ordered[:, at] & (seen > 1)
    before = np.cumsum(new_home, axis=1) - new_home - own_seen
    first = ordered & (before < n)
    return reach, first[rows, position[place]]


def _homes_on_several_rows(prob: MatchProblem) -> list[int]:
    """The homes (first rows) the register gives on more than one row."""
    return np.unique(prob.place_home[prob.home_rows > 1]).tolist()
