"""Column generation over assignment patterns: how :func:`.solve` proves optimality at scale.

The compact model of :mod:`.formulation` links pairs to sibling-group variables
``y[g,p]``; its relaxation spreads a group over placements, and closing the gap
needs far more pairs than a solver handles in time. Here the same problem is a
master over *units* (a Dantzig-Wolfe reformulation of the sibling groups):

* a child without referred siblings (a *single*) takes one candidate pair or stays
  unplaced;
* a sibling group takes one *pattern*: a partition of the members it places into
  *blocks*, each block at a different placement, the rest unplaced. Its cost is the
  members' pair costs, the unplaced penalties and the split weight for each placement
  beyond the first (with ``siblings = "together"`` a pattern has at most one block);
* one capacity row per placement. A pair uses one place; a block as many places as it
  has members, or, when it is bigger than the usual fostering limit allows and takes
  an empty foster home under the sibling exemption, the home's whole usual capacity,
  so nobody else can join it;
* who-lives-alongside rows (children of different units at one placement) are left out
  of the LP, a relaxation, and added to the MIP for the pairs of children its plan
  puts together against the rules, until its plan breaks none.

Pricing. With LP duals ``alpha`` (one per unit) and ``beta`` (capacity rows, <= 0), a
single's pair has reduced cost ``cost - alpha[c] - beta[p]``, and a pattern the sum
over its blocks of ``block cost - places used * beta[p]``, plus its unplaced penalties
and splits, minus ``alpha[g]``. The cheapest pattern of a group is exact: for each
partition of a subset of the members into blocks, each block's few cheapest placements
are searched for the best distinct choice (:meth:`_Group.price`). Lowering each unit's
dual by its most negative reduced cost makes the duals feasible for every column, so
``z_dual = z_lp + sum of those minima`` bounds every plan (it is the LP optimum once
nothing prices out), and a plan that uses a column left out costs at least ``z_dual``
plus that column's adjusted reduced cost. After the MIP over the pool, every column
whose adjusted reduced cost is below ``incumbent * (1 - gap) - z_dual`` is added
(patterns by :meth:`_Group.enumerate`) and the MIP solved again. The bound reported
for the full model is the larger of ``z_dual`` and the smaller of the MIP's bound over
the pool and the cheapest plan through a column left out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.errors import SolverError
from sufficiency.matching import backends, spatial
from sufficiency.matching.backends import MipOutcome, SolveOptions
from sufficiency.matching.candidates import children_conflict
from sufficiency.matching.costs import pair_cost, unplaced_cost
from sufficiency.matching.formulation import LinearModel
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import TOLERANCE_GBP, initial_subset, most_negative

#: Largest sibling group the pattern master takes (partitions of 6 members: 877);
#: :func:`.solve` uses the compact model for an instance with a bigger group.
MAX_GROUP_SIZE = 6
_START_PER_CHILD = 20
_ADD_PER_CHILD = 20
_PATTERNS_PER_ROUND = 10
#: Patterns one group may list below a threshold before the run settles for its gap.
_ENUMERATION_LIMIT = 100_000
#: Columns the pool may reach after the MIP before the run settles for its gap.
_MAX_COLUMNS = 300_000
#: Pairs a widening of radii may add at once before the run settles for its gap.
_MAX_NEW_PAIRS = 5_000_000
#: A child whose widened radius would hold at most this many pairs is widened at once.
_JUMP_PAIRS = 20_000
#: Share of the time limit pricing may use before the pool is solved as it stands.
PRICING_SHARE = 0.5
#: Share of the time limit after which no more columns are added for the proof (the
#: MIPs still to solve need the rest).
PROOF_SHARE = 0.75


@dataclass(frozen=True)
class Clock:
    """The time a stage may use: from ``start`` to ``deadline`` (``time.perf_counter()``
    readings). Shares (:data:`PRICING_SHARE`, :data:`PROOF_SHARE`) are of that span."""

    start: float
    deadline: float

    def past(self, share: float = 1.0) -> bool:
        """Whether more than ``share`` of the span has gone."""
        return time.perf_counter() - self.start > share * (self.deadline - self.start)

    def remaining(self) -> float:
        """Seconds left for a solver call (at least half a second, so a late MIP still
        has a moment to return the plan it has)."""
        return max(self.deadline - time.perf_counter(), 0.5)


class _TooMany(Exception):
    """More patterns below a threshold than :data:`_ENUMERATION_LIMIT`."""


@cache
def _partitions(k: int, together: bool) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Every (placed members, blocks) for a group of ``k``: a subset of the members as
    a bit mask and a partition of it into blocks (bit masks), at most one block when
    siblings must stay together."""

    def split(mask: int) -> list[tuple[int, ...]]:
        if mask == 0:
            return [()]
        low = mask & -mask
        rest, sub, out = mask ^ low, mask ^ low, []
        while True:
            blk = low | sub
            out += [(blk, *tail) for tail in split(mask ^ blk)]
            if sub == 0:
                return out
            sub = (sub - 1) & rest

    return tuple(
        (placed, blocks)
        for placed in range(1 << k)
        for blocks in split(placed)
        if not (together and len(blocks) > 1)
    )


