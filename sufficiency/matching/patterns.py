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
from sufficiency.matching import backends
from sufficiency.matching.backends import MipOutcome, SolveOptions
from sufficiency.matching.candidates import children_conflict
from sufficiency.matching.costs import unplaced_cost
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
#: Share of the time limit pricing may use before the pool is solved as it stands.
PRICING_SHARE = 0.5


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
    plc = prob.placements
    vac = plc["vacancies"].to_numpy(np.int64)
    cap = prob.place_capacity
    exempt_ok = (
        (plc["setting"] == "foster").to_numpy()
        & (plc["current_children"].to_numpy(np.int64) == 0)
        & (vac > 3)
    )
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
        self.pattern_group.append(g)
        self.pattern_blocks.append(key[1])
        self.pattern_cost.append(cost)
        return True

    @property
    def num_columns(self) -> int:
        return int(self.keep.sum()) + len(self.pattern_group)

    def incidences(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(pattern, child, placement, places used) for each member a pattern places,
        places used given on the block's first member only."""
        pat, kid, plc, uses = [], [], [], []
        for j, (g, blocks) in enumerate(zip(self.pattern_group, self.pattern_blocks, strict=True)):
            grp = self.groups[g]
            for mask, p in blocks:
                places, _, used = grp.blocks[mask]
                first = True
                for i in range(len(grp.members)):
                    if mask >> i & 1:
                        pat.append(j)
                        kid.append(int(grp.members[i]))
                        plc.append(p)
                        uses.append(float(used[np.searchsorted(places, p)]) if first else 0.0)
                        first = False
        as_int = [np.asarray(a, np.int64) for a in (pat, kid, plc)]
        return as_int[0], as_int[1], as_int[2], np.asarray(uses, float)


@dataclass(eq=False)
class _Master:
    """The pool as a :class:`LinearModel`: columns are the kept pairs, the singles'
    unplaced variables, then the patterns; rows the units, capacity, then conflicts."""

    model: LinearModel
    pairs: np.ndarray  # pair index of each pair column
    num_singles: int
    inc_col: np.ndarray  # column, child, placement of every child a column places
    inc_child: np.ndarray
    inc_place: np.ndarray


def _master(
    prob: MatchProblem, pool: _Pool, unit_of_child: np.ndarray, singles: np.ndarray,
    unplaced: np.ndarray, conflicts: np.ndarray,
) -> _Master:  # fmt: skip
    n_units = len(singles) + len(pool.groups)
    pairs = np.nonzero(pool.keep)[0]
    n_x, n_s = len(pairs), len(singles)
    p0 = n_x + n_s
    pat, kid, plc, uses = pool.incidences()
    n_p = len(pool.pattern_group)
    inc_col = np.concatenate([np.arange(n_x), p0 + pat])
    inc_child = np.concatenate([pool.pair_child[pairs], kid])
    inc_place = np.concatenate([pool.pair_place[pairs], plc])
    cap_col = np.concatenate([np.arange(n_x), p0 + pat[uses > 0]])
    cap_place = np.concatenate([pool.pair_place[pairs], plc[uses > 0]])
    cap_val = np.concatenate([np.ones(n_x), uses[uses > 0]])
    places, cap_row = np.unique(cap_place, return_inverse=True)
    rows = [unit_of_child[pool.pair_child[pairs]], np.arange(n_s),
            n_s + np.asarray(pool.pattern_group, np.int64), n_units + cap_row]  # fmt: skip
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
    obj = np.concatenate([pool.pair_cost[pairs], unplaced[singles], pool.pattern_cost])
    integer = np.ones(n_vars, bool)
    integer[n_x:p0] = False
    model = LinearModel(
        obj=obj.astype(float), lb=np.zeros(n_vars), ub=np.ones(n_vars), integer=integer,
        a_row=np.concatenate(rows).astype(np.int64), a_col=np.concatenate(cols).astype(np.int64),
        a_val=np.concatenate(vals).astype(float), row_lb=np.concatenate(lo).astype(float),
        row_ub=np.concatenate(hi).astype(float), num_pairs=n_x, num_children=n_units,
        capacity_row_place=places,
    )  # fmt: skip
    return _Master(model, pairs, n_s, inc_col, inc_child, inc_place)


@dataclass(frozen=True, eq=False)
class PatternOutcome:
    """What the pattern master proved and proposed.

    ``mip`` is the last MIP's outcome (``values`` over its own columns), ``where`` its
    plan decoded to a placement per child (-1 unplaced), ``bound`` the bound for the full
    model and ``columns`` the size of the final pool.
    """

    mip: MipOutcome
    where: np.ndarray | None
    bound: float
    columns: int
    rounds: int
    priced_out: bool  # pricing finished: z_dual is the LP optimum over every column
    settled: str  # why the proof stopped short, "" when it did not


@dataclass(eq=False)
class _Duals:
    """The best round's duals, lowered so that every column prices non-negative."""

    z_dual: float
    alpha: np.ndarray
    beta: np.ndarray
    lowered: np.ndarray  # per unit, the (non-positive) amount alpha was lowered by


def solve_patterns(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, t0: float,
) -> PatternOutcome:  # fmt: skip
    """Price, solve the MIP over the pool and prove (or bound) optimality for every pair."""
    name = params.solver
    n_c = prob.num_children
    grp = prob.child_group
    singles = np.nonzero(grp < 0)[0]
    unit_of_child = np.full(n_c, -1, np.int64)
    unit_of_child[singles] = np.arange(len(singles))
    n_units = len(singles) + prob.num_groups
    unplaced = unplaced_cost(prob, params.weights)
    solo = grp[child] < 0
    sc, sp, sk = child[solo], place[solo], cost[solo]
    groups = _groups(prob, child[~solo], place[~solo], cost[~solo], params)
    keep = initial_subset(sc, sk, n_c, _START_PER_CHILD, np.zeros(len(sc), bool))
    pool = _Pool(groups, sc, sp, sk, keep)
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
    while True:
        rounds += 1
        master = _master(prob, pool, unit_of_child, singles, unplaced, np.zeros((0, 3), np.int64))
        lp = backends.solve_lp(name, master.model.relaxation())
        on = lp.values[master.inc_col] > 1e-6
        active = (master.inc_child[on], master.inc_place[on])
        alpha = lp.row_duals[:n_units]
        beta = np.zeros(prob.num_placements)
        beta[master.model.capacity_row_place] = lp.row_duals[n_units : n_units + len(
            master.model.capacity_row_place)]  # fmt: skip
        rc = sk - alpha[unit_of_child[sc]] - beta[sp]
        low = np.zeros(n_units)
        np.minimum.at(low, unit_of_child[sc], rc)
        new_patterns = 0
        for g, gr in enumerate(groups):
            least, found = gr.price(beta, float(alpha[len(singles) + g]))
            low[len(singles) + g] = min(least, 0.0)
            for _, blocks in found:
                new_patterns += pool.add_pattern(g, blocks)
        z_dual = lp.objective + float(low.sum())
        if best is None or z_dual > best.z_dual:
            best = _Duals(z_dual, alpha.copy(), beta, low)
        if last_z is not None and lp.objective > last_z - gap / 4 * max(abs(lp.objective), 1.0):
            per_child *= 2  # degenerate duals: take more pairs at once
        last_z = lp.objective
        add = most_negative(rc, sc, ~pool.keep, per_child)
        priced_out = not add.any() and new_patterns == 0
        close = lp.objective - best.z_dual <= gap / 4 * max(abs(lp.objective), 1.0)
        late = time.perf_counter() - t0 > PRICING_SHARE * params.time_limit_seconds
        if priced_out or close or late:
            break
        pool.keep |= add
    # who-lives-alongside rows start with the children the last LP puts together
    conflicts = _conflicts_among(prob, *active)
    return _prove(prob, params, pool, best, unit_of_child, singles, unplaced, rounds,
                  priced_out, conflicts, t0)  # fmt: skip


def _prove(
    prob: MatchProblem, params: MatchingParams, pool: _Pool, duals: _Duals,
    unit_of_child: np.ndarray, singles: np.ndarray, unplaced: np.ndarray, rounds: int,
    priced_out: bool, conflicts: np.ndarray, t0: float,
) -> PatternOutcome:  # fmt: skip
    """MIP over the pool; add what could still improve it until the bound proves the plan."""
    gap = params.mip_gap
    n_s = len(singles)
    rc_pairs = (
        pool.pair_cost - duals.alpha[unit_of_child[pool.pair_child]]
        - duals.beta[pool.pair_place] - duals.lowered[unit_of_child[pool.pair_child]]
    )  # fmt: skip
    # every column left out prices at >= 0 after lowering; patterns: >= listed threshold
    pattern_floor = 0.0
    settled = ""
    step = 0
    while True:
        master = _master(prob, pool, unit_of_child, singles, unplaced, conflicts)
        remaining = max(params.time_limit_seconds - (time.perf_counter() - t0), 0.5)
        out = backends.solve_mip(params.solver, master.model, SolveOptions(remaining, gap / 2))
        omitted = ~pool.keep
        least_left_out = min(float(rc_pairs[omitted].min()) if omitted.any() else np.inf,
                             pattern_floor)  # fmt: skip
        if out.values is None:
            bound = duals.z_dual
            return PatternOutcome(out, None, bound, pool.num_columns, rounds, priced_out,
                                  "the MIP returned no plan")  # fmt: skip
        where = _decode(prob, master, out.values)
        placed = where >= 0
        broken = _conflicts_among(prob, np.nonzero(placed)[0], where[placed])
        subset_bound = out.bound if out.bound is not None else duals.z_dual
        bound = max(duals.z_dual, min(subset_bound, duals.z_dual + least_left_out))
        late = time.perf_counter() - t0 > params.time_limit_seconds
        if len(broken):
            if late:
                settled = "out of time with who-lives-alongside rules still to add"
                return PatternOutcome(out, None, bound, pool.num_columns, rounds, priced_out,
                                      settled)  # fmt: skip
            # every conflict the pool could create at those placements, not just these
            at = np.isin(master.inc_place, broken[:, 2])
            near = _conflicts_among(prob, master.inc_child[at], master.inc_place[at])
            conflicts = np.unique(np.concatenate([conflicts, broken, near]), axis=0)
            continue
        incumbent = float(out.objective) if out.objective is not None else np.inf
        tol = TOLERANCE_GBP * max(1.0, abs(incumbent))
        proven = incumbent - bound <= gap * abs(incumbent) + tol
        if proven or late or step == 2:
            settled = "" if proven else "out of time" if late else "the pool stopped growing"
            return PatternOutcome(out, where, bound, pool.num_columns, rounds, priced_out, settled)
        # what could still beat the incumbent by more than the gap: a small step first,
        # as the optimum is usually close to the LP bound; then everything needed, after
        # which the bound proves the plan (the pool's MIP is solved to half the gap)
        needed = incumbent * (1 - gap) - duals.z_dual + 2 * tol
        threshold = needed / 4 if step == 0 else needed
        step += 1
        add = omitted & (rc_pairs < threshold)
        added = 0
        try:
            for g, gr in enumerate(pool.groups):
                alpha_g = float(duals.alpha[n_s + g] + duals.lowered[n_s + g])
                for _, blocks in gr.enumerate(duals.beta, alpha_g, threshold):
                    added += pool.add_pattern(g, blocks)
                    if pool.num_columns + int(add.sum()) + added > _MAX_COLUMNS:
                        raise _TooMany
        except _TooMany:
            settled = "too many columns could still improve the plan"
            return PatternOutcome(out, where, bound, pool.num_columns, rounds, priced_out, settled)
        pool.keep |= add
        pattern_floor = max(pattern_floor, threshold)


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


__all__ = ["MAX_GROUP_SIZE", "PRICING_SHARE", "PatternOutcome", "pattern_sizes_ok",
           "solve_patterns"]  # fmt: skip
