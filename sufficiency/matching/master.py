"""The column-generation master: the pool of columns, its MIP and its LP.

The master is a Dantzig-Wolfe reformulation of the compact model of :mod:`.formulation`
over *units*: a single child takes one candidate pair or stays unplaced, a sibling group
one pattern (:mod:`.pricing`); one capacity row per placement (and, in the MIP, one per
home on several rows of the register: :mod:`.homes`). Who-lives-alongside rows
(children of different units at one placement) are left out of the LP, a relaxation,
and added to the MIP for the pairs of children its plan puts together against the rules.

The LP is solved each round by :func:`pricing_lp`'s master: the backend's warm master
where it has one (:attr:`~.backends.Feature.WARM_LP`), otherwise the model rebuilt and
solved afresh, with the same optimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from sufficiency.matching import backends
from sufficiency.matching.backends import MasterLp, MasterSolution
from sufficiency.matching.formulation import LinearModel
from sufficiency.matching.homes import column_uses, model_rows, trim
from sufficiency.matching.pricing import Group
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import children_conflict


@dataclass(eq=False)
class Pool:
    """The master's columns: pairs of singles (a mask over their candidate pairs) and
    group patterns (each a tuple of (block mask, placement))."""

    groups: list[Group]
    pair_child: np.ndarray
    pair_place: np.ndarray
    pair_cost: np.ndarray
    keep: np.ndarray
    pattern_group: list[int] = field(default_factory=list)
    pattern_blocks: list[tuple] = field(default_factory=list)
    pattern_cost: list[float] = field(default_factory=list)
    seen: dict[tuple, int] = field(default_factory=dict)  # (group, blocks): pattern
    inc_start: list[int] = field(default_factory=list)  # first incidence of each pattern
    inc_pattern: list[int] = field(default_factory=list)
    inc_child: list[int] = field(default_factory=list)
    inc_place: list[int] = field(default_factory=list)
    inc_uses: list[float] = field(default_factory=list)

    def add_pattern(self, g: int, blocks: tuple) -> bool:
        """Add group ``g``'s pattern (blocks as (member mask, placement)) unless the pool
        has it; whether it was new."""
        key = (g, tuple(sorted(blocks)))
        if key in self.seen:
            return False
        self.seen[key] = len(self.pattern_group)
        grp = self.groups[g]
        placed = 0
        cost = grp.split_cost([p for _, p in blocks])  # per home beyond the first
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

    def pattern_index(self, g: int, blocks: tuple) -> int:
        """The pool's index of group ``g``'s pattern ``blocks`` (which it must hold)."""
        return self.seen[(g, tuple(sorted(blocks)))]

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
class Master:
    """The pool as a :class:`LinearModel`: columns are the kept pairs, the singles'
    unplaced variables, then the patterns; rows the units, capacity, then conflicts."""

    model: LinearModel
    inc_col: np.ndarray  # column, child, placement of every child a column places
    inc_child: np.ndarray
    inc_place: np.ndarray


def master_model(
    prob: MatchProblem, pool: Pool, unit_of_child: np.ndarray, singles: np.ndarray,
    unplaced: np.ndarray, conflicts: np.ndarray, pair_use: np.ndarray | None = None,
    pattern_use: np.ndarray | None = None, homes: bool = True,
) -> Master:  # fmt: skip
    """The model over the pool's kept pairs and patterns (or those in ``pair_use`` and
    ``pattern_use``). With ``homes``, each home on several rows of the register is held
    to its room across its rows (:mod:`.homes`); the LP leaves those rows out (a
    relaxation, as of the who-lives-alongside rows)."""
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
    h_col, h_place, h_val = column_uses(prob, inc_col, inc_place)
    h_row, h_homes, h_rhs = model_rows(prob, h_place)
    if homes and len(h_homes):
        rows.append(r0 + h_row)
        cols.append(h_col)
        vals.append(h_val)
        lo.append(np.full(len(h_homes), -np.inf))
        hi.append(h_rhs)
        r0 += len(h_homes)
    if len(conflicts):
        # row per (a, b, h): every column placing a or b at home h (any of its rows), at
        # most one of them
        key = inc_child * prob.num_placements + prob.place_home[inc_place]
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
    return Master(model, inc_col, inc_child, inc_place)


def decode(prob: MatchProblem, master: Master, values: np.ndarray) -> np.ndarray:
    where = np.full(prob.num_children, -1, np.int64)
    on = values[master.inc_col] > 0.5
    where[master.inc_child[on]] = master.inc_place[on]
    return where


def conflicts_among(prob: MatchProblem, child: np.ndarray, place: np.ndarray) -> np.ndarray:
    """(a, b, h) for every two children a < b of the given (child, placement) pairs who
    share a home ``h`` (``prob.place_home``: a placement, or the first of the rows of one
    home) and may not live together there (rules 10, 11 and 14)."""
    df = pd.DataFrame({"c": child, "p": prob.place_home[place]}).drop_duplicates()
    shared = df[df.duplicated("p", keep=False)]
    if shared.empty:
        return np.zeros((0, 3), np.int64)
    m = shared.merge(shared, on="p", suffixes=("a", "b"))
    m = m[m["ca"] < m["cb"]]
    a, b = m["ca"].to_numpy(np.int64), m["cb"].to_numpy(np.int64)
    bad = children_conflict(prob, a, b)
    return np.stack([a[bad], b[bad], m["p"].to_numpy(np.int64)[bad]], axis=1)


def repair(prob: MatchProblem, where: np.ndarray, unplaced: np.ndarray) -> np.ndarray:
    """The plan with children left unplaced until no two share a home against the
    who-lives-alongside rules (of each two, the one whose unplaced penalty is lower).
    Leaving a child unplaced never breaks a rule, so the result is a legal plan (a home
    on several rows holding more than it may take across them is trimmed first)."""
    where = trim(prob, where, unplaced)
    while True:
        placed = np.nonzero(where >= 0)[0]
        broken = conflicts_among(prob, placed, where[placed])
        if len(broken) == 0:
            return where
        a, b = broken[:, 0], broken[:, 1]
        where[np.unique(np.where(unplaced[a] <= unplaced[b], a, b))] = -1


class PricingLp(Protocol):
    """The LP master column generation prices against, however it is solved."""

    def solve(self, pool: Pool) -> MasterSolution:
        """The LP optimum over the pool's kept pairs and its patterns."""