@dataclass(eq=False)
class _Group:
    """One sibling group: for every subset of its members, the placements that can
    take the whole subset together, what that costs and how many places it uses."""

    members: np.ndarray
    unplaced: np.ndarray  # penalty per member
    blocks: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]  # mask: places, cost, uses
    split: float
    together: bool

    def _values(self, beta: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray, float]]:
        """Per block mask: its placements, their reduced block costs, and the least."""
        out = {}
        for mask, (places, cost, uses) in self.blocks.items():
            v = cost - uses * beta[places]
            out[mask] = (places, v, float(v.min()))
        return out

    def _frames(self, alpha: float, vals: dict) -> list[tuple[float, tuple[int, ...]]]:
        """(reduced cost with each block at its cheapest placement, blocks) per partition."""
        out = []
        full = (1 << len(self.members)) - 1
        for placed, blocks in _partitions(len(self.members), self.together):
            if any(b not in vals for b in blocks):
                continue
            left = full & ~placed
            lower = sum(vals[b][2] for b in blocks) + self.split * max(len(blocks) - 1, 0)
            lower += float(sum(self.unplaced[i] for i in range(len(self.members)) if left >> i & 1))
            out.append((lower - alpha, blocks))
        return out

    def price(self, beta: np.ndarray, alpha: float) -> tuple[float, list[tuple]]:
        """The least reduced cost of any pattern, and up to :data:`_PATTERNS_PER_ROUND`
        patterns with negative reduced cost (the best of each partition)."""
        vals = self._values(beta)
        found: list[tuple[float, tuple]] = []
        for lower, blocks in self._frames(alpha, vals):
            best = _best_distinct(blocks, vals, lower)
            if best is not None:
                found.append(best)
        found.sort(key=lambda f: f[0])
        least = found[0][0] if found else np.inf
        return least, [f for f in found if f[0] < -TOLERANCE_GBP][:_PATTERNS_PER_ROUND]

    def far_bound(
        self, beta: np.ndarray, alpha: float, floor: np.ndarray, same_ring: bool
    ) -> float:
        """A lower bound on the reduced cost of any pattern placing some members beyond
        their radius, where each such member costs at least ``floor`` (``inf`` for a
        member whose pairs are all held). The far members ``F`` are left out of a frame of
        the others (which counted them unplaced) and priced at their floor. When every
        member has the same home and radius (``same_ring``), a placement beyond one
        member's radius is beyond every member's, so far members are in another block
        than the frame's and a split is paid; otherwise none is assumed."""
        vals = self._values(beta)
        delta = [float(floor[i] - self.unplaced[i]) for i in range(len(self.members))]
        least = np.inf
        for lower, blocks in self._frames(alpha, vals):
            placed = 0
            for b in blocks:
                placed |= b
            free = sorted(d for i, d in enumerate(delta) if not placed >> i & 1 and d < np.inf)
            if free:
                gain = sum(d for d in free if d < 0) if free[0] < 0 else free[0]
                split = self.split if same_ring and blocks else 0.0
                least = min(least, lower + gain + split)
        return least

    def enumerate(self, beta: np.ndarray, alpha: float, threshold: float) -> list[tuple]:
        """Every pattern with reduced cost below ``threshold``.

        Raises :class:`_TooMany` past :data:`_ENUMERATION_LIMIT`.
        """
        vals = self._values(beta)
        out: list[tuple[float, tuple]] = []
        for lower, blocks in self._frames(alpha, vals):
            if lower >= threshold:
                continue
            slack = threshold - lower
            lists = []
            for b in blocks:
                places, v, least = vals[b]
                near = np.nonzero(v < least + slack)[0]
                near = near[np.argsort(v[near], kind="stable")]
                lists.append((places[near], v[near] - least))

            _list_below(blocks, lists, lower, slack, out)
        return out


def _list_below(
    blocks: tuple[int, ...], lists: list[tuple[np.ndarray, np.ndarray]], lower: float,
    slack: float, out: list[tuple[float, tuple]],
) -> None:  # fmt: skip
    """Append every choice of distinct placements for ``blocks`` whose extra cost over
    ``lower`` stays below ``slack`` (``lists``: each block's placements by extra cost)."""
    options = [(p.tolist(), e.tolist()) for p, e in lists]

    def walk(i: int, acc: float, chosen: tuple) -> None:
        if i == len(blocks):
            out.append((lower + acc, chosen))
            if len(out) > _ENUMERATION_LIMIT:
                raise _TooMany
            return
        used = {p for _, p in chosen}
        for p, e in zip(*options[i], strict=True):
            if acc + e >= slack:
                break
            if p not in used:
                walk(i + 1, acc + e, (*chosen, (blocks[i], p)))

    walk(0, 0.0, ())


