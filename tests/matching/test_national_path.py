"""The national path's speed-ups give the same answers: the greedy baseline's look-ahead,
the who-lives-alongside test it uses, every conflict row at once in the pool's MIP, a
late plan made legal, and the time left for the outputs; and the stage timings."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from reference import id_plan, plan_violations

from sufficiency.config import MatchingParams
from sufficiency.matching import build_problem, column_generation, greedy, solver
from sufficiency.matching.candidates import generate_candidates
from sufficiency.matching.column_generation import made_legal
from sufficiency.matching.costs import pair_cost, unplaced_cost
from sufficiency.matching.master import repair
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.rules import children_conflict

SPOTS = list(POSTCODES.values())
ALONGSIDE = ("solo", "only_older", "only_younger", "no_preference", "no_preference")


@st.composite
def crowded(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random instance of up to 10 children (siblings, alongside needs, harm risks)
    against up to 14 homes of one to three places."""
    n_c, n_p = draw(st.integers(1, 10)), draw(st.integers(1, 14))
    kids = [
        referral(
            f"C{i}", age=draw(st.integers(4, 17)), sex=draw(st.sampled_from(["M", "F"])),
            home_postcode=draw(st.sampled_from([*SPOTS, None])),
            sibling_group=draw(st.sampled_from([None, None, "G1", "G2"])),
            needed_by=draw(st.sampled_from(["today", "<5 days", ">5 days"])),
            alongside=draw(st.sampled_from(ALONGSIDE)),
            risks=tuple(sorted(draw(st.sets(st.sampled_from(["harm_sexual", "harm_physical"]),
                                            max_size=1)))),
        )
        for i in range(n_c)
    ]  # fmt: skip
    homes = []
    for j in range(n_p):
        current = draw(st.integers(0, 2))
        homes.append(placement(
            f"P{j:02d}", postcode=draw(st.sampled_from(SPOTS)),
            setting=draw(st.sampled_from(["foster", "foster", "residential"])),
            vacancies=draw(st.integers(0, 3)), weekly_cost=float(draw(st.integers(8, 30)) * 50),
            provider=draw(st.sampled_from(["in_house", "ifa"])), current_children=current,
            current_ages=tuple(draw(st.integers(2, 17)) for _ in range(current)),
        ))  # fmt: skip
    return referrals_frame(kids), placements_frame(homes)


@settings(max_examples=40, deadline=None)
@given(crowded(), st.integers(1, 3), st.integers(1, 4), st.booleans())
def test_greedy_look_ahead_gives_the_plan_of_every_pair(case, block_children, block_places,
                                                       together) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """The greedy baseline over the register, looking ahead a block of children against
    the first placements with room (blocks made tiny so that children run past them),
    places every child where the greedy baseline over every rule-abiding pair does, and
    breaks no rule."""
    refs, plcs = case
    params = MatchingParams(siblings="together" if together else "prefer")
    prob = build_problem(refs, plcs, RUN_DATE)
    every_pair = greedy.greedy_plan(prob, params, generate_candidates(prob))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(greedy, "_BLOCK_CHILDREN", block_children)
        mp.setattr(greedy, "_BLOCK_PLACEMENTS", block_places)
        mp.setattr(greedy, "_FIRST_CHUNK", 1)
        looked_ahead = greedy.greedy_plan(prob, params)
    assert looked_ahead.tolist() == every_pair.tolist()
    assert greedy.greedy_plan(prob, params).tolist() == every_pair.tolist()
    plan = id_plan(prob, looked_ahead)
    assert plan_violations(refs, plcs, plan, RUN_DATE, siblings_together=together) == []


@settings(max_examples=40, deadline=None)
@given(crowded(), st.integers(0, 4))
def test_one_pair_conflict_test_agrees_with_the_rule(case, years: int) -> None:  # type: ignore[no-untyped-def]
    """The greedy baseline's test of two children (plain values) agrees with
    :func:`children_conflict` (arrays) on every pair, siblings included."""
    refs, plcs = case
    prob = build_problem(refs, plcs, RUN_DATE, MatchingParams(harm_physical_years_younger=years))
    n = prob.num_children
    a, b = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    conflict = greedy._Conflict(prob)
    assert [conflict(int(i), int(j)) for i, j in zip(a, b, strict=True)] == (
        children_conflict(prob, a, b).tolist()
    )


