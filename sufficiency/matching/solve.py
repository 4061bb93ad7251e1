"""The pure entry point: :func:`solve` a :class:`MatchProblem` into a :class:`MatchResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.matching import backends, patterns
from sufficiency.matching.backends import SolveOptions, SolveStatus
from sufficiency.matching.candidates import Candidates, generate_candidates
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import build_model
from sufficiency.matching.greedy import greedy_plan
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import dominance_slack, undominated

#: Below this many pairs per child the full candidate set goes straight to the MIP.
PRUNE_ABOVE_PAIRS_PER_CHILD = 12


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
    priced = None
    if (
        prune
        and len(child) > PRUNE_ABOVE_PAIRS_PER_CHILD * max(n_c, 1)
        and patterns.pattern_sizes_ok(prob)
    ):
        priced = patterns.solve_patterns(prob, params, child, place, cost, t0)
        out, rounds, in_model = priced.mip, priced.rounds, priced.columns
        where = priced.where if priced.where is not None else np.full(n_c, -1, np.int64)
    else:
        model = build_model(prob, child, place, cost, params)
        remaining = max(params.time_limit_seconds - (time.perf_counter() - t0), 0.5)
        out = backends.solve_mip(name, model, SolveOptions(remaining, params.mip_gap))
        rounds, in_model = 1, len(child)
        where = (
            np.full(n_c, -1, np.int64)
            if out.values is None
            else _decode(out.values, child, place, n_c)
        )
    runtime = time.perf_counter() - t0
    plan = evaluate_plan(prob, where, params.weights)
    objective = plan_objective(plan)
    has_plan = out.values is not None and (priced is None or priced.where is not None)
    # the bound holds for the full model: over the pool from the MIP, and for any plan
    # using a column left out from the priced LP (see :mod:`.patterns`)
    bound = out.bound if priced is None else priced.bound
    if bound is None and out.status is SolveStatus.OPTIMAL:
        bound = objective * (1 - params.mip_gap) if objective > 0 else objective
    gap = None if bound is None else max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    status = out.status
    if not has_plan:
        message = f"The {name} solver returned no plan (status {out.status.value})."
        if priced is not None and priced.settled:
            message += f" It stopped because {priced.settled}."
        status = out.status if out.status is not SolveStatus.OPTIMAL else SolveStatus.TIME_LIMIT
    elif priced is not None and (gap or 0.0) > params.mip_gap:
        status = SolveStatus.FEASIBLE if out.status is SolveStatus.OPTIMAL else out.status
        message = (
            f"NOT proven optimal: the gap to the bound over all {len(child)} candidate pairs "
            f"is {gap:.4%} (pricing ran {rounds} rounds"
            f"{'' if priced.priced_out else ' and stopped before the LP optimum'}"
            f"{'; ' + priced.settled if priced.settled else ''})."
        )
    elif priced is not None:
        status, message = SolveStatus.OPTIMAL, "Proven optimal."
    elif status is not SolveStatus.OPTIMAL:
        message = f"NOT proven optimal: {name} stopped with status {out.status.value}."
    else:
        message = "Proven optimal."
    if status is not SolveStatus.OPTIMAL:
        # a plan not proven optimal must still never be worse than today's practice
        baseline_plan = evaluate_plan(prob, greedy, params.weights)
        if plan_objective(baseline_plan) < objective or not has_plan:
            where, plan, objective = greedy, baseline_plan, plan_objective(baseline_plan)
            status = SolveStatus.FEASIBLE if has_plan else status
            message += " The greedy baseline's plan was better and is proposed instead."
            if bound is not None:
                gap = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    return MatchResult(
        status=status, solver=out.solver, plan=plan, place_of_child=where,
        objective_gbp=objective, bound_gbp=bound, gap=gap, runtime_seconds=runtime,
        candidates=cands, pair_cost_gbp=full_cost, num_pairs_in_model=in_model,
        pruning_rounds=rounds, message=message, greedy_place_of_child=greedy,
    )  # fmt: skip
