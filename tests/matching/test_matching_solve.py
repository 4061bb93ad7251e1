"""The optimiser against exhaustive search, every backend and the greedy baseline."""

from __future__ import annotations

import pandas as pd
import pytest
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from reference import best_by_enumeration, plan_cost, plan_violations

from sufficiency.config import MatchingParams
from sufficiency.matching import (
    SolveStatus,
    available_backends,
    build_problem,
    column_generation,
    evaluate_plan,
    generate_candidates,
    greedy_plan,
    plan_objective,
    solve,
)


def contested_instance() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four children competing for four placements: siblings, a solo child, a KS4 pupil,
    an out-of-area option and a roomy foster home, so every term and conflict matters."""
    refs = referrals_frame([
        referral("C1", sibling_group="G1", age=9),
        referral("C2", sibling_group="G1", age=7),
        referral("C3", alongside="solo", age=14, school_postcode=POSTCODES["malvern"],
                 school_year=10),
        referral("C4", age=6, needed_by="<5 days", residential_suitability="preferred"),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P1", vacancies=3, weekly_cost=650.0),
        placement("P2", postcode=POSTCODES["birmingham"], provider="ifa", weekly_cost=850.0),
        placement("P3", setting="residential", weekly_cost=5200.0, vacancies=2,
                  postcode=POSTCODES["bromsgrove"]),
        placement("P4", postcode=POSTCODES["evesham"], weekly_cost=580.0),
    ])  # fmt: skip
    return refs, plcs


def _plan(prob, result) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {
        str(r.child_id): (None if pd.isna(r.placement_id) else str(r.placement_id))
        for r in result.plan.itertuples()
    }


def test_matches_exhaustive_search() -> None:
    """On a contested tiny instance the optimiser's objective equals the enumerated optimum."""
    refs, plcs = contested_instance()
    params = MatchingParams()
    result = solve(build_problem(refs, plcs, RUN_DATE), params)
    best = best_by_enumeration(refs, plcs, RUN_DATE, params.weights)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective_gbp == pytest.approx(best, abs=1e-6)


def test_siblings_together_matches_exhaustive_search() -> None:
    """With siblings = together the optimum over plans that keep groups whole is found."""
    refs, plcs = contested_instance()
    plcs.loc[plcs["placement_id"] == "P1", "vacancies"] = 1
    params = MatchingParams(siblings="together")
    prob = build_problem(refs, plcs, RUN_DATE)
    result = solve(prob, params)
    best = best_by_enumeration(refs, plcs, RUN_DATE, params.weights, siblings_together=True)
    assert result.objective_gbp == pytest.approx(best, abs=1e-6)
    assert not plan_violations(refs, plcs, _plan(prob, result), RUN_DATE, siblings_together=True)


@pytest.mark.parametrize("backend", available_backends())
def test_every_backend_reaches_the_same_optimum(backend: str) -> None:
    """Each installed backend proves the same optimal objective on the contested instance."""
    refs, plcs = contested_instance()
    prob = build_problem(refs, plcs, RUN_DATE)
    expected = solve(prob, MatchingParams(solver="highs")).objective_gbp
    result = solve(prob, MatchingParams(solver=backend))
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective_gbp == pytest.approx(expected, abs=1e-6)


def test_fostering_exemption_lets_four_siblings_share() -> None:
    """Four siblings may share an empty foster home with four vacancies; four strangers may not."""
    siblings = [referral(f"C{i}", sibling_group="G", age=4 + i) for i in range(4)]
    plcs = placements_frame([placement("P1", vacancies=4)])
    together = solve(build_problem(referrals_frame(siblings), plcs, RUN_DATE), MatchingParams())
    assert together.plan["placement_id"].notna().all()
    strangers = [referral(f"C{i}", age=4 + i) for i in range(4)]
    apart = solve(build_problem(referrals_frame(strangers), plcs, RUN_DATE), MatchingParams())
    assert int(apart.plan["placement_id"].notna().sum()) == 3