def _best_distinct(blocks: tuple[int, ...], vals: dict, lower: float) -> tuple | None:
    """Cheapest choice of one placement per block, all different (branch and bound over
    each block's ``len(blocks)`` cheapest placements, which always hold the best choice:
    at most ``len(blocks) - 1`` of them are taken by the other blocks)."""
    k = len(blocks)
    if k == 0:
        return lower, ()
    tops = []
    for b in blocks:
        places, v, least = vals[b]
        first = np.argpartition(v, k - 1)[:k] if len(v) > k else np.arange(len(v))
        first = first[np.lexsort((places[first], v[first]))]
        tops.append((places[first].tolist(), (v[first] - least).tolist()))
    best: list = [np.inf, None]

    def walk(i: int, acc: float, chosen: tuple) -> None:
        if acc >= best[0]:
            return
        if i == k:
            best[0], best[1] = acc, chosen
            return
        used = {p for _, p in chosen}
        for p, e in zip(*tops[i], strict=True):
            if p not in used:
                walk(i + 1, acc + e, (*chosen, (blocks[i], p)))

    walk(0, 0.0, ())
    return None if best[1] is None else (lower + best[0], best[1])


def _groups(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray, cost: np.ndarray,
    params: MatchingParams,
) -> list[_Group]:  # fmt: skip
    vac = prob.place_vacancies
    cap = prob.place_capacity
    exempt_ok = prob.place_foster_empty & (vac > 3)
    unplaced = unplaced_cost(prob, params.weights)
    grp = prob.child_group
    of_pair = grp[child]
    order = np.argsort(of_pair, kind="stable")
    starts = np.searchsorted(of_pair[order], np.arange(prob.num_groups + 1))
    out = []
    for g in range(prob.num_groups):
        idx = order[starts[g] : starts[g + 1]]
        members = np.nonzero(grp == g)[0]
        k = len(members)
        places, col = np.unique(place[idx], return_inverse=True)
        row = np.searchsorted(members, child[idx])
        each = np.full((k, len(places)), np.inf)
        each[row, col] = cost[idx]
        total = np.zeros((1 << k, len(places)))
        blocks = {}
        for mask in range(1, 1 << k):
            low = (mask & -mask).bit_length() - 1
            total[mask] = total[mask & (mask - 1)] + each[low]
            n = mask.bit_count()
            ok = np.isfinite(total[mask]) & (
                (n <= cap[places]) | (exempt_ok[places] & (n <= vac[places]))
            )
            if ok.any():
                at = places[ok]
                blocks[mask] = (at, total[mask][ok], np.minimum(n, cap[at]).astype(float))
        out.append(_Group(members, unplaced[members], blocks, params.weights.sibling_split,
                          params.siblings == "together"))  # fmt: skip
    return out


