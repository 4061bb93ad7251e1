"""The pure entry point: :func:`solve` a :class:`MatchProblem` into a :class:`MatchResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.matching import backends, patterns, spatial
from sufficiency.matching.backends import MipOutcome, SolveOptions, SolveStatus
from sufficiency.matching.candidates import Candidates, generate_candidates
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import build_model
from sufficiency.matching.greedy import greedy_plan
from sufficiency.matching.patterns import Clock
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import TOLERANCE_GBP, dominance_slack, undominated

#: Below this many pairs per child the full candidate set goes straight to the MIP.
PRUNE_ABOVE_PAIRS_PER_CHILD = 12
#: Up to this many candidate pairs, the full compact model over every pair is solved
#: when column generation cannot close its gap (it is small wherever pricing stalls).
FULL_MODEL_MAX_PAIRS = 200_000
#: Share of the time left that column generation may use when the full model may follow.
PATTERN_SHARE_BEFORE_FULL_MODEL = 0.5
#: With the full model to fall back on, column generation settles for its gap once its
#: pool would hold this many columns per candidate pair (the full model is smaller).
COLUMNS_PER_PAIR_BEFORE_FULL_MODEL = 10
#: With the full model to fall back on, column generation gives way to it as soon as its
#: plan is this far from its bound (pattern LPs are usually within 0.01%: a gap this
#: wide comes from the who-lives-alongside rows its LP leaves out).
GIVE_UP_GAP = 0.01

#: Share of the time limit left after the solver for the explanations and the outputs.
OUTPUT_SHARE = 0.1

#: How the result was proven (or found): :attr:`MatchResult.method`.
COMPACT = "compact model"
PATTERNS = "column generation"
PATTERNS_BY_DISTANCE = "column generation over pairs by distance"
PATTERNS_THEN_FULL = "column generation, then full model"
GREEDY = "greedy baseline"


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
    method
        Which method proved the result (or found the plan proposed): ``"compact
        model"``, ``"column generation"``, ``"column generation over pairs by
        distance"``, ``"column generation, then full model"`` (pricing could not close
        its gap and the full compact model over every candidate pair was solved), or
        ``"greedy baseline"`` (no plan from the solver beat today's practice).
    runtime_seconds
        Seconds since the run started (``started``), reading included when the caller
        says when that was.
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
    method: str = COMPACT


def _decode(values: np.ndarray, child: np.ndarray, place: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -1, np.int64)
    used = values[: len(child)] > 0.5
    out[child[used]] = place[used]
    return out


def _full_model(
    prob: MatchProblem, params: MatchingParams, child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, clock: Clock,
) -> tuple[MipOutcome, np.ndarray | None, float | None]:  # fmt: skip
    """The compact model over every given pair: its outcome, its plan (``None`` when it
    has none) and its bound (the requested gap below the plan when the solver proves
    optimality without reporting a bound)."""
    model = build_model(prob, child, place, cost, params)
    out = backends.solve_mip(params.solver, model, SolveOptions(clock.remaining(), params.mip_gap))
    if out.values is None:
        return out, None, out.bound
    where = _decode(out.values, child, place, prob.num_children)
    bound = out.bound
    if bound is None and out.status is SolveStatus.OPTIMAL:
        objective = plan_objective(evaluate_plan(prob, where, params.weights))
        bound = objective - params.mip_gap * abs(objective)
    return out, where, bound


def solve(
    prob: MatchProblem,
    params: MatchingParams,
    *,
    prune: bool = True,
    candidates: Candidates | None = None,
    started: float | None = None,
    spatial_above_pairs: int | None = None,
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
    started
        When the run began, a ``time.perf_counter()`` reading (default: now). The time
        limit counts from it, so a caller that read the inputs first passes the time
        it started reading; the solver stops by :data:`OUTPUT_SHARE` of the limit
        before its end, leaving that for the explanations and the outputs.
    spatial_above_pairs
        Children x placements above which pairs are generated by distance from home
        (default :data:`.spatial.SPATIAL_ABOVE_PAIRS`; see :func:`.spatial.worthwhile`).
    """
    t0 = time.perf_counter() if started is None else started
    deadline = t0 + (1 - OUTPUT_SHARE) * params.time_limit_seconds
    backends.check(params.solver)
    # at national scale pairs are generated by distance from home (see :mod:`.spatial`)
    by_distance = (
        prune
        and candidates is None
        and patterns.pattern_sizes_ok(prob)
        and spatial.worthwhile(prob, spatial_above_pairs)
    )
    radius = None
    if by_distance:
        cands, radius = spatial.initial_candidates(prob, params)
        greedy = greedy_plan(prob, params)
    else:
        cands = (
            candidates
            if candidates is not None
            else generate_candidates(prob, params if prune else None)
        )
        greedy = greedy_plan(prob, params, cands)
    full_cost = pair_cost(prob, cands.child, cands.place, params.weights)
    child, place, cost = cands.child, cands.place, full_cost
    if prune and not by_distance:
        slack = dominance_slack(prob, params)
        needed = undominated(child, place, cost, prob.num_children, slack)
        child, place, cost = child[needed], place[needed], cost[needed]
    n_c = prob.num_children
    name = params.solver
    priced = None
    settled = ""
    where: np.ndarray | None
    bound: float | None
    status: SolveStatus
    solver_proved = False  # the compact model's solver proved the plan within the gap
    if by_distance or (
        prune
        and len(child) > PRUNE_ABOVE_PAIRS_PER_CHILD * max(n_c, 1)
        and patterns.pattern_sizes_ok(prob)
    ):
        # the full model over every pair is the fallback wherever it is small enough;
        # column generation then leaves it part of the time
        fallback = not by_distance and len(child) <= FULL_MODEL_MAX_PAIRS
        now = time.perf_counter()
        share = PATTERN_SHARE_BEFORE_FULL_MODEL if fallback else 1.0
        clock = Clock(now, now + share * max(deadline - now, 0.0))
        columns = patterns._MAX_COLUMNS
        if fallback:
            columns = min(columns, max(COLUMNS_PER_PAIR_BEFORE_FULL_MODEL * len(child), 10_000))
        give_up = max(GIVE_UP_GAP, 10 * params.mip_gap) if fallback else None
        priced = patterns.solve_patterns(prob, params, child, place, cost, clock, radius=radius,
                                         max_columns=columns, give_up_gap=give_up)  # fmt: skip
        out, rounds, in_model = priced.mip, priced.rounds, priced.columns
        where, bound = priced.where, priced.bound
        method = PATTERNS_BY_DISTANCE if by_distance else PATTERNS
        settled = priced.settled
        if by_distance:
            # the pairs held at the end, for the alternatives and the summary
            order = np.lexsort((priced.place, priced.child))
            cands = Candidates(priced.child[order], priced.place[order],
                               cands.excluded_counts, cands.num_suitable)  # fmt: skip
            full_cost = priced.cost[order]
        proven = where is not None and _proven(prob, params, where, bound)
        if fallback and not proven:
            full, full_where, full_bound = _full_model(prob, params, child, place, cost,
                                                       Clock(t0, deadline))  # fmt: skip
            method = PATTERNS_THEN_FULL
            in_model = max(in_model, len(child))
            if full_bound is not None:
                bound = max(bound, full_bound)
            if full_where is not None and (
                where is None
                or _objective(prob, params, full_where)
                <= _objective(prob, params, where) + TOLERANCE_GBP
            ):
                where = full_where
            if where is full_where or where is None:
                out = full
                # the full model proved its plan within the gap
                solver_proved = full.status is SolveStatus.OPTIMAL
            stopped = f"the full model over every candidate pair stopped: {full.status.value}"
            settled = f"{settled}; {stopped}" if settled else stopped
    else:
        full, where, full_bound = _full_model(prob, params, child, place, cost, Clock(t0, deadline))
        out, rounds, in_model, bound = full, 1, len(child), full_bound
        method = COMPACT
        solver_proved = full.status is SolveStatus.OPTIMAL
    runtime = time.perf_counter() - t0
    has_plan = where is not None
    if where is None:
        where = np.full(n_c, -1, np.int64)
    plan = evaluate_plan(prob, where, params.weights)
    objective = plan_objective(plan)
    gap = None if bound is None else max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    # the solver's own claim (within the gap it was asked for), or the bound's proof
    proven = has_plan and (
        (solver_proved and (bound is None or _proven(prob, params, where, bound, slack=2.0)))
        or _proven(prob, params, where, bound)
    )
    if not has_plan:
        status = out.status if out.status is not SolveStatus.OPTIMAL else SolveStatus.TIME_LIMIT
        message = f"The {name} solver returned no plan (status {out.status.value})."
        if settled:
            message += f" It stopped because {settled}."
    elif proven:
        status, message = SolveStatus.OPTIMAL, "Proven optimal."
        if method == PATTERNS_THEN_FULL:
            message += (
                " Column generation could not close its gap; the full model over every "
                "candidate pair proved the plan."
            )
    elif priced is not None:
        status = SolveStatus.FEASIBLE
        message = (
            f"NOT proven optimal: the gap to the bound over all {len(child)} candidate pairs "
            f"is {gap or 0.0:.4%} (pricing ran {rounds} rounds"
            f"{'' if priced.priced_out else ' and stopped before the LP optimum'}"
            f"{'; ' + settled if settled else ''})."
        )
    else:
        status = out.status if out.status is not SolveStatus.OPTIMAL else SolveStatus.FEASIBLE
        message = f"NOT proven optimal: {name} stopped with status {out.status.value}."
    if status is not SolveStatus.OPTIMAL:
        # a plan not proven optimal must still never be worse than today's practice
        baseline_plan = evaluate_plan(prob, greedy, params.weights)
        if plan_objective(baseline_plan) < objective or not has_plan:
            where, plan, objective = greedy, baseline_plan, plan_objective(baseline_plan)
            status = SolveStatus.FEASIBLE if has_plan else status
            message += " The greedy baseline's plan was better and is proposed instead."
            method = GREEDY
            if bound is not None:
                gap = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
    if by_distance:
        # what each rule excludes, over the whole register, for the children left unplaced
        counts, suitable = spatial.rule_counts(prob, np.nonzero(where < 0)[0])
        cands = Candidates(cands.child, cands.place, counts, suitable)
    return MatchResult(
        status=status, solver=out.solver, plan=plan, place_of_child=where,
        objective_gbp=objective, bound_gbp=bound, gap=gap, runtime_seconds=runtime,
        candidates=cands, pair_cost_gbp=full_cost, num_pairs_in_model=in_model,
        pruning_rounds=rounds, message=message, greedy_place_of_child=greedy, method=method,
    )  # fmt: skip


def _objective(prob: MatchProblem, params: MatchingParams, where: np.ndarray) -> float:
    return plan_objective(evaluate_plan(prob, where, params.weights))


def _proven(
    prob: MatchProblem, params: MatchingParams, where: np.ndarray, bound: float | None,
    slack: float = 1.0,
) -> bool:  # fmt: skip
    """Whether ``bound`` proves the plan within the gap (``slack`` times it)."""
    if bound is None:
        return False
    objective = _objective(prob, params, where)
    tol = TOLERANCE_GBP * max(1.0, abs(objective))
    return objective - bound <= slack * params.mip_gap * abs(objective) + tol
