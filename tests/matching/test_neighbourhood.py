"""The neighbourhood search (:mod:`sufficiency.matching.neighbourhood`): a few children
at a time moved by the full model, every rule kept, the same plan for the same inputs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame
from reference import plan_cost, plan_violations

from sufficiency.config import MatchingParams
from sufficiency.matching import build_problem, generate_candidates, neighbourhood, solve
from sufficiency.matching import solver as solver_module
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import build_model, plan_values
from sufficiency.matching.stop import Deadline

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks" / "matching"))
from generate import generate_crowded


def _named(prob, where: np.ndarray) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    ids = prob.referrals["child_id"].astype(str).tolist()
    homes = prob.placements["placement_id"].astype(str).tolist()
    return {c: (homes[p] if p >= 0 else None) for c, p in zip(ids, where.tolist(), strict=True)}


def _pairs(prob, params):  # type: ignore[no-untyped-def]
    cands = generate_candidates(prob, params)
    return cands.child, cands.place, pair_cost(prob, cands.child, cands.place, params.weights)


def test_the_search_improves_a_plan_and_breaks_no_rule() -> None:
    """From the plan that places nobody (it breaks no rule), the search places children
    a neighbourhood at a time: each plan it keeps is one of the full model's (every row
    met), breaks no hard rule by the reference checker, and is cheaper than the start;
    the same inputs give the same plan."""
    refs, plcs = generate_crowded(30, 60, seed=2)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    child, place, cost = _pairs(prob, params)
    nobody = np.full(prob.num_children, -1, np.int64)
    got = neighbourhood.improve(prob, params, child, place, cost, nobody,
                                Deadline.from_now(120))  # fmt: skip
    again = neighbourhood.improve(prob, params, child, place, cost, nobody,
                                  Deadline.from_now(120))  # fmt: skip
    assert got.improved > 0 and got.rounds >= got.improved
    assert "brought nothing" in got.stopped or "tried" in got.stopped
    assert (got.where >= 0).sum() > 0
    assert np.array_equal(got.where, again.where)
    model = build_model(prob, child, place, cost, params)
    assert plan_values(prob, child, place, model, got.where) is not None
    named = _named(prob, got.where)
    assert plan_violations(refs, plcs, named, RUN_DATE) == []
    start = plan_cost(refs, plcs, _named(prob, nobody), params.weights)
    assert plan_cost(refs, plcs, named, params.weights) < start


def test_a_child_left_unplaced_is_placed_by_moving_another() -> None:
    """Only P1 has pets, and A must live with pets; B, at P1 in the plan given, may live at
    P2 too. Placing A needs B to move: no child moves alone to do it (P2 is no use to A,
    and P1 is full), the search frees A with the children at A's placements and finds it."""
    refs = referrals_frame([
        referral("A", age=9, pets="must"),
        referral("B", age=12),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P1", vacancies=1, has_pets=True, weekly_cost=900.0),
        placement("P2", vacancies=1, weekly_cost=800.0),
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    child, place, cost = _pairs(prob, params)
    ids = prob.placements["placement_id"].astype(str).tolist()
    kid = prob.referrals["child_id"].astype(str).tolist()
    start = np.full(prob.num_children, -1, np.int64)
    start[kid.index("B")] = ids.index("P1")
    got = neighbourhood.improve(prob, params, child, place, cost, start, Deadline.from_now(60))
    assert _named(prob, got.where) == {"A": "P1", "B": "P2"}
    assert got.improved == 1


def test_the_search_runs_only_on_large_full_models_with_highspy() -> None:
    """Below :data:`~.neighbourhood.SEARCH_FROM_PAIRS` the full model proves crowded
    instances itself (80 x 250) and the search would only take its time; a backend that
    takes no start, or builds its model term by term, does not run it."""
    big = neighbourhood.SEARCH_FROM_PAIRS
    assert neighbourhood.worthwhile("highspy", big)
    assert not neighbourhood.worthwhile("highspy", big - 1)
    assert not neighbourhood.worthwhile("cbc", big)


def test_solve_runs_the_search_before_the_full_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the full model is large enough (here the threshold lowered to every size),
    the search runs between column generation and the full model (its stage timed), and
    the run still ends proven optimal at the compact model's optimum, breaking no rule."""
    refs, plcs = generate_crowded(24, 60, seed=3)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams(time_limit_seconds=30)
    best = solve(prob, params, prune=False)
    monkeypatch.setattr(neighbourhood, "SEARCH_FROM_PAIRS", 0)
    got = solve(prob, params)
    assert got.method == solver_module.PATTERNS_THEN_FULL
    assert "neighbourhood_search" in got.stage_seconds
    assert got.status.value == "optimal", got.message
    assert got.objective_gbp == pytest.approx(best.objective_gbp, rel=params.mip_gap)
    plan = {
        str(r.child_id): (None if pd.isna(r.placement_id) else str(r.placement_id))
        for r in got.plan.itertuples()
    }
    assert plan_violations(refs, plcs, plan, RUN_DATE) == []
