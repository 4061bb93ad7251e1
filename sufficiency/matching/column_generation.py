"""Column generation: how :func:`.solve` proves optimality at scale.

The compact model of :mod:`.formulation` links pairs to sibling-group variables
``y[g,p]``; its relaxation spreads a group over placements, and closing the gap needs
far more pairs than a solver handles in time. Here the same problem is a master over
*units* (:mod:`.master`): a single child takes one candidate pair or stays unplaced, a
sibling group one pattern (:mod:`.pricing`). This module drives the rounds:

* pricing: solve the LP master (warm where the backend can), price the singles' pairs
  (reduced cost ``cost - alpha[c] - beta[p]``) and the groups' patterns, add the most
  negative, until nothing prices out, the bound is close, or pricing's share of the
  :class:`~.stop.Deadline` has gone. Lowering each unit's dual by its most negative
  reduced cost makes the duals feasible for every column, so ``z_dual = z_lp + sum of
  those minima`` bounds every plan (it is the LP optimum once nothing prices out), and
  a plan that uses a column left out costs at least ``z_dual`` plus that column's
  adjusted reduced cost;
* the proof (:func:`_prove`): the MIP over the pool, with the who-lives-alongside rows
  its plan needs; then every column whose adjusted reduced cost is below ``incumbent *
  (1 - gap) - z_dual`` is added (patterns by :meth:`.pricing.Group.enumerate`) and the
  MIP solved again. The bound reported for the full model is the larger of ``z_dual``
  and the smaller of the MIP's bound over the pool and the cheapest plan through a
  column left out.

At national scale the pairs beyond each child's radius are bounded and the radii
widened when needed (:mod:`.column_state`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching import backends, spatial
from sufficiency.matching.backends import MipOutcome, SolveOptions, SolveStatus
from sufficiency.matching.column_state import ColumnState
from sufficiency.matching.costs import unplaced_cost
from sufficiency.matching.master import (
    Pool,
    conflicts_among,
    decode,
    master_model,
    pricing_lp,
    repair,
)
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.pricing import Group, TooMany, groups
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import TOLERANCE_GBP, initial_subset, most_negative
from sufficiency.matching.stop import Deadline, Stages
from sufficiency.matching.transport import legal_plan

#: Pairs per single child the first LP takes (the cheapest), and each round adds.
START_PER_CHILD = 20
ADD_PER_CHILD = 20
#: With a seed plan, children per placement the first LP takes (the cheapest for it).
SEED_PER_PLACE = 3
#: Pricing rounds from a transportation plan (``hint``) before the pool's MIP.
HINTED_PRICING_ROUNDS = 1
#: Columns the pool may reach after the MIP before the run settles for its gap.
MAX_COLUMNS = 300_000
#: Share of column generation's time pricing may use before the pool is solved as it
#: stands.
PRICING_SHARE = 0.5
#: The same from a seed plan (the pool's MIP, over more columns, needs more time).
SEEDED_PRICING_SHARE = 0.3
#: Share of column generation's time after which no more columns are added for the proof
#: (the MIPs still to solve need the rest).
PROOF_SHARE = 0.75
#: With ``all_conflicts``, the most who-lives-alongside rows the pool's MIP takes at once,
#: and the most (child, child) pairs sharing a placement looked at to find them; past
#: either, rows are added as the MIP's plans break them (a round each).
MAX_CONFLICT_ROWS = 200_000
MAX_SHARED_PAIRS = 5_000_000


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


def solve_patterns(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, stop: Deadline, radius: np.ndarray | None = None,
    max_columns: int = MAX_COLUMNS, give_up_gap: float | None = None, warm: bool = True,
    seed: np.ndarray | None = None, hint: np.ndarray | None = None,
    units: list[Group] | None = None, all_conflicts: bool = False,
    stages: Stages | None = None,
) -> PatternOutcome:  # fmt: skip
    """Price, solve the MIP over the pool and prove (or bound) optimality for every pair.

    ``stop`` says when to stop (pricing and the proof take their shares of it).
    ``radius`` (miles, per child) says every pair of a child beyond it was left out (see
    :mod:`.spatial`); such pairs are bounded, and radii widened when needed. The proof
    settles for its gap when the pool would grow past ``max_columns``, or, with
    ``give_up_gap``, as soon as a plan breaking no rule is that far (relatively) from
    the bound: a sign that the who-lives-alongside rows the LP leaves out weaken it too
    much for pricing to close the gap (the caller has a method that can). ``warm``
    asks the backend for its warm LP master (:func:`.master.pricing_lp`); without it,
    or from a backend without one, each round's LP is solved afresh, with the same
    optimum. ``units`` are the sibling groups over the same pairs, when the caller has
    built them (:func:`.pricing.groups`). With ``all_conflicts`` every MIP over the pool
    has the who-lives-alongside rows of every two children its columns could put
    together (up to :data:`MAX_CONFLICT_ROWS`), so one MIP usually proves the plan
    instead of a MIP per round of rows found broken. ``stages`` is charged the time of
    pricing, its LPs and each MIP round.
    """
    stages = Stages() if stages is None else stages
    name = params.solver
    n_c = prob.num_children
    grp = prob.child_group
    singles = np.nonzero(grp < 0)[0]
    unit_of_child = np.full(n_c, -1, np.int64)
    unit_of_child[singles] = np.arange(len(singles))
    n_units = len(singles) + prob.num_groups
    solo = grp[child] < 0
    sc, sk = child[solo], cost[solo]
    if units is None:
        units = groups(prob, child[~solo], place[~solo], cost[~solo], params)
    if hint is None:
        always = _seeded(sc, place[solo], sk, seed)
    else:
        # the transportation plan's pairs already give every child somewhere to go
        always = hint[sc] == place[solo]
        if seed is not None:
            always |= seed[sc] == place[solo]
    keep = initial_subset(sc, sk, n_c, START_PER_CHILD, always)
    pool = Pool(units, sc, place[solo], sk, keep)
    held = np.full(n_c, np.inf) if radius is None else radius.astype(float).copy()
    beyond = spatial.held_beyond(prob, child, place, held)
    st = ColumnState(prob, params, singles, unit_of_child, unplaced_cost(prob, params.weights),
                     child, place, cost, held, pool, beyond)  # fmt: skip
    for g, gr in enumerate(units):
        pool.add_pattern(g, ())
        full = (1 << len(gr.members)) - 1
        if full in gr.blocks:
            places, total, _ = gr.blocks[full]
            for j in np.argsort(total, kind="stable")[:START_PER_CHILD]:
                pool.add_pattern(g, ((full, int(places[j])),))
    seed_pattern = np.full(len(units), -1, np.int64)  # the seed plan's pattern per group
    for g, gr in enumerate(units):
        if hint is not None and (blocks := _plan_pattern(gr, hint)) is not None:
            pool.add_pattern(g, blocks)
        if seed is not None and (blocks := _plan_pattern(gr, seed)) is not None:
            pool.add_pattern(g, blocks)
            # the group's own pattern (another group's may have the same blocks)
            seed_pattern[g] = pool.pattern_index(g, blocks)
    gap = params.mip_gap
    best: _Duals | None = None
    rounds, per_child, last_z = 0, ADD_PER_CHILD, None
    priced_out = False
    # the backend's warm LP master where it has one, else the LP solved afresh each round
    lp = pricing_lp(name, prob, singles, unit_of_child, st.unplaced, warm=warm)
    # from a seed plan the pool's MIP needs more of the time (its pool is larger)
    pricing = stop.share(PRICING_SHARE if seed is None else SEEDED_PRICING_SHARE)
    stages.lap("pricing_setup")
    while True:
        rounds += 1
        t_lp = time.perf_counter()
        sol = lp.solve(pool)
        stages.add("pricing_lp", time.perf_counter() - t_lp)
        z, alpha, beta = sol.objective, sol.unit_duals, sol.capacity_duals
        active = (sol.active_child, sol.active_place)
        sc, sp, sk = pool.pair_child, pool.pair_place, pool.pair_cost
        rc = sk - alpha[unit_of_child[sc]] - beta[sp]
        low = np.zeros(n_units)
        np.minimum.at(low, unit_of_child[sc], rc)
        new_patterns = 0
        for g, gr in enumerate(pool.groups):
            # only a least below zero counts (lowering the unit's dual)
            least, found = gr.price(beta, float(alpha[len(singles) + g]), floor=0.0)
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
            except TooMany:
                too_far = True  # the far bound stays in z_dual; the gap says what it costs
        priced_out = not add.any() and new_patterns == 0 and not widened and not too_far
        close = z - best.z_dual <= gap / 4 * max(abs(z), 1.0)
        # from a transportation plan, later rounds over the degenerate LP were seen to
        # take minutes: the pool's MIP gets the time instead
        late = pricing.expired() or (hint is not None and rounds >= HINTED_PRICING_ROUNDS)
        if len(add) < len(pool.keep):
            add = np.concatenate([add, np.zeros(len(pool.keep) - len(add), bool)])
        if priced_out or too_far or (close and not widened) or late:
            break
        pool.keep |= add
    # who-lives-alongside rows start with the children the last LP puts together
    conflicts = conflicts_among(prob, *active)
    start = None if seed is None else (seed, seed_pattern)
    stages.lap("pricing")
    return _prove(st, best, rounds, priced_out, conflicts, stop, max_columns, give_up_gap,
                  start, all_conflicts, stages)  # fmt: skip


def _plan_pattern(gr: Group, plan: np.ndarray) -> tuple | None:
    """The group's pattern in ``plan`` (placement per child, -1 unplaced): members at one
    placement form a block; ``None`` when a block is not one the group can take (or,
    siblings together, the blocks are on more than one home)."""
    by_place: dict[int, int] = {}
    for i, c in enumerate(gr.members.tolist()):
        if plan[c] >= 0:
            by_place[int(plan[c])] = by_place.get(int(plan[c]), 0) | (1 << i)
    blocks = tuple((mask, p) for p, mask in by_place.items())
    if gr.together and gr.homes_of([p for _, p in blocks]) > 1:
        return None
    ok = all(mask in gr.blocks and p in set(gr.blocks[mask][0].tolist()) for mask, p in blocks)
    return blocks if ok else None


def _seeded(
    child: np.ndarray, place: np.ndarray, cost: np.ndarray, seed: np.ndarray | None
) -> np.ndarray:
    """Pairs the first LP takes besides each child's cheapest: with a ``seed`` plan
    (placement per child, -1 unplaced), its pairs, and each placement's
    :data:`SEED_PER_PLACE` cheapest children. Where the children all come from one area
    they share the same cheapest pairs, and the first LPs leave most of them unplaced;
    these give every child a way to somewhere it can go and every placement the
    children it suits best, so pricing starts near the LP optimum. (Which columns the
    pool starts with changes only how fast pricing converges, never the bound.)"""
    out = np.zeros(len(child), bool)
    if seed is None or len(child) == 0:
        return out
    out |= seed[child] == place
    order = np.lexsort((child, cost, place))
    first = np.searchsorted(place[order], place[order], side="left")
    rank = np.arange(len(order)) - first
    out[order[rank < SEED_PER_PLACE]] = True
    return out


def _prove(
    st: ColumnState, duals: _Duals, rounds: int, priced_out: bool, conflicts: np.ndarray,
    stop: Deadline, max_columns: int, give_up_gap: float | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None, all_conflicts: bool = False,
    stages: Stages | None = None,
) -> PatternOutcome:  # fmt: skip
    """MIP over the pool; add what could still improve it until the bound proves the plan.

    ``start`` is a plan that breaks no rule (placement per child) and the pool's pattern
    of it per group (-1: none): its columns are always in the MIP, which starts from it.
    With ``all_conflicts`` each MIP has the who-lives-alongside rows of every two
    children its columns could put together (:func:`_possible_conflicts`). Out of time
    with a plan that still puts children together against those rules, the plan made
    legal (:func:`.transport.legal_plan`: children moved to where they may live) is
    proposed, or the plan less those children if that is better.
    """
    stages = Stages() if stages is None else stages
    proof = stop.share(PROOF_SHARE)
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
        values = None
        if start is not None:
            # the start plan's columns join the MIP (more columns only weaken the fixing)
            seed_pair = pool.keep & (start[0][pool.pair_child] == pool.pair_place)
            pair_use |= seed_pair
            pattern_use[start[1][start[1] >= 0]] = True
            values = _start_values(pool, st, seed_pair, pair_use, pattern_use, start[1],
                                   empty)  # fmt: skip
        if all_conflicts:
            possible = _possible_conflicts(prob, pool, pair_use, pattern_use)
            if possible is not None:
                conflicts = np.unique(np.concatenate([conflicts, possible]), axis=0)
        master = master_model(prob, pool, st.unit_of_child, st.singles, st.unplaced, conflicts,
                         pair_use, pattern_use)  # fmt: skip
        stages.lap("proof")
        out = backends.solve_mip(
            params.solver, master.model,
            SolveOptions(stop.solver_seconds(), gap / 2, start=values),
        )  # fmt: skip
        stages.record("mip_rounds", stages.take())
        if values is not None:
            # a backend out of time may return a worse plan than the start, or none
            first = float(master.model.obj @ values)
            if out.values is None or (out.objective is not None and out.objective > first):
                out = replace(out, values=values, objective=first,
                              status=SolveStatus.FEASIBLE)  # fmt: skip
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
        where = decode(prob, master, out.values)
        placed = where >= 0
        broken = conflicts_among(prob, np.nonzero(placed)[0], where[placed])
        subset_bound = out.bound if out.bound is not None else duals.z_dual
        # every round's bound holds for the full model (missing rows only relax it)
        bound = max(duals.z_dual, min(subset_bound, duals.z_dual + least_left_out))
        best_bound = max(best_bound, bound)
        late = stop.expired()
        if len(broken) and start is not None:
            # from a start plan: the MIP's plan made legal (children moved to where they
            # may live, not left unplaced) is kept when it is the best plan breaking no
            # rule so far, and the next MIP starts from it
            fixed = legal_plan(prob, params, where, st.child, st.place, st.cost)
            fixed_cost = plan_objective(evaluate_plan(prob, fixed, params.weights))
            if kept is None or fixed_cost < kept[2]:
                kept = (replace(out, objective=fixed_cost, status=SolveStatus.FEASIBLE), fixed,
                        fixed_cost)  # fmt: skip
                start = _start_from(pool, fixed) or start
        if len(broken):
            if late:
                if kept is not None:
                    return outcome(kept[0], kept[1], best_bound, "out of time")
                # the MIP's plan made legal
                fixed, fixed_cost, how = made_legal(prob, params, where, st.child, st.place,
                                                    st.cost, st.unplaced)  # fmt: skip
                why = (
                    "out of time with who-lives-alongside rules still to add (children "
                    f"sharing a home against them were {how})"
                )
                legal = replace(out, objective=fixed_cost, status=SolveStatus.FEASIBLE)
                return outcome(legal, fixed, best_bound, why)
            # every conflict the pool could create for those children at those placements
            at = np.isin(prob.place_home[master.inc_place], broken[:, 2])
            near = conflicts_among(prob, master.inc_child[at], master.inc_place[at])
            mine = np.isin(near[:, 0], broken[:, :2]) | np.isin(near[:, 1], broken[:, :2])
            conflicts = np.unique(np.concatenate([conflicts, broken, near[mine]]), axis=0)
            continue
        incumbent = float(out.objective) if out.objective is not None else np.inf
        if kept is None or incumbent <= kept[2]:
            kept = (out, where, incumbent)
        out, where, incumbent = kept
        tol = TOLERANCE_GBP * max(1.0, abs(incumbent))
        proven = incumbent - best_bound <= gap * abs(incumbent) + tol
        late = proof.expired()
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
                if proof.expired():
                    break  # the far bound stays in the proof: the gap says what it costs
            add = ~pool.keep & (rc_pairs < threshold)
            # counted once (a sum over every pair held): each new pattern adds one to it
            columns = pool.num_columns + int(add.sum())
            if columns > max_columns:
                raise TooMany
            for g, gr in enumerate(pool.groups):
                if proof.expired():
                    return outcome(out, where, best_bound, "out of time")
                alpha_g = float(duals.alpha[n_s + g] + duals.lowered[n_s + g])
                for _, blocks in gr.enumerate(duals.beta, alpha_g, threshold):
                    added += pool.add_pattern(g, blocks)
                    if columns + added > max_columns:
                        raise TooMany
        except TooMany:
            why = "too many columns could still improve the plan"
            return outcome(out, where, best_bound, why)
        pool.keep |= add
        pattern_floor = max(pattern_floor, threshold)


def made_legal(
    prob: MatchProblem, params: MatchingParams, where: np.ndarray, child: np.ndarray,
    place: np.ndarray, cost: np.ndarray, unplaced: np.ndarray,
) -> tuple[np.ndarray, float, str]:  # fmt: skip
    """``where`` (a plan putting children together against the who-lives-alongside rules,
    on the candidate pairs given) made legal, its objective, and how: the children moved
    to where they may live (:func:`.transport.legal_plan`), or, when that costs more, the
    plan less the children it must leave unplaced (:func:`.master.repair`)."""
    moved = legal_plan(prob, params, where, child, place, cost)
    dropped = repair(prob, where, unplaced)
    moved_cost, dropped_cost = (plan_objective(evaluate_plan(prob, w, params.weights))
                                for w in (moved, dropped))  # fmt: skip
    if dropped_cost < moved_cost:
        return dropped, dropped_cost, "left unplaced"
    return moved, moved_cost, "moved where they may live"


def _possible_conflicts(
    prob: MatchProblem, pool: Pool, pair_use: np.ndarray, pattern_use: np.ndarray
) -> np.ndarray | None:
    """(a, b, p) for every two children the given columns could put together at a
    placement of two or more places against the who-lives-alongside rules (siblings
    never conflict); ``None`` when that would mean looking at more than
    :data:`MAX_SHARED_PAIRS` pairs of children or giving more than
    :data:`MAX_CONFLICT_ROWS` rows."""
    pat, kid, plc, _ = pool.incidences()
    on = pattern_use[pat] if len(pat) else np.zeros(0, bool)
    child = np.concatenate([pool.pair_child[pair_use], kid[on]])
    place = np.concatenate([pool.pair_place[pair_use], plc[on]])
    # a home of one place never takes two children: its capacity row suffices
    roomy = prob.over_home(prob.place_capacity)[place] >= 2
    child, place = child[roomy], place[roomy]
    key = np.unique(place.astype(np.int64) * max(prob.num_children, 1) + child)
    per_place = np.bincount(key // max(prob.num_children, 1))
    if int((per_place.astype(np.int64) ** 2).sum()) > 2 * MAX_SHARED_PAIRS:
        return None
    found = conflicts_among(prob, key % max(prob.num_children, 1),
                            key // max(prob.num_children, 1))  # fmt: skip
    return found if len(found) <= MAX_CONFLICT_ROWS else None


def _start_from(pool: Pool, plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``plan`` (breaking no rule, on pairs held) as a start for the pool's MIP: its
    pairs kept, its pattern per group added; ``None`` if a group's pattern is not one
    the pool can hold."""
    seed_pattern = np.full(len(pool.groups), -1, np.int64)
    for g, gr in enumerate(pool.groups):
        blocks = _plan_pattern(gr, plan)
        if blocks is None:
            return None
        if blocks:
            pool.add_pattern(g, blocks)
            seed_pattern[g] = pool.pattern_index(g, blocks)
    pool.keep |= plan[pool.pair_child] == pool.pair_place
    return plan, seed_pattern


