"""The pure entry point: :func:`solve` a :class:`MatchProblem` into a :class:`MatchResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.matching import backends
from sufficiency.matching.backends import SolveOptions, SolveStatus
from sufficiency.matching.candidates import Candidates, generate_candidates
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import build_model
from sufficiency.matching.greedy import greedy_plan
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import (
    TOLERANCE_GBP,
    dominance_slack,
    initial_subset,
    most_negative,
    reduced_costs,
    undominated,
)

#: Below this many pairs per child the full candidate set goes straight to the MIP.
PRUNE_ABOVE_PAIRS_PER_CHILD = 12
_START_PER_CHILD = 6
_ADD_PER_CHILD = 6
#: Beyond this many pairs (or twice the subset) to add after the MIP, the bound is too weak
#: to finish in time and the run reports its gap instead.
_MAX_ADDED_AFTER_MIP = 20_000
#: Share of the time limit pricing may use before the subset is solved as it stands.
_PRICING_SHARE = 0.5


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Proposed plan and how good it is proven to be.

    Attributes
    ----------
    status
        Normalised solver status; anything but ``optimal`` is not proven optimal.
    plan
        One row per child (sorted by ID): placement (``<NA>`` when unplaced),
        distances and every objective term, from :func:`evaluate_plan`.
    place_of_child
        Placement row index per child, -1 when unplaced.
    objective_gbp, bound_gbp, gap
        Objective recomputed from the plan, best proven lower bound and the
        relative gap between them (``None`` when the solver gave no bound).
    greedy_place_of_child
        The greedy baseline's placement per child (-1 unplaced), computed once here
        for the warm start, the fallback and the report.
    """

    status: SolveStatus
    solver: str
    plan: pd.DataFrame
    place_of_child: np.ndarray
    objective_gbp: float
    bound_gbp: float | None
    gap: float | None
    runtime_seconds: float
    candidates: Candidates
    pair_cost_gbp: np.ndarray
    num_pairs_in_model: int
    pruning_rounds: int
    message: str
    greedy_place_of_child: np.ndarray


def _decode(values: np.ndarray, child: np.ndarray, place: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -1, np.int64)
    used = values[: len(child)] > 0.5
    out[child[used]] = place[used]
    return out