def test_greedy_is_never_better() -> None:
    """The greedy baseline's objective is at least the optimiser's on the contested instance."""
    refs, plcs = contested_instance()
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    opt = solve(prob, params)
    greedy = plan_objective(evaluate_plan(prob, greedy_plan(prob, params), params.weights))
    assert greedy >= opt.objective_gbp - 1e-6


def test_reported_terms_sum_to_reference_cost() -> None:
    """The plan's term columns sum to the objective the reference recomputes from inputs."""
    refs, plcs = contested_instance()
    params = MatchingParams()
    prob = build_problem(refs, plcs, RUN_DATE)
    result = solve(prob, params)
    assert result.objective_gbp == pytest.approx(
        plan_cost(refs, plcs, _plan(prob, result), params.weights), abs=1e-6
    )


def test_pruned_and_full_models_agree() -> None:
    """Solving over a pruned candidate set gives the same objective as the full set."""
    refs = referrals_frame([referral(f"C{i}", age=3 + i % 12) for i in range(6)])
    spots = list(POSTCODES.values())
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=spots[j % len(spots)], weekly_cost=500.0 + 37 * (j % 11))
        for j in range(120)
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    pruned = solve(prob, MatchingParams(), prune=True)
    full = solve(prob, MatchingParams(), prune=False)
    assert pruned.num_pairs_in_model < full.num_pairs_in_model
    assert pruned.objective_gbp == pytest.approx(full.objective_gbp, abs=1e-6)
    assert pruned.status is SolveStatus.OPTIMAL


def test_candidates_pruned_while_generated_keep_greedy_and_optimum() -> None:
    """Dropping dominated pairs block by block changes neither the greedy plan nor the optimum."""
    kids = [referral(f"C{i}", age=3 + i % 12) for i in range(5)]
    kids += [referral("S1", sibling_group="G", age=7), referral("S2", sibling_group="G", age=9)]
    kids += [referral("Z1", age=12, alongside="solo")]
    refs = referrals_frame(kids)
    spots = list(POSTCODES.values())
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=spots[j % len(spots)], weekly_cost=500.0 + 37 * (j % 11),
                  vacancies=1 + j % 2, provider="in_house" if j % 5 == 0 else "ifa")
        for j in range(150)
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    full = generate_candidates(prob)
    lean = generate_candidates(prob, params)
    assert lean.num_pairs < full.num_pairs
    assert (lean.num_suitable == full.num_suitable).all()
    assert (greedy_plan(prob, params, lean) == greedy_plan(prob, params, full)).all()
    best = solve(prob, params, prune=False)
    assert solve(prob, params).objective_gbp == pytest.approx(best.objective_gbp, abs=1e-6)


def test_bound_from_pricing_cut_short_is_still_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """When pricing stops after one round, the reported bound never exceeds the true optimum,
    and the plan is only called optimal when the bound proves it."""
    kids = [referral(f"C{i}", age=3 + i % 12) for i in range(8)]
    kids += [referral("S1", sibling_group="G", age=7), referral("S2", sibling_group="G", age=9)]
    refs = referrals_frame(kids)
    spots = list(POSTCODES.values())
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=spots[j % len(spots)], weekly_cost=500.0 + 37 * (j % 11),
                  vacancies=1 + j % 2)
        for j in range(150)
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    best = solve(prob, params, prune=False)
    # stop pricing after its first round
    monkeypatch.setattr(column_generation, "PRICING_SHARE", 0.0)
    monkeypatch.setattr(column_generation, "START_PER_CHILD", 1)
    cut = solve(prob, params)
    assert cut.bound_gbp is not None
    assert cut.bound_gbp <= best.objective_gbp + 1e-6
    assert cut.objective_gbp >= best.objective_gbp - 1e-6
    if cut.status is SolveStatus.OPTIMAL:
        assert cut.objective_gbp - cut.bound_gbp <= params.mip_gap * cut.objective_gbp + 1e-6
    else:
        assert "NOT proven optimal" in cut.message