def _start_values(
    pool: Pool, st: ColumnState, seed_pair: np.ndarray, pair_use: np.ndarray,
    pattern_use: np.ndarray, seed_pattern: np.ndarray, empty: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """The start plan as values of the master's variables (kept pairs, the singles'
    unplaced variables, then the patterns in use; see :func:`.master.master_model`)."""
    pairs = np.nonzero(pair_use)[0]
    n_x, n_s = len(pairs), len(st.singles)
    chosen = np.nonzero(pattern_use)[0]
    out = np.zeros(n_x + n_s + len(chosen))
    on = seed_pair[pairs]
    out[np.nonzero(on)[0]] = 1.0
    placed = np.zeros(n_s, bool)
    placed[st.unit_of_child[pool.pair_child[pairs[on]]]] = True
    out[n_x + np.nonzero(~placed)[0]] = 1.0
    column = np.full(len(pattern_use), -1, np.int64)
    column[chosen] = n_x + n_s + np.arange(len(chosen))
    group = np.asarray(pool.pattern_group, np.int64)
    for g in range(len(pool.groups)):
        j = int(seed_pattern[g])
        if j < 0:  # no pattern of the plan: the group's all-unplaced pattern
            j = int(np.nonzero(empty & (group == g))[0][0])
        out[column[j]] = 1.0
    return out