def solve(
    prob: MatchProblem,
    params: MatchingParams,
    *,
    prune: bool = True,
    candidates: Candidates | None = None,
) -> MatchResult:
    """Propose the best plan for every child at once.

    Parameters
    ----------
    prob
        The referrals and placements.
    params
        Solver, limits, sibling policy and objective weights.
    prune
        Solve over a subset of the candidate pairs, enlarged until provably
        nothing left out could improve the plan (see :mod:`.pruning`).
    candidates
        Precomputed candidates, if the caller already has them.
    """
    t0 = time.perf_counter()
    cands = (
        candidates
        if candidates is not None
        else generate_candidates(prob, params if prune else None)
    )
    full_cost = pair_cost(prob, cands.child, cands.place, params.weights)
    child, place, cost = cands.child, cands.place, full_cost
    if prune:
        slack = dominance_slack(prob, params)
        needed = undominated(child, place, cost, prob.num_children, slack)
        child, place, cost = child[needed], place[needed], cost[needed]
    greedy = greedy_plan(prob, params, cands)
    n_c = prob.num_children
    name = params.solver
    rounds = 0
    keep = np.ones(len(child), bool)
    priced: _Priced | None = None
    unproven = False
    if prune and len(child) > PRUNE_ABOVE_PAIRS_PER_CHILD * max(n_c, 1):
        always = _always(prob, child, place, greedy)
        keep = initial_subset(child, cost, n_c, _START_PER_CHILD, always)
        priced, unproven, rounds = _price(prob, params, child, place, cost, keep, t0)
    # the subset MIP is solved a little tighter than asked, leaving room for the
    # Lagrangian term of the bound when pricing stopped short of the LP optimum
    mip_gap = params.mip_gap / 2 if priced is not None else params.mip_gap
    while True:
        rounds += 1
        model = build_model(prob, child[keep], place[keep], cost[keep], params)
        remaining = max(params.time_limit_seconds - (time.perf_counter() - t0), 0.5)
        out = backends.solve_mip(name, model, SolveOptions(remaining, mip_gap))
        if out.values is None or priced is None or out.status is not SolveStatus.OPTIMAL:
            break
        incumbent = min(out.objective if out.objective is not None else np.inf, _objective(
            prob, _decode(out.values, child[keep], place[keep], n_c), params))  # fmt: skip
        if incumbent - priced.bound(keep, out.bound) <= params.mip_gap * max(abs(incumbent), 1e-9):
            break
        add = ~keep & (priced.rc < incumbent - priced.z_dual + _tol(incumbent))
        late = time.perf_counter() - t0 > _PRICING_SHARE * params.time_limit_seconds
        if not add.any() or late or add.sum() > max(2 * keep.sum(), _MAX_ADDED_AFTER_MIP):
            break  # proven, or the bound is too weak to finish in time: the gap is reported
        keep |= add
    runtime = time.perf_counter() - t0
    if out.values is None:
        where = np.full(n_c, -1, np.int64)
    else:
        where = _decode(out.values, child[keep], place[keep], n_c)
    plan = evaluate_plan(prob, where, params.weights)
    objective = plan_objective(plan)
    # the bound holds for the full model: over the subset from the MIP, and for any
    # plan using an omitted pair from the priced LP (see :class:`_Priced`)
    bound = out.bound if priced is None else priced.bound(keep, out.bound)
    if bound is None and out.status is SolveStatus.OPTIMAL:
        bound = objective * (1 - params.mip_gap) if objective > 0 else objective
    gap = None if bound is None else max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    status = out.status
    if out.values is None:
        message = f"The {name} solver returned no plan (status {out.status.value})."
    elif priced is not None and out.status is SolveStatus.OPTIMAL and (gap or 0.0) > params.mip_gap:
        status = SolveStatus.FEASIBLE
        message = (
            f"NOT proven optimal: the gap to the bound over all {len(child)} candidate pairs is "
            f"{gap:.4%} (pricing stopped with {priced.rounds if priced else 0} rounds"
            f"{', out of time' if unproven else ''})."
        )
    elif status is not SolveStatus.OPTIMAL:
        message = f"NOT proven optimal: {name} stopped with status {out.status.value}."
    else:
        message = "Proven optimal."
    if status is not SolveStatus.OPTIMAL:
        # a plan not proven optimal must still never be worse than today's practice
        baseline_plan = evaluate_plan(prob, greedy, params.weights)
        if plan_objective(baseline_plan) < objective:
            where, plan, objective = greedy, baseline_plan, plan_objective(baseline_plan)
            status = SolveStatus.FEASIBLE if out.values is not None else status
            message += " The greedy baseline's plan was better and is proposed instead."
            if bound is not None:
                gap = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    return MatchResult(
        status=status, solver=out.solver, plan=plan, place_of_child=where,
        objective_gbp=objective, bound_gbp=bound, gap=gap, runtime_seconds=runtime,
        candidates=cands, pair_cost_gbp=full_cost, num_pairs_in_model=int(keep.sum()),
        pruning_rounds=rounds, message=message, greedy_place_of_child=greedy,
    )  # fmt: skip