@dataclass(eq=False)
class _Pool:
    """The master's columns: pairs of singles (a mask over their candidate pairs) and
    group patterns (each a tuple of (block mask, placement))."""

    groups: list[_Group]
    pair_child: np.ndarray
    pair_place: np.ndarray
    pair_cost: np.ndarray
    keep: np.ndarray
    pattern_group: list[int] = field(default_factory=list)
    pattern_blocks: list[tuple] = field(default_factory=list)
    pattern_cost: list[float] = field(default_factory=list)
    seen: set = field(default_factory=set)
    inc_start: list[int] = field(default_factory=list)  # first incidence of each pattern
    inc_pattern: list[int] = field(default_factory=list)
    inc_child: list[int] = field(default_factory=list)
    inc_place: list[int] = field(default_factory=list)
    inc_uses: list[float] = field(default_factory=list)

    def add_pattern(self, g: int, blocks: tuple) -> bool:
        key = (g, tuple(sorted(blocks)))
        if key in self.seen:
            return False
        self.seen.add(key)
        grp = self.groups[g]
        placed = 0
        cost = grp.split * max(len(blocks) - 1, 0)
        for mask, p in blocks:
            places, total, _ = grp.blocks[mask]
            cost += float(total[np.searchsorted(places, p)])
            placed |= mask
        cost += float(sum(grp.unplaced[i] for i in range(len(grp.members)) if not placed >> i & 1))
        j = len(self.pattern_group)
        self.pattern_group.append(g)
        self.pattern_blocks.append(key[1])
        self.pattern_cost.append(cost)
        self.inc_start.append(len(self.inc_pattern))
        for mask, p in key[1]:
            places, _, used = grp.blocks[mask]
            first = True
            for i in range(len(grp.members)):
                if mask >> i & 1:
                    self.inc_pattern.append(j)
                    self.inc_child.append(int(grp.members[i]))
                    self.inc_place.append(p)
                    self.inc_uses.append(float(used[np.searchsorted(places, p)]) if first else 0.0)
                    first = False
        return True

    @property
    def num_columns(self) -> int:
        return int(self.keep.sum()) + len(self.pattern_group)

    def incidences(self, start: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(pattern, child, placement, places used) for each member the patterns from
        ``start`` on place, places used given on the block's first member only."""
        at = self.inc_start[start] if start < len(self.inc_start) else len(self.inc_pattern)
        ints = [np.asarray(a[at:], np.int64) for a in (self.inc_pattern, self.inc_child,
                                                        self.inc_place)]  # fmt: skip
        return ints[0], ints[1], ints[2], np.asarray(self.inc_uses[at:], float)


@dataclass(eq=False)
class _Master:
    """The pool as a :class:`LinearModel`: columns are the kept pairs, the singles'
    unplaced variables, then the patterns; rows the units, capacity, then conflicts."""

    model: LinearModel
    inc_col: np.ndarray  # column, child, placement of every child a column places
    inc_child: np.ndarray
    inc_place: np.ndarray


def _master(
    prob: MatchProblem, pool: _Pool, unit_of_child: np.ndarray, singles: np.ndarray,
    unplaced: np.ndarray, conflicts: np.ndarray, pair_use: np.ndarray | None = None,
    pattern_use: np.ndarray | None = None,
) -> _Master:  # fmt: skip
    """The model over the pool's kept pairs and patterns (or those in ``pair_use`` and
    ``pattern_use``)."""
    n_units = len(singles) + len(pool.groups)
    pairs = np.nonzero(pool.keep if pair_use is None else pair_use)[0]
    n_x, n_s = len(pairs), len(singles)
    p0 = n_x + n_s
    pat, kid, plc, uses = pool.incidences()
    chosen = np.arange(len(pool.pattern_group))
    if pattern_use is not None:
        chosen = np.nonzero(pattern_use)[0]
        renumber = np.full(len(pattern_use), -1, np.int64)
        renumber[chosen] = np.arange(len(chosen))
        on = pattern_use[pat]
        pat, kid, plc, uses = renumber[pat[on]], kid[on], plc[on], uses[on]
    n_p = len(chosen)
    inc_col = np.concatenate([np.arange(n_x), p0 + pat])
    inc_child = np.concatenate([pool.pair_child[pairs], kid])
    inc_place = np.concatenate([pool.pair_place[pairs], plc])
    cap_col = np.concatenate([np.arange(n_x), p0 + pat[uses > 0]])
    cap_place = np.concatenate([pool.pair_place[pairs], plc[uses > 0]])
    cap_val = np.concatenate([np.ones(n_x), uses[uses > 0]])
    places, cap_row = np.unique(cap_place, return_inverse=True)
    rows = [unit_of_child[pool.pair_child[pairs]], np.arange(n_s),
            n_s + np.asarray(pool.pattern_group, np.int64)[chosen], n_units + cap_row]  # fmt: skip
    cols = [np.arange(n_x), n_x + np.arange(n_s), p0 + np.arange(n_p), cap_col]
    vals = [np.ones(n_x + n_s + n_p), cap_val]
    lo = [np.ones(n_units), np.full(len(places), -np.inf)]
    hi = [np.ones(n_units), prob.place_capacity[places].astype(float)]
    r0 = n_units + len(places)
    if len(conflicts):
        # row per (a, b, p): every column placing a or b at p, at most one of them
        key = inc_child * prob.num_placements + inc_place
        order = np.argsort(key, kind="stable")
        skey = key[order]
        for r, (a, b, p) in enumerate(conflicts.tolist()):
            for c in (a, b):
                k = c * prob.num_placements + p
                lo_i, hi_i = np.searchsorted(skey, [k, k + 1])
                at = inc_col[order[lo_i:hi_i]]
                rows.append(np.full(len(at), r0 + r))
                cols.append(at)
                vals.append(np.ones(len(at)))
        lo.append(np.full(len(conflicts), -np.inf))
        hi.append(np.ones(len(conflicts)))
    n_vars = p0 + n_p
    obj = np.concatenate([pool.pair_cost[pairs], unplaced[singles],
                          np.asarray(pool.pattern_cost, float)[chosen]])  # fmt: skip
    integer = np.ones(n_vars, bool)
    integer[n_x:p0] = False
    model = LinearModel(
        obj=obj.astype(float), lb=np.zeros(n_vars), ub=np.ones(n_vars), integer=integer,
        a_row=np.concatenate(rows).astype(np.int64), a_col=np.concatenate(cols).astype(np.int64),
        a_val=np.concatenate(vals).astype(float), row_lb=np.concatenate(lo).astype(float),
        row_ub=np.concatenate(hi).astype(float), num_pairs=n_x, num_children=n_units,
        capacity_row_place=places,
    )  # fmt: skip
    return _Master(model, inc_col, inc_child, inc_place)


class _WarmLp:
    """The pricing LP kept in one HiGHS model across rounds (``highspy`` only): new pairs
    and patterns are appended as columns and new placements as capacity rows, so each
    round's simplex starts from the last optimal basis instead of from scratch."""

    def __init__(
        self, prob: MatchProblem, n_units: int, singles: np.ndarray, unplaced: np.ndarray
    ) -> None:
        import highspy

        self.inf = highspy.kHighsInf
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)  # see backends.highs_backend
        none_i, none_f = np.zeros(0, np.int32), np.zeros(0)
        h.addRows(n_units, np.ones(n_units), np.ones(n_units), 0, none_i, none_i, none_f)
        self.h, self.prob, self.n_units = h, prob, n_units
        self.row_of_place = np.full(prob.num_placements, -1, np.int64)
        self.places: list[int] = []
        self.pairs = np.zeros(0, np.int64)  # pair index of each pair column
        self.patterns = 0
        self.col_child: list[np.ndarray] = []
        self.col_place: list[np.ndarray] = []
        self.col_of_inc: list[np.ndarray] = []
        self.n_cols = 0
        n_s = len(singles)
        none = np.zeros(0, np.int64)
        self._add(unplaced[singles], np.arange(n_s), np.arange(n_s), np.ones(n_s), none, none, none)

    def _rows_for(self, places: np.ndarray) -> np.ndarray:
        new = np.unique(places[self.row_of_place[places] < 0])
        if len(new):
            cap = self.prob.place_capacity[new].astype(float)
            none_i, none_f = np.zeros(0, np.int32), np.zeros(0)
            self.h.addRows(len(new), np.full(len(new), -self.inf), cap, 0, none_i, none_i, none_f)
            self.row_of_place[new] = self.n_units + len(self.places) + np.arange(len(new))
            self.places += new.tolist()
        return self.row_of_place[places]

    def _add(
        self, cost: np.ndarray, c: np.ndarray, r: np.ndarray, v: np.ndarray,
        inc_col: np.ndarray, inc_child: np.ndarray, inc_place: np.ndarray,
    ) -> None:  # fmt: skip
        n = len(cost)
        if n == 0:
            return
        order = np.lexsort((r, c))
        starts = np.searchsorted(c[order], np.arange(n)).astype(np.int32)
        self.h.addCols(n, cost.astype(float), np.zeros(n), np.full(n, self.inf), len(order),
                       starts, r[order].astype(np.int32), v[order].astype(float))  # fmt: skip
        self.col_of_inc.append(self.n_cols + inc_col)
        self.col_child.append(inc_child)
        self.col_place.append(inc_place)
        self.n_cols += n

    def sync(self, pool: _Pool, unit_of_child: np.ndarray, n_singles: int) -> None:
        """Append the pool's pairs and patterns the LP does not have yet."""
        held = np.zeros(len(pool.keep), bool)
        held[self.pairs] = True
        new = np.nonzero(pool.keep & ~held)[0]
        n = len(new)
        if n:
            plc = pool.pair_place[new]
            kids = pool.pair_child[new]
            cols = np.arange(n)
            self._add(pool.pair_cost[new], np.r_[cols, cols],
                      np.r_[unit_of_child[kids], self._rows_for(plc)], np.ones(2 * n),
                      cols, kids, plc)  # fmt: skip
            self.pairs = np.concatenate([self.pairs, new])
        k = len(pool.pattern_group) - self.patterns
        if k:
            pat, kid, plc, uses = pool.incidences(self.patterns)
            pat = pat - self.patterns
            on = uses > 0
            groups = np.asarray(pool.pattern_group[self.patterns :], np.int64)
            self._add(np.asarray(pool.pattern_cost[self.patterns :], float),
                      np.r_[np.arange(k), pat[on]],
                      np.r_[n_singles + groups, self._rows_for(plc[on])],
                      np.r_[np.ones(k), uses[on]], pat, kid, plc)  # fmt: skip
            self.patterns += k

    def solve(self) -> tuple[float, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Objective, unit duals, capacity duals per placement, and the (child, placement)
        of every incidence the optimum uses."""
        import highspy

        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolverError("HiGHS could not solve the LP relaxation of the matching model.")
        sol = self.h.getSolution()
        duals = np.asarray(sol.row_dual)
        beta = np.zeros(self.prob.num_placements)
        beta[np.asarray(self.places, np.int64)] = duals[self.n_units :]
        values = np.asarray(sol.col_value)
        col = np.concatenate(self.col_of_inc) if self.col_of_inc else np.zeros(0, np.int64)
        on = values[col] > 1e-6
        active = (np.concatenate(self.col_child)[on], np.concatenate(self.col_place)[on])
        objective = float(self.h.getInfo().objective_function_value)
        return objective, duals[: self.n_units], beta, active


@dataclass(frozen=True, eq=False)
class PatternOutcome:
    """What the pattern master proved and proposed.

    ``mip`` is the last MIP's outcome (``values`` over its own columns), ``where`` its
    plan decoded to a placement per child (-1 unplaced), ``bound`` the bound for the full
    model and ``columns`` the size of the final pool. ``child``, ``place`` and ``cost``
    are the candidate pairs it ended with (more than it started with when a child's
    radius was widened).
    """

    mip: MipOutcome
    where: np.ndarray | None
    bound: float
    columns: int
    rounds: int
    priced_out: bool  # pricing finished: z_dual is the LP optimum over every column
    settled: str  # why the proof stopped short, "" when it did not
    child: np.ndarray
    place: np.ndarray
    cost: np.ndarray


@dataclass(eq=False)
class _Duals:
    """The best round's duals, lowered so that every column prices non-negative."""

    z_dual: float
    alpha: np.ndarray
    beta: np.ndarray
    lowered: np.ndarray  # per unit, the (non-positive) amount alpha was lowered by


@dataclass(eq=False)
class _State:
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
    pool: _Pool

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
                same = bool(
                    (self.radius[m] == self.radius[m[0]]).all()
                    and (prob.child_home_east[m] == prob.child_home_east[m[0]]).all()
                    and (prob.child_home_north[m] == prob.child_home_north[m[0]]).all()
                )
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
        cheap = count * (want / np.maximum(self.radius, 1.0)) ** 2 <= _JUMP_PAIRS
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
        fits = np.cumsum(grown[order]) <= _MAX_NEW_PAIRS
        if not fits.any():
            raise _TooMany
        kids = np.sort(kids[order[fits]])
        c, p = spatial.ring_pairs(self.prob, kids, self.radius[kids], new[kids])
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
            fresh = _groups(self.prob, self.child[mine], self.place[mine], self.cost[mine],
                            self.params)  # fmt: skip
            for g in touched.tolist():
                pool.groups[g] = fresh[g]


def solve_patterns(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, clock: Clock, radius: np.ndarray | None = None,
    max_columns: int = _MAX_COLUMNS, give_up_gap: float | None = None,
) -> PatternOutcome:  # fmt: skip
    """Price, solve the MIP over the pool and prove (or bound) optimality for every pair.

    ``clock`` says when to stop. ``radius`` (miles, per child) says every pair of a child
    beyond it was left out (see :mod:`.spatial`); such pairs are bounded, and radii
    widened when needed. The proof settles for its gap when the pool would grow past
    ``max_columns``, or, with ``give_up_gap``, as soon as a plan breaking no rule is
    that far (relatively) from the bound: a sign that the who-lives-alongside rows the
    LP leaves out weaken it too much for pricing to close the gap (the caller has a
    method that can).
    """
    name = params.solver
    n_c = prob.num_children
    grp = prob.child_group
    singles = np.nonzero(grp < 0)[0]
    unit_of_child = np.full(n_c, -1, np.int64)
    unit_of_child[singles] = np.arange(len(singles))
    n_units = len(singles) + prob.num_groups
    solo = grp[child] < 0
    sc, sk = child[solo], cost[solo]
    groups = _groups(prob, child[~solo], place[~solo], cost[~solo], params)
    keep = initial_subset(sc, sk, n_c, _START_PER_CHILD, np.zeros(len(sc), bool))
    pool = _Pool(groups, sc, place[solo], sk, keep)
    held = np.full(n_c, np.inf) if radius is None else radius.astype(float).copy()
    st = _State(prob, params, singles, unit_of_child, unplaced_cost(prob, params.weights),
                child, place, cost, held, pool)  # fmt: skip
    for g, gr in enumerate(groups):
        pool.add_pattern(g, ())
        full = (1 << len(gr.members)) - 1
        if full in gr.blocks:
            places, total, _ = gr.blocks[full]
            for j in np.argsort(total, kind="stable")[:_START_PER_CHILD]:
                pool.add_pattern(g, ((full, int(places[j])),))
    gap = params.mip_gap
    best: _Duals | None = None
    rounds, per_child, last_z = 0, _ADD_PER_CHILD, None
    priced_out = False
    no_conflicts = np.zeros((0, 3), np.int64)
    # the warm LP is highspy in this process: not where OR-Tools' copy of HiGHS is loaded
    in_process = name == "highspy" and not backends.needs_isolation(name)
    warm = _WarmLp(prob, n_units, singles, st.unplaced) if in_process else None
    while True:
        rounds += 1
        if warm is not None:
            warm.sync(pool, unit_of_child, len(singles))
            z, alpha, beta, active = warm.solve()
        else:
            master = _master(prob, pool, unit_of_child, singles, st.unplaced, no_conflicts)
            lp = backends.solve_lp(name, master.model.relaxation())
            on = lp.values[master.inc_col] > 1e-6
            active = (master.inc_child[on], master.inc_place[on])
            z, alpha = lp.objective, lp.row_duals[:n_units]
            beta = np.zeros(prob.num_placements)
            rows = master.model.capacity_row_place
            beta[rows] = lp.row_duals[n_units : n_units + len(rows)]
        sc, sp, sk = pool.pair_child, pool.pair_place, pool.pair_cost
        rc = sk - alpha[unit_of_child[sc]] - beta[sp]
        low = np.zeros(n_units)
        np.minimum.at(low, unit_of_child[sc], rc)
        new_patterns = 0
        for g, gr in enumerate(pool.groups):
            least, found = gr.price(beta, float(alpha[len(singles) + g]))
            low[len(singles) + g] = min(least, 0.0)
            for _, blocks in found:
                new_patterns += pool.add_pattern(g, blocks)
        far = st.far_bounds(alpha, beta)
        low = np.minimum(low, np.minimum(far, 0.0))
        z_dual = z + float(low.sum())
        if best is None or z_dual > best.z_dual:
            best = _Duals(z_dual, alpha.copy(), beta, low)
        if last_z is not None and z > last_z - gap / 4 * max(abs(z), 1.0):
            per_child *= 2  # degenerate duals: take more pairs at once
        last_z = z
        add = most_negative(rc, sc, ~pool.keep, per_child)
        # radii are widened only once the held pairs price out: before that the duals
        # still carry the unplaced penalties and would ask for far too much
        widened, too_far = False, False
        if not add.any() and new_patterns == 0:
            try:
                widened = st.widen(alpha, -TOLERANCE_GBP, far)
            except _TooMany:
                too_far = True  # the far bound stays in z_dual; the gap says what it costs
        priced_out = not add.any() and new_patterns == 0 and not widened and not too_far
        close = z - best.z_dual <= gap / 4 * max(abs(z), 1.0)
        late = clock.past(PRICING_SHARE)
        if len(add) < len(pool.keep):
            add = np.concatenate([add, np.zeros(len(pool.keep) - len(add), bool)])
        if priced_out or too_far or (close and not widened) or late:
            break
        pool.keep |= add
    # who-lives-alongside rows start with the children the last LP puts together
    conflicts = _conflicts_among(prob, *active)
    return _prove(st, best, rounds, priced_out, conflicts, clock, max_columns, give_up_gap)


def _prove(
    st: _State, duals: _Duals, rounds: int, priced_out: bool, conflicts: np.ndarray,
    clock: Clock, max_columns: int, give_up_gap: float | None = None,
) -> PatternOutcome:  # fmt: skip
    """MIP over the pool; add what could still improve it until the bound proves the plan."""
    prob, params, pool = st.prob, st.params, st.pool
    gap = params.mip_gap
    n_s = len(st.singles)

    def adjusted() -> np.ndarray:
        u = st.unit_of_child[pool.pair_child]
        return (pool.pair_cost - duals.alpha[u] - duals.beta[pool.pair_place]
                - duals.lowered[u])  # fmt: skip

    def pattern_rc() -> np.ndarray:
        pat, _, plc, uses = pool.incidences()
        group = np.asarray(pool.pattern_group, np.int64)
        capacity = np.bincount(pat, weights=uses * duals.beta[plc], minlength=len(group))
        unit = n_s + group
        return np.asarray(pool.pattern_cost) - duals.alpha[unit] - capacity - duals.lowered[unit]

    rc_pairs = adjusted()
    far = st.far_bounds(duals.alpha, duals.beta) - duals.lowered
    # every column left out prices at >= 0 after lowering; patterns: >= listed threshold
    pattern_floor = 0.0
    final = False
    kept: tuple | None = None  # the best plan so far that breaks no rule: (out, where, cost)
    best_bound = duals.z_dual
    # reduced-cost fixing: the MIP takes the pool's columns priced below ``cut`` (every
    # plan using another costs at least z_dual + cut), widened as the proof needs
    cut = 4 * gap * max(abs(duals.z_dual), 1.0)

    def outcome(out: MipOutcome, where: np.ndarray | None, bound: float, settled: str):  # type: ignore[no-untyped-def]
        return PatternOutcome(out, where, bound, pool.num_columns, rounds, priced_out, settled,
                              st.child, st.place, st.cost)  # fmt: skip

    while True:
        rc_patterns = pattern_rc()
        pair_use = pool.keep & (rc_pairs < cut)
        empty = np.array([not b for b in pool.pattern_blocks], bool)  # all unplaced: feasible
        pattern_use = (rc_patterns < cut) | empty
        master = _master(prob, pool, st.unit_of_child, st.singles, st.unplaced, conflicts,
                         pair_use, pattern_use)  # fmt: skip
        out = backends.solve_mip(
            params.solver, master.model, SolveOptions(clock.remaining(), gap / 2)
        )
        least_left_out = min(
            float(rc_pairs[~pair_use].min(initial=np.inf)),
            float(rc_patterns[~pattern_use].min(initial=np.inf)),
            pattern_floor,
            float(far.min(initial=np.inf)),
        )
        if out.values is None:
            if kept is not None:  # the last plan that broke no rule stands
                return outcome(kept[0], kept[1], best_bound, "out of time")
            return outcome(out, None, best_bound, "the MIP returned no plan")
        where = _decode(prob, master, out.values)
        placed = where >= 0
        broken = _conflicts_among(prob, np.nonzero(placed)[0], where[placed])
        subset_bound = out.bound if out.bound is not None else duals.z_dual
        # every round's bound holds for the full model (missing rows only relax it)
        bound = max(duals.z_dual, min(subset_bound, duals.z_dual + least_left_out))
        best_bound = max(best_bound, bound)
        late = clock.past()
        if len(broken):
            if late:
                if kept is not None:
                    return outcome(kept[0], kept[1], best_bound, "out of time")
                # the MIP's plan, less the children sharing a home against the rules
                why = (
                    "out of time with who-lives-alongside rules still to add (children "
                    "sharing a home against them were left unplaced)"
                )
                return outcome(out, _repair(prob, where, st.unplaced), best_bound, why)
            # every conflict the pool could create for those children at those placements
            at = np.isin(master.inc_place, broken[:, 2])
            near = _conflicts_among(prob, master.inc_child[at], master.inc_place[at])
            mine = np.isin(near[:, 0], broken[:, :2]) | np.isin(near[:, 1], broken[:, :2])
            conflicts = np.unique(np.concatenate([conflicts, broken, near[mine]]), axis=0)
            continue
        incumbent = float(out.objective) if out.objective is not None else np.inf
        if kept is None or incumbent <= kept[2]:
            kept = (out, where, incumbent)
        out, where, incumbent = kept
        tol = TOLERANCE_GBP * max(1.0, abs(incumbent))
        proven = incumbent - best_bound <= gap * abs(incumbent) + tol
        late = clock.past(PROOF_SHARE)
        if proven or late or final:
            settled = "" if proven else "out of time" if late else "the pool stopped growing"
            return outcome(out, where, best_bound, settled)
        if give_up_gap is not None and incumbent - best_bound > give_up_gap * abs(incumbent):
            return outcome(out, where, best_bound, "its gap was too wide to close by pricing")
        # what could still beat the incumbent by more than the gap: columns priced below
        # a threshold growing fourfold a step (the optimum is usually close to the LP
        # bound), up to everything needed, after which the bound proves the plan (the
        # pool's MIP is solved to half the gap)
        needed = incumbent * (1 - gap) - duals.z_dual + 2 * tol
        threshold = min(needed, 4 * cut)
        final = threshold >= needed
        cut = max(cut, threshold)
        # pairs beyond a radius that could matter: widen it, so they are priced below
        added = 0
        try:
            while st.widen(duals.alpha + duals.lowered, threshold, far):
                rc_pairs = adjusted()
                far = st.far_bounds(duals.alpha, duals.beta) - duals.lowered
                if clock.past(PROOF_SHARE):
                    break  # the far bound stays in the proof: the gap says what it costs
            add = ~pool.keep & (rc_pairs < threshold)
            if pool.num_columns + int(add.sum()) > max_columns:
                raise _TooMany
            for g, gr in enumerate(pool.groups):
                if clock.past(PROOF_SHARE):
                    return outcome(out, where, best_bound, "out of time")
                alpha_g = float(duals.alpha[n_s + g] + duals.lowered[n_s + g])
                for _, blocks in gr.enumerate(duals.beta, alpha_g, threshold):
                    added += pool.add_pattern(g, blocks)
                    if pool.num_columns + int(add.sum()) + added > max_columns:
                        raise _TooMany
        except _TooMany:
            why = "too many columns could still improve the plan"
            return outcome(out, where, best_bound, why)
        pool.keep |= add
        pattern_floor = max(pattern_floor, threshold)


def _repair(prob: MatchProblem, where: np.ndarray, unplaced: np.ndarray) -> np.ndarray:
    """The plan with children left unplaced until no two share a home against the
    who-lives-alongside rules (of each two, the one whose unplaced penalty is lower).
    Leaving a child unplaced never breaks a rule, so the result is a legal plan."""
    where = where.copy()
    while True:
        placed = np.nonzero(where >= 0)[0]
        broken = _conflicts_among(prob, placed, where[placed])
        if len(broken) == 0:
            return where
        a, b = broken[:, 0], broken[:, 1]
        where[np.unique(np.where(unplaced[a] <= unplaced[b], a, b))] = -1


def _decode(prob: MatchProblem, master: _Master, values: np.ndarray) -> np.ndarray:
    where = np.full(prob.num_children, -1, np.int64)
    on = values[master.inc_col] > 0.5
    where[master.inc_child[on]] = master.inc_place[on]
    return where


def _conflicts_among(prob: MatchProblem, child: np.ndarray, place: np.ndarray) -> np.ndarray:
    """(a, b, p) for every two children a < b of the given (child, placement) pairs who
    share a placement and may not live together there (rules 10-11)."""
    df = pd.DataFrame({"c": child, "p": place}).drop_duplicates()
    shared = df[df.duplicated("p", keep=False)]
    if shared.empty:
        return np.zeros((0, 3), np.int64)
    m = shared.merge(shared, on="p", suffixes=("a", "b"))
    m = m[m["ca"] < m["cb"]]
    a, b = m["ca"].to_numpy(np.int64), m["cb"].to_numpy(np.int64)
    bad = children_conflict(prob, a, b)
    return np.stack([a[bad], b[bad], m["p"].to_numpy(np.int64)[bad]], axis=1)


def pattern_sizes_ok(prob: MatchProblem) -> bool:
    """Whether every sibling group is small enough for the pattern master."""
    grp = prob.child_group
    sizes = np.bincount(grp[grp >= 0], minlength=max(prob.num_groups, 1))
    return bool(sizes.max(initial=0) <= MAX_GROUP_SIZE)


__all__ = ["MAX_GROUP_SIZE", "PRICING_SHARE", "PROOF_SHARE", "Clock", "PatternOutcome",
           "pattern_sizes_ok", "solve_patterns"]  # fmt: skip
