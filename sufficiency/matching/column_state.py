"""What the rounds of column generation share: the units, the candidate pairs held, each
child's radius and the pool; bounding the pairs beyond a radius and widening it.

At national scale (:mod:`.spatial`) only the pairs within a radius of each child's home
are held; a plan using a pair beyond it costs at least a floor (:meth:`ColumnState.far_bounds`),
and the radius is widened (:meth:`ColumnState.widen`) when that floor could matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching import spatial
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.master import Pool
from sufficiency.matching.pricing import TooMany, groups
from sufficiency.matching.problem import MatchProblem

#: Pairs a widening of radii may add at once before the run settles for its gap.
MAX_NEW_PAIRS = 5_000_000
#: A child whose widened radius would hold at most this many pairs is widened at once.
JUMP_PAIRS = 20_000


@dataclass(eq=False)
class ColumnState:
    """Everything the rounds share: units, candidate pairs, the pool, radii."""

    prob: MatchProblem
    params: MatchingParams
    singles: np.ndarray
    unit_of_child: np.ndarray
    unplaced: np.ndarray
    child: np.ndarray  # every candidate pair held, singles' and groups' members'
    place: np.ndarray
    cost: np.ndarray
    radius: np.ndarray  # per child, miles within which every pair is held (inf: all)
    pool: Pool
    #: pairs held beyond their child's radius, as child * placements + placement
    beyond: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def num_units(self) -> int:
        return len(self.singles) + self.prob.num_groups

    def group_members(self, g: int) -> np.ndarray:
        return self.pool.groups[g].members

    def far_bounds(self, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
        """Per unit, a lower bound on the reduced cost of any column using a pair beyond a
        member's radius (the far placement's capacity dual is <= 0 and is dropped)."""
        out = np.full(self.num_units, np.inf)
        finite = np.isfinite(self.radius)
        if not finite.any():
            return out
        floor = spatial.far_floor(self.prob, self.params.weights, np.where(finite, self.radius, 0))
        floor = np.where(finite, floor, np.inf)
        n_s = len(self.singles)
        out[:n_s] = floor[self.singles] - alpha[:n_s]
        prob = self.prob
        for g, grp in enumerate(self.pool.groups):
            m = grp.members
            if np.isfinite(floor[m]).any():
                same = same_ring(prob, self.radius, m)
                out[n_s + g] = grp.far_bound(beta, float(alpha[n_s + g]), floor[m], same)
        return out

    def widen(self, alpha: np.ndarray, target: float, far: np.ndarray) -> bool:
        """Widen the radius of every unit whose far bound is below ``target`` until it is
        not, adding the new rings' pairs. Returns whether anything was widened."""
        w = self.params.weights
        n_s = len(self.singles)
        fee = spatial.fee_floor(self.prob, w)
        need_child = np.full(self.prob.num_children, np.inf)
        short = np.nonzero(far < target)[0]
        if len(short) == 0:
            return False
        for u in short.tolist():
            if u >= n_s:  # a group: widen its members a step
                kids = self.group_members(u - n_s)
                need_child[kids] = 1e9
                continue
            kids = self.singles[[u]]
            # far_floor(r) >= target + alpha, solved for r (school terms left out)
            goal = target + alpha[u] - fee[kids]
            if w.per_mile_from_home <= 0:
                r = np.full(len(kids), np.inf)
            else:
                plain = goal / w.per_mile_from_home
                past = (goal - w.far_from_home) / w.per_mile_from_home
                r = np.where(plain <= w.far_from_home_miles, plain,
                             np.maximum(w.far_from_home_miles, past))  # fmt: skip
            need_child[kids] = np.minimum(need_child[kids], r)
        grow = np.isfinite(self.radius) & (need_child < np.inf)
        # a step at a time (at most doubling), as duals far from the optimum ask too much;
        # straight to what is needed for a child with few pairs (few options anywhere)
        want = np.minimum(need_child * 1.25 + 1.0, spatial.MAX_RADIUS_MILES)
        count = np.bincount(self.child, minlength=self.prob.num_children)  # pairs held
        cheap = count * (want / np.maximum(self.radius, 1.0)) ** 2 <= JUMP_PAIRS
        step = np.where(
            cheap, want, np.minimum(want, np.maximum(self.radius * 2, self.radius + 10))
        )
        new = np.where(grow, np.maximum(step, self.radius * 1.25), self.radius)
        for u in short[short >= n_s].tolist():  # siblings keep one radius (see far_bound)
            members = self.group_members(u - n_s)
            new[members] = new[members].max()
        new = np.minimum(new, spatial.MAX_RADIUS_MILES)
        kids = np.nonzero(new > self.radius)[0]
        if len(kids) == 0:
            return False
        # pairs grow with the area: widen the worst-off children first, as many as the
        # budget allows (the rest wait for the next round)
        grown = count[kids] * ((new[kids] / np.maximum(self.radius[kids], 1.0)) ** 2 - 1.0) + 1.0
        worst = np.full(self.prob.num_children, np.inf)
        for u in short.tolist():
            members = self.singles[[u]] if u < n_s else self.group_members(u - n_s)
            worst[members] = np.minimum(worst[members], far[u])
        order = np.argsort(worst[kids], kind="stable")
        fits = np.cumsum(grown[order]) <= MAX_NEW_PAIRS
        if not fits.any():
            raise TooMany
        kids = np.sort(kids[order[fits]])
        c, p = spatial.ring_pairs(self.prob, kids, self.radius[kids], new[kids])
        if len(c) and len(self.beyond):  # held already (see spatial.with_pairs)
            fresh = ~np.isin(c * self.prob.num_placements + p, self.beyond)
            c, p = c[fresh], p[fresh]
        # at the largest radius every pair of the child is held
        self.radius[kids] = np.where(new[kids] >= spatial.MAX_RADIUS_MILES, np.inf, new[kids])
        if len(c):
            k = pair_cost(self.prob, c, p, self.params.weights)
            self._extend(c, p, k)
        return True

    def _extend(self, c: np.ndarray, p: np.ndarray, k: np.ndarray) -> None:
        self.child = np.concatenate([self.child, c])
        self.place = np.concatenate([self.place, p])
        self.cost = np.concatenate([self.cost, k])
        solo = self.prob.child_group[c] < 0
        pool = self.pool
        pool.pair_child = np.concatenate([pool.pair_child, c[solo]])
        pool.pair_place = np.concatenate([pool.pair_place, p[solo]])
        pool.pair_cost = np.concatenate([pool.pair_cost, k[solo]])
        pool.keep = np.concatenate([pool.keep, np.zeros(int(solo.sum()), bool)])
        touched = np.unique(self.prob.child_group[c[~solo]])
        if len(touched):
            mine = np.isin(self.prob.child_group[self.child], touched)
            fresh = groups(self.prob, self.child[mine], self.place[mine], self.cost[mine],
                            self.params)  # fmt: skip
            for g in touched.tolist():
                pool.groups[g] = fresh[g]


def same_ring(prob: MatchProblem, radius: np.ndarray, members: np.ndarray) -> bool:
    """Whether the ``members`` share one home and one radius: then a placement beyond one
    member's radius is beyond every member's (see :meth:`.pricing.Group.far_bound`)."""
    m = members
    return bool(
        (radius[m] == radius[m[0]]).all()
        and (prob.child_home_east[m] == prob.child_home_east[m[0]]).all()
        and (prob.child_home_north[m] == prob.child_home_north[m[0]]).all()
    )