class WarmMaster:
    """The LP master kept in the backend between rounds (its :class:`~.backends.MasterLp`):
    each round appends the pool's pairs and patterns the LP does not have yet."""

    def __init__(
        self, lp: MasterLp, singles: np.ndarray, unit_of_child: np.ndarray,
        unplaced: np.ndarray,
    ) -> None:  # fmt: skip
        self.lp, self.unit_of_child, self.n_singles = lp, unit_of_child, len(singles)
        self.pairs = np.zeros(0, np.int64)  # pool index of each pair column
        self.patterns = 0
        n_s, none, none_f = len(singles), np.zeros(0, np.int64), np.zeros(0)
        unit = np.arange(n_s)
        # each single's unplaced column, in its unit row
        lp.add_columns(unplaced[singles], unit, unit, none, none, none_f, none, none, none)

    def solve(self, pool: Pool) -> MasterSolution:
        """Append what is new in the pool, then re-solve from the last basis."""
        held = np.zeros(len(pool.keep), bool)
        held[self.pairs] = True
        new = np.nonzero(pool.keep & ~held)[0]
        n = len(new)
        if n:
            plc, kids, cols = pool.pair_place[new], pool.pair_child[new], np.arange(n)
            self.lp.add_columns(pool.pair_cost[new], cols, self.unit_of_child[kids], cols, plc,
                                np.ones(n), cols, kids, plc)  # fmt: skip
            self.pairs = np.concatenate([self.pairs, new])
        k = len(pool.pattern_group) - self.patterns
        if k:
            pat, kid, plc, uses = pool.incidences(self.patterns)
            pat = pat - self.patterns
            on = uses > 0
            unit = self.n_singles + np.asarray(pool.pattern_group[self.patterns :], np.int64)
            cost = np.asarray(pool.pattern_cost[self.patterns :], float)
            self.lp.add_columns(cost, np.arange(k), unit, pat[on], plc[on], uses[on],
                                pat, kid, plc)  # fmt: skip
            self.patterns += k
        return self.lp.solve()


@dataclass(eq=False)
class ColdMaster:
    """The LP master rebuilt from the pool and solved from scratch every round, for a
    backend without a warm master: the same LP, so the same optimum."""

    prob: MatchProblem
    solver: str
    singles: np.ndarray
    unit_of_child: np.ndarray
    unplaced: np.ndarray

    def solve(self, pool: Pool) -> MasterSolution:
        """Build the LP over the pool and solve it afresh."""
        n_units = len(self.singles) + len(pool.groups)
        none = np.zeros((0, 3), np.int64)
        master = master_model(self.prob, pool, self.unit_of_child, self.singles, self.unplaced,
                              none, homes=False)  # fmt: skip
        lp = backends.solve_lp(self.solver, master.model.relaxation())
        on = lp.values[master.inc_col] > 1e-6
        beta = np.zeros(self.prob.num_placements)
        rows = master.model.capacity_row_place
        beta[rows] = lp.row_duals[n_units : n_units + len(rows)]
        return MasterSolution(lp.objective, lp.row_duals[:n_units], beta,
                              master.inc_child[on], master.inc_place[on])  # fmt: skip


def pricing_lp(
    solver: str, prob: MatchProblem, singles: np.ndarray, unit_of_child: np.ndarray,
    unplaced: np.ndarray, warm: bool = True,
) -> PricingLp:  # fmt: skip
    """The LP master for column generation with the named backend: its warm master when it
    has one (and ``warm``), otherwise one solved from scratch each round."""
    n_units = len(singles) + prob.num_groups
    lp = backends.master_lp(solver, n_units, prob.place_capacity) if warm else None
    if lp is None:
        return ColdMaster(prob, solver, singles, unit_of_child, unplaced)
    return WarmMaster(lp, singles, unit_of_child, unplaced)
