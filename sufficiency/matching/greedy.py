"""A greedy baseline that mimics today's practice, for comparison with the optimiser.

Children are taken in urgency order (pinned by a team decision first, then needed
today, then by ID); each goes to the cheapest placement that breaks no hard rule
given the children already placed, in-house placements first.
"""

from __future__ import annotations

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.candidates import Candidates, placement_order
from sufficiency.matching.homes import home_full
from sufficiency.matching.problem import NEEDED_BY_RANK, MatchProblem
from sufficiency.matching.rules import birth_days, rule_breaks

_FIRST_CHUNK = 256
#: Children whose first options are looked up at once (in the order they are placed),
#: and the placements with room looked at for each: one array operation instead of one
#: per child (5,000 children against 100,000 placements: 15 s to about 3 s).
_BLOCK_CHILDREN = 128
_BLOCK_PLACEMENTS = 512


def can_join(
    prob: MatchProblem, c: int, p: int, members: list[int], siblings_together: bool,
    place_of_child: np.ndarray,
) -> bool:  # fmt: skip
    """Whether child ``c`` may join ``members`` already placed in ``p`` (rules 1, 2, 10,
    11 and 14), and the children ``place_of_child`` places on the other rows of ``p``'s
    home (rules 10, 11 and 14, and the home's places across its rows: rules 1 and 2).
    Siblings who must stay together may take any rows of one home (they live together)."""
    grp = prob.child_group
    if siblings_together and grp[c] >= 0:
        elsewhere = place_of_child[(grp == grp[c]) & (place_of_child >= 0)]
        if len(elsewhere) and np.any(prob.place_home[elsewhere] != prob.place_home[p]):
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
    others = list(members)
    if prob.home_rows[p] > 1:  # a home on several rows of the register
        if home_full(prob, c, p, place_of_child):
            return False
        home = prob.place_home
        at = place_of_child
        mates = (at >= 0) & (at != p) & (home[np.maximum(at, 0)] == home[p])
        others += [int(m) for m in np.nonzero(mates)[0] if m != c]
    if others:
        conflict = prob.derived("_greedy_conflict", _Conflict)
        if any(conflict(c, m) for m in others):
            return False
    return True


class _Conflict:
    """:func:`.rules.children_conflict` for one pair of children at a time, over plain
    Python values: the greedy baseline asks it tens of thousands of times about one or
    two children, where an array operation costs a hundred times more than the test."""

    def __init__(self, prob: MatchProblem) -> None:
        along = prob.referrals["alongside"].to_numpy(object)
        self.solo = (along == "solo").tolist()
        self.older = (along == "only_older").tolist()
        self.younger = (along == "only_younger").tolist()
        self.sexual = np.asarray(prob.child_harm_sexual, bool).tolist()
        gap = prob.harm_physical_years_younger
        self.physical = (np.asarray(prob.child_harm_physical, bool) & (gap > 0)).tolist()
        self.gap = gap
        self.age = np.asarray(prob.child_age_years).tolist()
        self.born = prob.derived("_birth_days", birth_days).tolist()
        self.group = np.asarray(prob.child_group).tolist()

    def one_way(self, c: int, o: int) -> bool:
        ac, ao = self.age[c], self.age[o]
        return bool(
            self.solo[c]
            or (self.older[c] and not ao > ac)
            or (self.younger[c] and not ao < ac)
            or (self.sexual[c] and self.born[o] > self.born[c])
            or (self.physical[c] and ao <= ac - self.gap)
        )

    def __call__(self, a: int, b: int) -> bool:
        """Whether children ``a`` and ``b`` may not share a placement."""
        if self.group[a] >= 0 and self.group[a] == self.group[b]:
            return False
        return self.one_way(a, b) or self.one_way(b, a)


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


