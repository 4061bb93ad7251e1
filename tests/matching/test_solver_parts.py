"""The solver's parts: the method chosen explicitly, the deadline passed down, the LP
master behind the backend interface (warm where the backend can, afresh otherwise) and
the one status type shared with commissioning."""

from __future__ import annotations

import time

import numpy as np
import pytest
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)

from sufficiency.commissioning import backends as commissioning_backends
from sufficiency.config import MatchingParams
from sufficiency.matching import backends, build_problem, generate_candidates, solve
from sufficiency.matching.backends import Feature
from sufficiency.matching.column_generation import solve_patterns
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.master import ColdMaster, WarmMaster, pricing_lp
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.solver import METHODS, PATTERNS, PATTERNS_THEN_FULL
from sufficiency.matching.stop import MIN_SOLVER_SECONDS, Deadline
from sufficiency.solver_status import MipOutcome, SolveStatus

SPOTS = list(POSTCODES.values())


def _instance(num_placements: int = 40) -> MatchProblem:
    """Singles and two sibling groups over placements of different costs and sizes."""
    kids = [referral(f"C{i}", age=3 + i % 12, home_postcode=SPOTS[i % len(SPOTS)])
            for i in range(10)]  # fmt: skip
    kids += [referral("S1", sibling_group="G", age=7), referral("S2", sibling_group="G", age=9)]
    kids += [referral("T1", sibling_group="H", age=4), referral("T2", sibling_group="H", age=6),
             referral("T3", sibling_group="H", age=11)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 3,
                  weekly_cost=500.0 + 37 * (j % 11) + 0.5 * j)
        for j in range(num_placements)
    ])  # fmt: skip
    return build_problem(referrals_frame(kids), plcs, RUN_DATE)


def test_the_method_is_chosen_explicitly() -> None:
    """Each method can be asked for by name; ``auto`` picks the compact model with few
    pairs per child and column generation with many, and every method reaches the same
    optimum."""
    assert solve(_instance(), MatchingParams()).method in (PATTERNS, PATTERNS_THEN_FULL)
    prob, params = _instance(8), MatchingParams()
    assert METHODS == ("auto", "compact", "column_generation")
    auto = solve(prob, params)
    compact = solve(prob, params, method="compact")
    priced = solve(prob, params, method="column_generation")
    assert auto.method == compact.method == "compact model"
    assert priced.method in (PATTERNS, PATTERNS_THEN_FULL)
    for got in (auto, compact, priced):
        assert got.status is SolveStatus.OPTIMAL, got.message
        assert got.objective_gbp == pytest.approx(compact.objective_gbp, abs=1e-6)


def test_an_unknown_or_impossible_method_is_refused() -> None:
    prob, params = _instance(), MatchingParams()
    with pytest.raises(ValueError, match="Unknown method"):
        solve(prob, params, method="simplex")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Column generation needs pruning"):
        solve(prob, params, prune=False, method="column_generation")


def test_deadline_shares_reproduce_the_old_clock() -> None:
    """A share of the whole keeps the start; a share of the rest starts now; a solver is
    always given a moment; a span that has gone is expired."""
    start = time.perf_counter()
    whole = Deadline(start, 100.0)
    half = whole.share(0.5)
    assert (half.start, half.seconds) == (start, 50.0)
    assert not half.expired() and half.remaining() <= 50.0
    rest = whole.share_of_rest(0.5)
    assert rest.start >= start and rest.seconds <= 50.0
    assert rest.seconds > 49.0
    gone = Deadline(start - 10.0, 5.0)
    assert gone.expired() and gone.remaining() == 0.0
    assert gone.solver_seconds() == MIN_SOLVER_SECONDS
    assert gone.share_of_rest(0.5).seconds == 0.0
    assert Deadline.from_now(-1.0).seconds == 0.0


def test_an_expired_deadline_still_returns_a_legal_plan() -> None:
    """Column generation handed a deadline already gone stops pricing after one round,
    yet the MIP gets its moment and the plan it returns breaks no rule."""
    prob, params = _instance(), MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    gone = Deadline(time.perf_counter() - 10.0, 1.0)
    out = solve_patterns(prob, params, cands.child, cands.place, cost, gone)
    assert out.rounds == 1
    assert out.where is not None
    placed = out.where[out.where >= 0]
    assert (np.bincount(placed, minlength=prob.num_placements) <= prob.place_capacity).all()