def _by_distance_instance() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Children with siblings and who-lives-alongside needs around two homes' postcodes."""
    rng = np.random.default_rng(3)
    kids = [referral(f"C{i:02d}", age=int(rng.integers(4, 17)),
                     sibling_group=f"G{i // 2}" if i < 6 else None,
                     home_postcode=None if i == 9 else SPOTS[int(rng.integers(0, 2))],
                     alongside=ALONGSIDE[i % len(ALONGSIDE)],
                     risks=("harm_physical",) if i in (10, 13) else ())
            for i in range(16)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 3,
                  weekly_cost=float(450 + 45 * (j % 7)))
        for j in range(24)
    ])  # fmt: skip
    return referrals_frame(kids), plcs


def test_every_conflict_row_at_once_reaches_the_optimum_in_fewer_mips() -> None:
    """Nationally (pairs by distance, not started from the transportation plan) the pool's
    MIP takes every who-lives-alongside row its columns could need at once: the same
    proven optimum as the compact model over every pair, breaking no rule, in no more MIP
    rounds than adding rows as plans break them."""
    refs, plcs = _by_distance_instance()
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    best = solver.solve(prob, params, prune=False).objective_gbp
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solver, "SEED_BELOW_PLACES_PER_CHILD", 0.0)  # never seeded
        eager = solver.solve(prob, params, spatial_above_pairs=0)
        mp.setattr(column_generation, "MAX_CONFLICT_ROWS", 0)  # rows as plans break them
        lazy = solver.solve(prob, params, spatial_above_pairs=0)
    for got in (eager, lazy):
        assert got.method == "column generation over pairs by distance"
        assert got.status.value == "optimal", got.message
        assert got.objective_gbp == pytest.approx(best, rel=params.mip_gap, abs=1e-6)
        plan = {str(r.child_id): None if pd.isna(r.placement_id) else str(r.placement_id)
                for r in got.plan.itertuples()}  # fmt: skip
        assert plan_violations(refs, plcs, plan, RUN_DATE) == []
    assert len(eager.stage_seconds["mip_rounds"]) <= len(lazy.stage_seconds["mip_rounds"])  # type: ignore[arg-type]


def test_a_late_plan_breaking_alongside_rules_is_made_legal_by_moving_children() -> None:
    """Out of time with the MIP's plan putting together children who may not live
    together, the children are moved where they may live (none left unplaced here), which
    costs less than leaving them unplaced, and the plan breaks no rule."""
    refs = referrals_frame([
        referral("SOLO", alongside="solo", needed_by=">5 days"),
        referral("OTHER", age=8),
        referral("FINE", age=12, home_postcode=POSTCODES["malvern"]),
    ])  # fmt: skip
    plcs = placements_frame([placement("BIG", vacancies=3), placement("ONE"),
                             placement("SPARE", weekly_cost=1400.0)])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    ids = prob.placements["placement_id"].astype(str).tolist()
    kids = prob.referrals["child_id"].astype(str).tolist()
    want = {"SOLO": "BIG", "OTHER": "BIG", "FINE": "ONE"}
    together = np.array([ids.index(want[k]) for k in kids])
    unplaced = unplaced_cost(prob, params.weights)
    fixed, objective, how = made_legal(prob, params, together, cands.child, cands.place, cost,
                                       unplaced)  # fmt: skip
    assert how == "moved where they may live"
    assert (fixed >= 0).all()
    assert fixed[kids.index("SOLO")] == ids.index("SPARE")
    assert objective == pytest.approx(plan_objective(evaluate_plan(prob, fixed, params.weights)))
    dropped = plan_objective(evaluate_plan(prob, repair(prob, together, unplaced), params.weights))
    assert objective < dropped
    assert plan_violations(refs, plcs, id_plan(prob, fixed), RUN_DATE) == []