@dataclass(frozen=True, eq=False)
class _Priced:
    """What pricing proves about the full model.

    With LP duals ``alpha`` (child rows) and ``beta`` (capacity rows) over the
    subset, lower each ``alpha[c]`` by the most negative reduced cost ``m[c]`` among
    ``c``'s omitted pairs: the duals become feasible for the LP over *every*
    candidate pair, with objective ``z_dual = z_lp + sum(m)`` (a Lagrangian bound,
    equal to the LP optimum once pricing has converged) and reduced costs
    ``rc = cost - alpha - beta - m >= 0``. So every plan costs at least ``z_dual``,
    and a plan using omitted pair ``k`` costs at least ``z_dual + rc[k]``.
    """

    z_dual: float
    rc: np.ndarray
    rounds: int

    def bound(self, keep: np.ndarray, subset_bound: float | None) -> float:
        """Lower bound for the full model given the MIP's bound over the pairs ``keep``."""
        if subset_bound is None:
            return self.z_dual
        omitted = ~keep
        via_omitted = self.z_dual + (float(self.rc[omitted].min()) if omitted.any() else np.inf)
        return max(self.z_dual, min(subset_bound, via_omitted))


def _price(
    prob: MatchProblem,
    params: MatchingParams,
    child: np.ndarray,
    place: np.ndarray,
    cost: np.ndarray,
    keep: np.ndarray,
    t0: float,
) -> tuple[_Priced, bool, int]:
    """Column generation over the candidate pairs; grows ``keep`` in place.

    Each round rebuilds and solves the LP over ``keep`` (keeping one HiGHS model and
    adding columns was tried: warm starts still took thousands of simplex iterations a
    round and saved nothing measurable). Stops when no omitted pair prices out, or when
    the best Lagrangian bound is within a quarter of the MIP gap of the subset LP, or
    when its share of the time limit is spent (the bound is then weaker, and the
    result says so). Returns what pricing proved, whether it ran out of time, and the
    number of rounds.
    """
    n_c = prob.num_children
    rounds = 0
    best: _Priced | None = None
    per_child, last_z = _ADD_PER_CHILD, None
    while True:
        rounds += 1
        model = build_model(prob, child[keep], place[keep], cost[keep], params, conflicts=False)
        lp = backends.solve_lp(params.solver, model.relaxation())
        z = lp.objective
        rc = reduced_costs(model, lp.row_duals, child, place, cost, prob.num_placements)
        omitted = ~keep & (rc < 0)
        m = np.zeros(n_c)
        np.minimum.at(m, child[omitted], rc[omitted])
        # every round's adjusted duals give a valid bound: keep the best one
        if best is None or z + float(m.sum()) > best.z_dual:
            best = _Priced(z + float(m.sum()), rc - m[child], rounds)
        # degenerate duals price out pair after pair without moving z: take more at once
        if last_z is not None and z > last_z - params.mip_gap / 4 * max(abs(z), 1.0):
            per_child *= 2
        last_z = z
        add = most_negative(rc, child, ~keep, per_child)
        # z (over the subset) is at least the full LP optimum, which is at least best.z_dual
        converged = not add.any() or z - best.z_dual <= params.mip_gap / 4 * max(abs(z), 1.0)
        late = time.perf_counter() - t0 > _PRICING_SHARE * params.time_limit_seconds
        if converged or late:
            return best, not converged, rounds
        keep |= add


def _always(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray, greedy: np.ndarray
) -> np.ndarray:
    """Pairs every subset holds: those creating an exemption variable (see
    :mod:`.colgen`) and the greedy plan's, so the first subset holds a good plan."""
    grp = prob.child_group
    gsize = np.bincount(grp[grp >= 0], minlength=max(prob.num_groups, 1))
    plc = prob.placements
    roomy_foster = (
        (plc["setting"] == "foster").to_numpy()
        & (plc["current_children"].to_numpy() == 0)
        & (plc["vacancies"].to_numpy() > 3)
    )
    always = (grp[child] >= 0) & (gsize[np.maximum(grp[child], 0)] > 3) & roomy_foster[place]
    return always | (greedy[child] == place)


def _tol(incumbent: float) -> float:
    return TOLERANCE_GBP * max(1.0, abs(incumbent))


def _objective(prob: MatchProblem, where: np.ndarray, params: MatchingParams) -> float:
    return plan_objective(evaluate_plan(prob, where, params.weights))