def test_backends_declare_their_features() -> None:
    """Only ``highspy`` keeps a warm LP master; every backend solves MIPs and gives duals."""
    for name in backends.available_backends():
        have = backends.features(name)
        assert {Feature.MIP, Feature.LP_DUALS} <= have
        assert (Feature.WARM_LP in have) == (name == "highspy")
    prob = _instance()
    singles = np.nonzero(prob.child_group < 0)[0]
    unit = np.full(prob.num_children, -1, np.int64)
    unit[singles] = np.arange(len(singles))
    unplaced = np.ones(prob.num_children)
    assert isinstance(pricing_lp("highspy", prob, singles, unit, unplaced), WarmMaster)
    assert isinstance(pricing_lp("highspy", prob, singles, unit, unplaced, warm=False), ColdMaster)
    if "cbc" in backends.available_backends():
        assert backends.master_lp("cbc", 3, np.ones(2)) is None
        assert isinstance(pricing_lp("cbc", prob, singles, unit, unplaced), ColdMaster)


def test_lp_solved_afresh_each_round_gives_what_the_warm_master_gives() -> None:
    """Column generation with its LP re-solved from scratch every round (the fallback for a
    backend without a warm master) proposes the same plan, with the same objective and
    bound, as with the warm master."""
    prob, params = _instance(), MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    stop = Deadline.from_now(60.0)
    warm = solve_patterns(prob, params, cands.child, cands.place, cost, stop, warm=True)
    cold = solve_patterns(prob, params, cands.child, cands.place, cost, stop, warm=False)
    assert warm.where is not None and cold.where is not None
    assert warm.mip.objective is not None and cold.mip.objective is not None
    assert cold.mip.objective == pytest.approx(warm.mip.objective, abs=1e-6)
    assert cold.bound == pytest.approx(warm.bound, abs=1e-6)
    assert cold.where.tolist() == warm.where.tolist()
    assert warm.priced_out and cold.priced_out


@pytest.mark.skipif("highs" not in backends.available_backends(), reason="PuLP/HiGHS missing")
def test_a_backend_without_a_warm_master_reaches_the_same_plan() -> None:
    """Through :func:`solve`, the ``highs`` backend (no warm master) and ``highspy`` (warm)
    both prove the same optimum by column generation (their MIP engines may break ties
    between equally good plans differently: the plan itself is compared above)."""
    prob = _instance()
    warm = solve(prob, MatchingParams(solver="highspy"), method="column_generation")
    cold = solve(prob, MatchingParams(solver="highs"), method="column_generation")
    assert warm.status is cold.status is SolveStatus.OPTIMAL
    assert cold.objective_gbp == pytest.approx(warm.objective_gbp, abs=1e-6)
    assert cold.method in (PATTERNS, PATTERNS_THEN_FULL)


def test_one_status_type_for_matching_and_commissioning() -> None:
    """Both packages use the bottom module's status and outcome, ``unknown`` the fallback."""
    assert backends.SolveStatus is SolveStatus is commissioning_backends.SolveStatus
    assert backends.MipOutcome is MipOutcome is commissioning_backends.MipOutcome
    assert SolveStatus.parse("time_limit") is SolveStatus.TIME_LIMIT
    assert SolveStatus.parse("aborted by the user") is SolveStatus.UNKNOWN
    assert [s.value for s in SolveStatus] == [
        "optimal", "feasible", "infeasible", "time_limit", "unknown"
    ]  # fmt: skip


def test_the_proof_counts_each_new_pattern_once_against_the_column_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From a pool of one pair per child and pricing stopped after one round (a
    transportation hint), the proof lists thousands of sibling patterns to prove the
    plan. With the column limit set to the pool it ends with, the same plan is proven:
    each new pattern is one column (the count took each twice, so the proof gave up
    with 'too many columns' at half the limit)."""
    from sufficiency.matching import column_generation

    monkeypatch.setattr(column_generation, "START_PER_CHILD", 1)
    prob, params = _instance(20), MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    hint = np.full(prob.num_children, -1)
    free = solve_patterns(prob, params, cands.child, cands.place, cost, Deadline.from_now(60.0),
                          hint=hint)  # fmt: skip
    assert free.settled == "" and free.columns > 1_000
    tight = solve_patterns(prob, params, cands.child, cands.place, cost, Deadline.from_now(60.0),
                           hint=hint, max_columns=free.columns)  # fmt: skip
    assert tight.settled == "" and tight.columns == free.columns
    assert tight.mip.objective == pytest.approx(free.mip.objective)