def test_the_solver_leaves_the_outputs_time_by_the_number_of_children() -> None:
    """The share of the limit left after the solver grows with the children where a tenth
    of the limit would not cover their explanations and outputs, up to a cap."""
    refs = referrals_frame([referral(f"C{i}") for i in range(100)])
    prob = build_problem(refs, placements_frame([placement("P")]), RUN_DATE)
    roomy = MatchingParams(time_limit_seconds=600)
    tight = MatchingParams(time_limit_seconds=1)
    middle = MatchingParams(time_limit_seconds=2.5)
    assert solver.output_share(prob, roomy, solver.OUTPUT_SHARE) == solver.OUTPUT_SHARE
    assert solver.output_share(prob, tight, solver.OUTPUT_SHARE) == solver.MAX_OUTPUT_SHARE
    share = solver.output_share(prob, middle, solver.OUTPUT_SHARE)
    assert share == pytest.approx(100 * solver.OUTPUT_SECONDS_PER_CHILD / 2.5)
    assert solver.OUTPUT_SHARE < share < solver.MAX_OUTPUT_SHARE


def test_the_summary_says_where_the_time_went() -> None:
    """``stage_seconds`` names each stage of the run, with the MIP rounds one by one, and
    the stages (less those counted within others) add up to no more than the run."""
    refs, plcs = _by_distance_instance()
    from sufficiency.config import Params
    from sufficiency.matching import run_matching

    t0 = time.perf_counter()
    run = run_matching(refs, plcs, RUN_DATE, Params(), started=t0)
    wall = time.perf_counter() - t0
    stages = run.summary.stage_seconds
    for stage in ("reading", "problem", "candidates", "greedy_baseline", "costs",
                  "explanations"):  # fmt: skip
        assert stage in stages and stages[stage] >= 0  # type: ignore[operator]
    rounds = stages["mip_rounds"]
    # a tuple: a result's lists are frozen (a list once written to summary.json)
    assert isinstance(rounds, tuple) and rounds and min(rounds) >= 0
    within = ("pricing_lp",)  # counted within pricing
    total = sum(v for k, v in stages.items() if not isinstance(v, tuple) and k not in within)
    assert total + sum(rounds) <= wall + 0.05
    assert run.summary.to_dict()["stage_seconds"] == dict(stages)


def test_a_child_who_turns_16_in_time_reaches_supported_accommodation_beyond_the_radius() -> None:
    """Supported accommodation takes a child of 16 on the day it opens (rule 3): a
    15-year-old who turns 16 before a supported home 23 miles away opens (their only
    lawful home, beyond the first 20-mile radius) is placed there on the national path,
    as over every pair. The bound on pairs beyond the radius read the age on the run
    date, so it had no home beyond the radius for the child, and the plan left them
    unplaced and was called optimal."""
    turns_16 = pd.Timestamp(RUN_DATE.year - 16, RUN_DATE.month, RUN_DATE.day) + pd.Timedelta(
        days=10
    )
    kids = [
        referral("C1", needed_by=">5 days", foster_suitability="unsuitable",
                 residential_suitability="unsuitable", supported_suitability="preferred"),
        referral("C2"),
    ]  # fmt: skip
    kids[0]["dob"] = turns_16
    opens = pd.Timestamp(RUN_DATE) + pd.Timedelta(days=20)
    homes = [
        placement("S1", setting="supported", provider="external", age_min=16, age_max=17,
                  postcode=POSTCODES["birmingham"], weekly_cost=1500.0, available_from=opens),
        # places near home (none for C1), so the children are not from one crowded area
        *(placement(f"F{j}", vacancies=3) for j in range(10)),
    ]  # fmt: skip
    prob = build_problem(referrals_frame(kids), placements_frame(homes), RUN_DATE)
    params = MatchingParams()
    every_pair = solver.solve(prob, params, spatial_above_pairs=10**9)
    by_distance = solver.solve(prob, params, spatial_above_pairs=0)
    assert by_distance.method == solver.PATTERNS_BY_DISTANCE
    s1 = list(prob.placements["placement_id"]).index("S1")
    c1 = list(prob.referrals["child_id"]).index("C1")
    assert every_pair.place_of_child[c1] == s1
    assert by_distance.place_of_child[c1] == s1
    assert by_distance.objective_gbp == pytest.approx(every_pair.objective_gbp)
