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
    n_c, n_p = prob.num_children, prob.num_placements
    name = params.solver
    rounds = 0
    keep = np.ones(len(child), bool)
    z_lp: float | None = None
    unproven = False
    rc = np.zeros(len(child))
    if prune and len(child) > PRUNE_ABOVE_PAIRS_PER_CHILD * max(n_c, 1):
        grp = prob.child_group
        gsize = np.bincount(grp[grp >= 0], minlength=max(prob.num_groups, 1))
        plc = prob.placements
        roomy_foster = (
            (plc["setting"] == "foster").to_numpy()
            & (plc["current_children"].to_numpy() == 0)
            & (plc["vacancies"].to_numpy() > 3)
        )
        always = (grp[child] >= 0) & (gsize[np.maximum(grp[child], 0)] > 3) & roomy_foster[place]
        always |= greedy[child] == place  # so the first subset already holds a good plan
        keep = initial_subset(child, cost, n_c, _START_PER_CHILD, always)
        while True:
            rounds += 1
            model = build_model(prob, child[keep], place[keep], cost[keep], params, conflicts=False)
            lp = backends.solve_lp(name, model.relaxation())
            rc = reduced_costs(model, lp.row_duals, child, place, cost, n_p)
            add = most_negative(rc, child, ~keep, _ADD_PER_CHILD)
            if not add.any():
                z_lp = lp.objective
                break
            keep |= add
            if time.perf_counter() - t0 > _PRICING_SHARE * params.time_limit_seconds:
                unproven = True  # out of time for pricing: optimal over the subset only
                break
    while True:
        rounds += 1
        model = build_model(prob, child[keep], place[keep], cost[keep], params)
        remaining = max(params.time_limit_seconds - (time.perf_counter() - t0), 0.5)
        out = backends.solve_mip(name, model, SolveOptions(remaining, params.mip_gap))
        if out.values is None or z_lp is None or out.status is not SolveStatus.OPTIMAL:
            break
        incumbent = min(out.objective if out.objective is not None else np.inf, _objective(
            prob, _decode(out.values, child[keep], place[keep], n_c), params))  # fmt: skip
        add = ~keep & (rc < incumbent - z_lp + TOLERANCE_GBP * max(1.0, abs(incumbent)))
        if not add.any():
            break
        keep |= add
    runtime = time.perf_counter() - t0
    status = out.status
    if out.values is None:
        where = np.full(n_c, -1, np.int64)
        message = f"The {name} solver returned no plan (status {out.status.value})."
    else:
        where = _decode(out.values, child[keep], place[keep], n_c)
        message = "Proven optimal."
        if unproven and out.status is SolveStatus.OPTIMAL:
            status = SolveStatus.FEASIBLE
            message = (
                f"NOT proven optimal: optimal over {int(keep.sum())} of {len(child)} candidate "
                "pairs, but pricing the rest ran out of time."
            )
        elif out.status is not SolveStatus.OPTIMAL:
            message = f"NOT proven optimal: {name} stopped with status {out.status.value}."

    plan = evaluate_plan(prob, where, params.weights)
    objective = plan_objective(plan)
    if status is not SolveStatus.OPTIMAL:
        # a plan not proven optimal must still never be worse than today's practice
        baseline_plan = evaluate_plan(prob, greedy, params.weights)
        if plan_objective(baseline_plan) < objective:
            where, plan, objective = greedy, baseline_plan, plan_objective(baseline_plan)
            status = SolveStatus.FEASIBLE if out.values is not None else status
            message += " The greedy baseline's plan was better and is proposed instead."
    bound = out.bound
    if unproven:
        bound = None
    elif bound is None and status is SolveStatus.OPTIMAL:
        bound = objective * (1 - params.mip_gap) if objective > 0 else objective
    gap = None if bound is None else max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    return MatchResult(
        status=status, solver=out.solver, plan=plan, place_of_child=where,
        objective_gbp=objective, bound_gbp=bound, gap=gap, runtime_seconds=runtime,
        candidates=cands, pair_cost_gbp=full_cost, num_pairs_in_model=int(keep.sum()),
        pruning_rounds=rounds, message=message, greedy_place_of_child=greedy,
    )  # fmt: skip


def _objective(prob: MatchProblem, where: np.ndarray, params: MatchingParams) -> float:
    return plan_objective(evaluate_plan(prob, where, params.weights))
