"""A large-neighbourhood search: a plan improved a few children at a time.

On crowded instances (200 children x 500 homes) the full model of :mod:`.formulation`
is too large for HiGHS to find good plans in the time: its root node alone takes most of
it, and the plan it starts from (column generation's, polished) can leave a child
unplaced whom a few moves would place. Here the same model is solved over a
neighbourhood: some children are *freed* (every candidate pair of theirs), the others
keep their placements (their pair's ``x`` fixed at 1), so the small MIP's plans are
exactly the plans of the full model that move only the freed children, every rule
included. Its optimum, started from the plan, is never worse; it is kept when cheaper.

Neighbourhoods, in turn (each completed with the whole sibling groups of its children):

* ``unplaced``: a child left unplaced who has a candidate pair, and the children at
  its cheapest placements;
* ``split``: a sibling group split over several homes (or partly unplaced), and
  the children at the placements where the whole group could go, cheapest first;
* ``area``: the children at the placements nearest one placement the plan uses.

Each takes children until :data:`CHILDREN_PER_NEIGHBOURHOOD` are freed. The choices come
from a generator seeded with :data:`SEED`, and each small MIP is solved to its gap (they
take a fraction of a second to a few seconds), so the same inputs give the same plan:
the search stops after :data:`STALL_ROUNDS` neighbourhoods in a row bring nothing, or
at :data:`MAX_ROUNDS`, and only a deadline reached first (a busy machine) makes the
wall clock decide where it stops.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching import backends
from sufficiency.matching.backends import SolveOptions, SolveStatus
from sufficiency.matching.formulation import build_model, plan_values
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import TOLERANCE_GBP
from sufficiency.matching.stop import MIN_SOLVER_SECONDS, Deadline

#: Children freed per neighbourhood (before its sibling groups are completed): a MIP over
#: 25-50 children and their 2,000-6,000 pairs solves in 0.1-4 CPU s at 200 x 500.
CHILDREN_PER_NEIGHBOURHOOD = 25
#: Neighbourhoods in a row that bring nothing before the search stops.
STALL_ROUNDS = 20
#: Most neighbourhoods tried in one search.
MAX_ROUNDS = 600
#: Seed of the generator choosing the neighbourhoods.
SEED = 0
#: The kinds of neighbourhood, taken in turn.
KINDS = ("unplaced", "split", "area")
#: Candidate pairs (after dominance) from which the search runs before the full model.
#: Crowded instances of 80 children x 250 homes (4,000-8,000 pairs) are proven optimal by
#: the full model within 60 s, and the search, run first, only took its time (seed 8: the
#: proof not reached in the time left); at 200 x 500 (25,000-27,000 pairs) the full model
#: never proves its plan in 120 s and the search finds far better plans (docs/matching.md).
SEARCH_FROM_PAIRS = 12_000


@dataclass(frozen=True)
class SearchOutcome:
    """What the search did: its plan (never worse than the one it started from), how
    many neighbourhoods it tried and improved the plan with, and why it stopped."""

    where: np.ndarray
    rounds: int
    improved: int
    stopped: str


def improve(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, where: np.ndarray, stop: Deadline,
) -> SearchOutcome:  # fmt: skip
    """Improve ``where`` (placement per child, -1 unplaced; breaking no rule, on the
    given pairs, sorted by child then placement) one neighbourhood at a time until
    :data:`STALL_ROUNDS` bring nothing, :data:`MAX_ROUNDS` are tried or ``stop`` has
    gone (see the module notes)."""
    search = _Search(prob, child, place, cost, where.copy())
    rng = np.random.default_rng(SEED)
    rounds = improved = stalled = 0
    stopped = f"{STALL_ROUNDS} neighbourhoods in a row brought nothing"
    while True:
        if rounds >= MAX_ROUNDS:
            stopped = f"{MAX_ROUNDS} neighbourhoods tried"
            break
        if stalled >= STALL_ROUNDS:
            break
        if stop.remaining() < MIN_SOLVER_SECONDS:
            stopped = "its share of the time had gone"
            break
        kind = KINDS[rounds % len(KINDS)]
        rounds += 1
        freed = search.neighbourhood(kind, rng)
        if freed is None:
            stalled += 1
            continue
        better = _solve(prob, params, child, place, cost, search.where, freed, stop)
        if better is None:
            stalled += 1
            continue
        search.where = better
        improved += 1
        stalled = 0
    return SearchOutcome(search.where, rounds, improved, stopped)


def _solve(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, where: np.ndarray, freed: np.ndarray, stop: Deadline,
) -> np.ndarray | None:  # fmt: skip
    """The full model over the freed children's pairs and the others' own pairs (fixed),
    started from ``where``: its plan when cheaper, else ``None``."""
    mine = freed[child]
    kept = ~mine & (where[child] == place)
    take = mine | kept
    c, p, k = child[take], place[take], cost[take]
    model = build_model(prob, c, p, k, params)
    lb = model.lb.copy()
    lb[: len(c)][kept[take]] = 1.0  # the children not freed stay where they are
    model = replace(model, lb=lb)
    start = plan_values(prob, c, p, model, where)
    if start is None:  # cannot happen for a plan breaking no rule: left as it is
        return None
    options = SolveOptions(stop.solver_seconds(), params.mip_gap, start=start)
    out = backends.solve_mip(params.solver, model, options)
    if out.values is None or out.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE,
                                                 SolveStatus.TIME_LIMIT):  # fmt: skip
        return None
    values = np.asarray(out.values, float)
    now, then = float(model.obj @ start), float(model.obj @ values)
    if then >= now - TOLERANCE_GBP * max(1.0, abs(now)):
        return None
    new = np.full(prob.num_children, -1, np.int64)
    used = values[: len(c)] > 0.5
    new[c[used]] = p[used]
    return new


class _Search:
    """The plan being improved and the neighbourhoods chosen around it."""

    def __init__(self, prob: MatchProblem, child: np.ndarray, place: np.ndarray,
                 cost: np.ndarray, where: np.ndarray) -> None:  # fmt: skip
        self.prob, self.place, self.cost, self.where = prob, place, cost, where
        self.first = np.searchsorted(child, np.arange(prob.num_children + 1))
        self.group = prob.child_group

    def _pairs(self, c: int) -> np.ndarray:
        return np.arange(self.first[c], self.first[c + 1])

    def neighbourhood(self, kind: str, rng: np.random.Generator) -> np.ndarray | None:
        """The children to free (a mask), or ``None`` when the plan offers none of the
        kind (no child left unplaced who has a pair, no split group)."""
        prob, where = self.prob, self.where
        freed = np.zeros(prob.num_children, bool)
        if kind == "unplaced":
            has_pairs = np.diff(self.first) > 0
            left = np.nonzero((where < 0) & has_pairs)[0]
            if not len(left):
                return None
            c = int(rng.choice(left))
            freed[c] = True
            ks = self._pairs(c)
            order = np.lexsort((self.place[ks], self.cost[ks]))
            self._fill(freed, self.place[ks][order])
        elif kind == "split":
            split = self._split_groups()
            if not len(split):
                return None
            g = int(rng.choice(split))
            kids = np.nonzero(self.group == g)[0]
            freed[kids] = True
            self._fill(freed, self._common_places(kids))
        else:
            used = np.unique(where[where >= 0])
            if not len(used):
                return None
            p0 = int(rng.choice(used))
            miles = np.hypot(prob.place_east - prob.place_east[p0],
                             prob.place_north - prob.place_north[p0])  # fmt: skip
            # placements not on the grid (kept by rule 15's assume_far) come last
            miles = np.where(np.isfinite(miles), miles, np.inf)
            self._fill(freed, np.lexsort((np.arange(len(miles)), miles)))
        # whole sibling groups
        groups = np.unique(self.group[freed & (self.group >= 0)])
        freed |= np.isin(self.group, groups) & (self.group >= 0)
        return freed

    def _fill(self, freed: np.ndarray, places: np.ndarray) -> None:
        """Free the children at ``places``, in order, until enough are freed."""
        at = self.where
        for p in places.tolist():
            if freed.sum() >= CHILDREN_PER_NEIGHBOURHOOD:
                break
            freed |= at == p

    def _split_groups(self) -> np.ndarray:
        grp, where = self.group, self.where
        members = grp >= 0
        if not members.any():
            return np.zeros(0, np.int64)
        # by home: siblings on rows of one home are together, not split
        g, p = grp[members], self.prob.household_of(where[members])
        n_g = self.prob.num_groups
        unplaced = np.bincount(g[p < 0], minlength=n_g) > 0
        low = np.full(n_g, np.iinfo(np.int64).max)
        high = np.full(n_g, -1)
        np.minimum.at(low, g, p)
        np.maximum.at(high, g, p)
        return np.nonzero(unplaced | (low != high))[0]

    def _common_places(self, kids: np.ndarray) -> np.ndarray:
        """The placements every one of ``kids`` has a pair at, cheapest for them first."""
        common: dict[int, float] | None = None
        for c in kids.tolist():
            ks = self._pairs(c)
            here = dict(zip(self.place[ks].tolist(), self.cost[ks].tolist(), strict=True))
            common = here if common is None else {
                q: v + here[q] for q, v in common.items() if q in here
            }  # fmt: skip
        if not common:
            return np.zeros(0, np.int64)
        order = sorted(common, key=lambda q: (common[q], q))
        return np.asarray(order, np.int64)


def worthwhile(solver: str, num_pairs: int) -> bool:
    """Whether the search runs before the full model: over at least
    :data:`SEARCH_FROM_PAIRS` candidate pairs (below it the full model proves the
    optimum itself, and the search only takes its time), with a backend that starts a MIP
    from a plan and solves it in this process (:attr:`.backends.Feature.MIP_START`:
    ``highspy``)."""
    return (
        num_pairs >= SEARCH_FROM_PAIRS
        and backends.Feature.MIP_START in backends.features(solver)
        and not backends.needs_isolation(solver)
    )
