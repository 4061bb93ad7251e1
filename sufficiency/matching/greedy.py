"""A greedy baseline that mimics today's practice, for comparison with the optimiser.

Children are taken in urgency order (pinned by a team decision first, then needed
today, then by ID); each goes to the cheapest placement that breaks no hard rule
given the children already placed, in-house placements first.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.candidates import Candidates, placement_order
from sufficiency.matching.problem import NEEDED_BY_RANK, MatchProblem
from sufficiency.matching.rules import children_conflict, rule_breaks

_FIRST_CHUNK = 256


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
        exempt = (
            prob.place_foster_empty[p]
            and n <= prob.place_vacancies[p]
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


def _options_in_order(prob: MatchProblem, taken: np.ndarray):  # type: ignore[no-untyped-def]
    """Each child's rule-abiding placements in greedy order that still have room given
    ``taken`` (children placed so far per placement), a chunk at a time: no pair list is
    built, and full placements are skipped without a look."""
    order = placement_order(prob)
    foster_empty, vacancies = prob.place_foster_empty, prob.place_vacancies
    cap = prob.place_capacity
    grp = prob.child_group

    def options(c: int):  # type: ignore[no-untyped-def]
        s, size = 0, _FIRST_CHUNK
        while s < len(order):
            chunk = order[s : s + size]
            s, size = s + size, size * 2
            n = taken[chunk]
            room = (n < cap[chunk]) | (grp[c] >= 0) & foster_empty[chunk] & (n < vacancies[chunk])
            chunk = chunk[room]
            ok = ~rule_breaks(prob, np.full(len(chunk), c), chunk).any(axis=0)
            yield from chunk[ok].tolist()

    return options


def greedy_plan(
    prob: MatchProblem, params: MatchingParams, candidates: Candidates | None = None
) -> np.ndarray:
    """Placement row index for each child under the greedy rule, -1 when unplaced."""
    rank = prob.referrals["needed_by"].map(NEEDED_BY_RANK).fillna(3).to_numpy()
    if prob.decision_pin is not None:
        rank = np.where(prob.decision_pin >= 0, -1, rank)  # the team's pins come first
    where = np.full(prob.num_children, -1, np.int64)
    members: dict[int, list[int]] = {}
    together = params.siblings == "together"
    taken = np.zeros(prob.num_placements, np.int64)
    if candidates is None:
        options = _options_in_order(prob, taken)
    else:
        order, _ = greedy_order(prob, candidates.child, candidates.place)
        child, place = candidates.child[order], candidates.place[order]
        start = np.searchsorted(child, np.arange(prob.num_children), side="left")
        stop = np.searchsorted(child, np.arange(prob.num_children), side="right")

        def options(c: int):  # type: ignore[no-untyped-def]
            yield from place[start[c] : stop[c]].tolist()

    grp = prob.child_group
    group_at: dict[int, int] = {}  # with siblings together: where the group went
    for c in np.lexsort((np.arange(prob.num_children), rank)):
        g = int(grp[c])
        if together and g in group_at:
            # the only placement left is the group's, if the child may go there at all
            p = group_at[g]
            fits = not rule_breaks(prob, np.array([c]), np.array([p])).any()
            tries = iter([p] if fits else [])
        else:
            tries = options(int(c))
        for p in tries:
            here = members.setdefault(int(p), [])
            if can_join(prob, int(c), int(p), here, together, where):
                here.append(int(c))
                where[c] = p
                taken[p] += 1
                if g >= 0:
                    group_at.setdefault(g, int(p))
                break
    return where


__all__ = ["can_join", "greedy_order", "greedy_plan", "placement_order"]
