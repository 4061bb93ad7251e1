"""A greedy baseline that mimics today's practice, for comparison with the optimiser.

Children are taken in urgency order (needed today first, then by ID); each goes
to the cheapest placement that breaks no hard rule given the children already
placed, in-house placements first.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.candidates import Candidates, children_conflict, generate_candidates
from sufficiency.matching.problem import NEEDED_BY_RANK, MatchProblem


def can_join(
    prob: MatchProblem, c: int, p: int, members: list[int], siblings_together: bool,
    place_of_child: np.ndarray,
) -> bool:  # fmt: skip
    """Whether child ``c`` may join ``members`` already placed in ``p`` (rules 1, 9-11)."""
    grp = prob.child_group
    if siblings_together and grp[c] >= 0:
        elsewhere = place_of_child[(grp == grp[c]) & (place_of_child >= 0)]
        if len(elsewhere) and np.any(elsewhere != p):
            return False
    n = len(members) + 1
    if n > prob.place_capacity[p]:
        foster_empty, vacancies = prob.derived("greedy_exemption", _exemption_arrays)
        exempt = (
            foster_empty[p]
            and n <= vacancies[p]
            and grp[c] >= 0
            and all(grp[m] == grp[c] for m in members)
        )
        if not exempt:
            return False
    if members:
        others = np.array(members, dtype=np.int64)
        if children_conflict(prob, np.full(len(others), c), others).any():
            return False
    return True


def _exemption_arrays(prob: MatchProblem) -> tuple[np.ndarray, np.ndarray]:
    """Foster homes with no children now, and every placement's vacancies."""
    plc = prob.placements
    foster_empty = (plc["setting"] == "foster").to_numpy() & (
        plc["current_children"].to_numpy(np.int64) == 0
    )
    return foster_empty, plc["vacancies"].to_numpy(np.int64)


def placement_order(prob: MatchProblem) -> np.ndarray:
    """Placement rows in the order the greedy baseline tries them: in-house first, then
    cheapest, then by row."""
    plc = prob.placements
    in_house_last = (plc["provider"] != "in_house").to_numpy(np.int64)
    cost = plc["weekly_cost"].to_numpy(float)
    return np.lexsort((np.arange(len(cost)), cost, in_house_last))


def greedy_order(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs in the greedy baseline's order (by child; in-house first, then cheapest), and
    each pair's rank within its child's list."""
    n_p = prob.num_placements
    # the placements' own order (in-house first, cheapest, then row), then by child
    place_rank = np.empty(n_p, np.int64)
    place_rank[placement_order(prob)] = np.arange(n_p)
    key = child.astype(np.int64) * max(n_p, 1) + place_rank[place]
    order = np.argsort(key, kind="stable")
    first = np.searchsorted(child[order], np.arange(prob.num_children), side="left")
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - first[child[order]]
    return order, rank


def greedy_plan(
    prob: MatchProblem, params: MatchingParams, candidates: Candidates | None = None
) -> np.ndarray:
    """Placement row index for each child under the greedy rule, -1 when unplaced."""
    cands = candidates if candidates is not None else generate_candidates(prob)
    order, _ = greedy_order(prob, cands.child, cands.place)
    child, place = cands.child[order], cands.place[order]
    start = np.searchsorted(child, np.arange(prob.num_children), side="left")
    stop = np.searchsorted(child, np.arange(prob.num_children), side="right")
    rank = prob.referrals["needed_by"].map(NEEDED_BY_RANK).fillna(3).to_numpy()
    where = np.full(prob.num_children, -1, np.int64)
    members: dict[int, list[int]] = {}
    together = params.siblings == "together"
    for c in np.lexsort((np.arange(prob.num_children), rank)):
        for p in place[start[c] : stop[c]]:
            here = members.setdefault(int(p), [])
            if can_join(prob, int(c), int(p), here, together, where):
                here.append(int(c))
                where[c] = p
                break
    return where