def _options_in_order(prob: MatchProblem, taken: np.ndarray, sequence: np.ndarray):  # type: ignore[no-untyped-def]
    """Each child's rule-abiding placements in greedy order that still have room given
    ``taken`` (children placed so far per placement), a chunk at a time: no pair list is
    built, and full placements are skipped without a look.

    ``sequence`` is the order the children are asked in: when a child is first asked,
    the rules are applied at once to it and the next :data:`_BLOCK_CHILDREN` children
    against the first :data:`_BLOCK_PLACEMENTS` placements with room then (a placement
    without room never has room again, as ``taken`` only grows); each child's options
    come from that list, checked for room as they are given, and past its end from the
    register chunk by chunk. The options given are the same either way."""
    order = placement_order(prob)
    position = np.empty(len(order), np.int64)
    position[order] = np.arange(len(order))
    foster_empty, vacancies = prob.place_foster_empty, prob.place_vacancies
    cap = prob.place_capacity
    grp = prob.child_group
    seq = np.asarray(sequence, np.int64)
    at_seq = np.full(prob.num_children, -1, np.int64)
    at_seq[seq] = np.arange(len(seq))
    # per child looked up: (its rule-abiding placements among those looked at, in greedy
    # order; where in ``order`` the register is taken up again)
    ahead: dict[int, tuple[list[int], int]] = {}

    def look_ahead(c: int) -> None:
        i = int(at_seq[c])
        block = seq[i : i + _BLOCK_CHILDREN] if i >= 0 else np.array([c], np.int64)
        block = block[[int(b) not in ahead for b in block.tolist()]]
        n = taken[order]
        # room for some child (siblings may also use an empty foster home's vacancies)
        room = order[(n < cap[order]) | foster_empty[order] & (n < vacancies[order])]
        seen = room[:_BLOCK_PLACEMENTS]
        resume = int(position[seen[-1]]) + 1 if len(room) > _BLOCK_PLACEMENTS else len(order)
        ok = np.asarray(~rule_breaks(prob, block[:, None], seen[None, :]).any(axis=0), bool)
        for k, b in enumerate(block.tolist()):
            ahead[b] = (seen[ok[k]].tolist(), resume)

    def options(c: int):  # type: ignore[no-untyped-def]
        if c not in ahead:
            look_ahead(c)
        first, s = ahead.pop(c)
        for p in first:
            n = taken[p]
            if n < cap[p] or (grp[c] >= 0 and foster_empty[p] and n < vacancies[p]):
                yield p
        size = _FIRST_CHUNK
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
    sequence = np.lexsort((np.arange(prob.num_children), rank))
    members: dict[int, list[int]] = {}
    together = params.siblings == "together"
    taken = np.zeros(prob.num_placements, np.int64)
    if candidates is None:
        options = _options_in_order(prob, taken, sequence)
    else:
        order, _ = greedy_order(prob, candidates.child, candidates.place)
        child, place = candidates.child[order], candidates.place[order]
        start = np.searchsorted(child, np.arange(prob.num_children), side="left")
        stop = np.searchsorted(child, np.arange(prob.num_children), side="right")

        def options(c: int):  # type: ignore[no-untyped-def]
            yield from place[start[c] : stop[c]].tolist()

    grp = prob.child_group
    group_at: dict[int, int] = {}  # with siblings together: the home the group went to
    for c in sequence:
        g = int(grp[c])
        if together and g in group_at:
            # the only placements left are the rows of the group's home, in greedy order,
            # those the child may go to at all
            rows = _home_rows_in_order(prob, group_at[g])
            fits = ~rule_breaks(prob, np.full(len(rows), c), rows).any(axis=0)
            tries = iter(rows[fits].tolist())
        else:
            tries = options(int(c))
        for p in tries:
            here = members.setdefault(int(p), [])
            if can_join(prob, int(c), int(p), here, together, where):
                here.append(int(c))
                where[c] = p
                taken[p] += 1
                if g >= 0:
                    group_at.setdefault(g, int(prob.place_home[p]))
                break
    return where


def _home_rows_in_order(prob: MatchProblem, home: int) -> np.ndarray:
    """The rows of one home (``home`` its first row), in the greedy baseline's order."""
    if prob.home_rows[home] <= 1:
        return np.array([home], np.int64)
    rows = prob.derived("_home_rows_in_order", _by_home)
    lo, hi = np.searchsorted(prob.place_home[rows], [home, home + 1])
    return np.asarray(rows[lo:hi], np.int64)


def _by_home(prob: MatchProblem) -> np.ndarray:
    """Every placement row, by home (its first row), each home's rows in greedy order."""
    order = placement_order(prob)
    return order[np.argsort(prob.place_home[order], kind="stable")]


__all__ = ["can_join", "greedy_order", "greedy_plan", "placement_order"]
