"""Every backend on every solve path, and crowded instances that column generation alone
cannot prove: each run ends proven optimal at the optimum, with complete outputs."""

from __future__ import annotations

import functools
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from reference import best_by_enumeration, plan_cost, plan_violations

from sufficiency.config import MatchingParams, Params
from sufficiency.errors import SolverError
from sufficiency.matching import (
    Candidates,
    available_backends,
    backends,
    build_problem,
    generate_candidates,
    run_matching,
    solve,
    write_match_outputs,
)
from sufficiency.matching.costs import pair_cost, unplaced_cost
from sufficiency.matching.explain import _nearest, unplaced_table
from sufficiency.matching.formulation import build_model, conflict_cliques, conflict_pairs
from sufficiency.matching.master import repair
from sufficiency.matching.rules import children_conflict

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks" / "matching"))
from generate import generate_crowded

SPOTS = list(POSTCODES.values())
BACKENDS = available_backends()


@functools.cache
def _crowded(num_children: int, num_placements: int, seed: int) -> tuple:
    return generate_crowded(num_children, num_placements, seed=seed)


def _plan(result) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {
        str(r.child_id): (None if pd.isna(r.placement_id) else str(r.placement_id))
        for r in result.plan.itertuples()
    }


def _shared_instance() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sibling groups of three, alongside needs and homes of one to three vacancies, with
    many options per child: the pattern master's path (more than 12 pairs per child)."""
    rng = np.random.default_rng(7)
    needs = ["no_preference", "no_preference", "solo", "only_older", "only_younger"]
    kids = [
        referral(f"C{i:02d}", age=int(rng.integers(4, 17)),
                 sibling_group=f"G{i // 3}" if i < 12 else None,
                 alongside=needs[int(rng.integers(0, len(needs)))],
                 home_postcode=SPOTS[int(rng.integers(0, 3))])
        for i in range(24)
    ]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 3,
                  weekly_cost=float(500 + 35 * (j % 13)))
        for j in range(40)
    ])  # fmt: skip
    return referrals_frame(kids), plcs


@pytest.fixture(scope="module")
def shared() -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The shared instance and its optimum, from the compact model over every pair."""
    refs, plcs = _shared_instance()
    best = solve(build_problem(refs, plcs, RUN_DATE), MatchingParams(), prune=False)
    assert best.status.value == "optimal" and best.method == "compact model"
    return refs, plcs, best.objective_gbp


def test_highs_restart_bug_does_not_cost_the_optimum(shared) -> None:  # type: ignore[no-untyped-def]
    """HiGHS 1.16 called a worse plan optimal on the shared instance's pruned compact model
    after restarting its search (14,731 against 14,591); with restarts off every path
    reaches the optimum."""
    refs, plcs, best = shared
    assert best == pytest.approx(14_591.0)
    prob = build_problem(refs, plcs, RUN_DATE)
    got = solve(prob, MatchingParams())
    assert got.status.value == "optimal"
    assert got.objective_gbp == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_proves_the_optimum_through_the_pattern_master(shared, backend: str) -> None:  # type: ignore[no-untyped-def]
    """Each backend goes through column generation (its LP duals priced, its MIP over the
    pool) and reaches the compact model's optimum, proven, with no rule broken."""
    refs, plcs, best = shared
    params = MatchingParams(solver=backend)
    prob = build_problem(refs, plcs, RUN_DATE)
    got = solve(prob, params)
    assert got.method.startswith("column generation")
    assert got.status.value == "optimal", got.message
    assert got.objective_gbp == pytest.approx(best, rel=params.mip_gap, abs=1e-6)
    assert got.bound_gbp is not None and got.bound_gbp <= best + 1e-6
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_proves_the_optimum_with_pairs_by_distance(backend: str) -> None:
    """With the threshold for pairs by distance lowered to nothing, each backend starts from
    the pairs within 20 miles, widens radii where a farther home could help, and reaches
    the optimum over every pair."""
    rng = np.random.default_rng(11)
    kids = [referral(f"C{i:02d}", age=int(rng.integers(4, 17)),
                     sibling_group=f"G{i // 2}" if i < 6 else None,
                     home_postcode=None if i == 9 else SPOTS[int(rng.integers(0, 2))],
                     alongside="solo" if i == 7 else "no_preference")
            for i in range(14)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 2,
                  weekly_cost=float(450 + 45 * (j % 7)))
        for j in range(24)
    ])  # fmt: skip
    refs = referrals_frame(kids)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams(solver=backend)
    best = solve(prob, MatchingParams(), prune=False).objective_gbp
    got = solve(prob, params, spatial_above_pairs=0)
    assert got.method == "column generation over pairs by distance"
    assert got.status.value == "optimal", got.message
    assert got.objective_gbp == pytest.approx(best, rel=params.mip_gap, abs=1e-6)
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []
    # the explanations are complete whatever the path
    assert len(unplaced_table(prob, got)) == int((got.place_of_child < 0).sum())


@pytest.mark.parametrize("backend", BACKENDS)
def test_lp_duals_share_one_sign_convention(backend: str) -> None:
    """Each backend's LP duals are feasible (``obj - A.T @ duals >= 0`` on every column
    with room to grow) and their value equals the LP optimum: the convention pricing
    relies on, whichever engine solved the LP."""
    refs, plcs = _crowded(16, 30, 3)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    model = build_model(prob, cands.child, cands.place, cost, params).relaxation()
    lp = backends.solve_lp(backend, model)
    y = lp.row_duals
    used = np.zeros(model.num_vars)
    np.add.at(used, model.a_col, model.a_val * y[model.a_row])
    reduced = model.obj - used
    # CBC writes its duals to about 8 significant figures
    assert reduced[model.ub > 0].min() >= -1e-7 * np.abs(model.obj).max()
    rhs = np.where(y > 0, model.row_lb, model.row_ub)
    value = float(np.sum(np.where(y == 0, 0.0, y * rhs)))
    assert value == pytest.approx(lp.objective, rel=1e-7)
    reference = backends.solve_lp("highspy", model)
    assert lp.objective == pytest.approx(reference.objective, rel=1e-7)


@pytest.mark.parametrize("seed", [3, 5])
def test_crowded_instance_is_proven_by_the_full_model(seed: int) -> None:
    """On crowded instances (few homes, sibling groups of 2-5, many children who may only
    live alone or with older or younger children) the LP without who-lives-alongside rows
    is too weak for pricing to close the gap; the full model over every candidate pair
    then proves the optimum, and the result says which method did."""
    refs, plcs = _crowded(24, 60, seed)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams(time_limit_seconds=30)
    best = solve(prob, params, prune=False)
    got = solve(prob, params)
    assert got.method == "column generation, then full model"
    assert got.status.value == "optimal", got.message
    assert got.objective_gbp == pytest.approx(best.objective_gbp, rel=params.mip_gap)
    assert got.bound_gbp is not None and got.bound_gbp <= best.objective_gbp + 1e-6
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []


@st.composite
def crowded(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """A tiny crowded instance: most children siblings, alongside needs and risks, homes
    with one to three vacancies and current children of known ages."""
    n_c = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=n_c))
    group = [g for g, k in enumerate(sizes) for _ in range(k)][:n_c]
    group += [-1] * (n_c - len(group))
    kids = [
        referral(
            f"C{i}",
            age=draw(st.integers(4, 17)),
            sex=draw(st.sampled_from(["M", "F"])),
            home_postcode=draw(st.sampled_from(SPOTS)),
            sibling_group=f"G{group[i]}" if group[i] >= 0 and sizes[group[i]] > 1 else pd.NA,
            needed_by=draw(st.sampled_from(["today", ">5 days"])),
            alongside=draw(st.sampled_from(["solo", "only_older", "only_younger",
                                            "no_preference", "with_others"])),
            risks=draw(st.sampled_from([(), (), ("harm_sexual",), ("missing",)])),
        )
        for i in range(n_c)
    ]  # fmt: skip
    n_p = draw(st.integers(1, 3))
    homes = []
    for j in range(n_p):
        current = draw(st.integers(0, 2))
        homes.append(placement(
            f"P{j}",
            setting=draw(st.sampled_from(["foster", "foster", "residential"])),
            postcode=draw(st.sampled_from(SPOTS)),
            vacancies=draw(st.integers(1, 4)),
            weekly_cost=float(draw(st.integers(8, 40)) * 50),
            current_children=current,
            current_ages=tuple(draw(st.lists(st.integers(2, 17), min_size=current,
                                             max_size=current))),
            risk_exclusions=draw(st.sampled_from([(), ("missing",)])),
        ))  # fmt: skip
    return referrals_frame(kids), placements_frame(homes), draw(st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded())
def test_crowded_runs_end_proven_optimal_at_the_exhaustive_optimum(case) -> None:  # type: ignore[no-untyped-def]
    """Whatever path a crowded instance takes (compact model, or column generation forced
    on however few pairs, with the full model to fall back on), the run ends proven
    optimal at the optimum found by trying every plan."""
    refs, plcs, together = case
    params = MatchingParams(siblings="together" if together else "prefer")
    prob = build_problem(refs, plcs, RUN_DATE)
    best = best_by_enumeration(refs, plcs, RUN_DATE, params.weights, together)
    direct = solve(prob, params)
    priced = solve(prob, params, method="column_generation")
    for got in (direct, priced):
        assert got.status.value == "optimal", got.message
        assert got.objective_gbp == pytest.approx(best, abs=1e-6)
        plan = _plan(got)
        assert plan_violations(refs, plcs, plan, RUN_DATE, siblings_together=together) == []
        assert got.objective_gbp == pytest.approx(plan_cost(refs, plcs, plan, params.weights))


def test_nearest_of_nothing_is_none_and_the_reason_still_reads() -> None:
    """A child left unplaced with suitable homes but none of their pairs held (pairs by
    distance prune them) gets a reason sentence naming the nearest lawful home on the
    register (here the only one, taken by the other child), not an error, and not "none
    could take this child" with no home named, as when it was read from the pairs held."""
    refs = referrals_frame([referral("A"), referral("B", age=12)])
    plcs = placements_frame([placement("ONLY")])
    prob = build_problem(refs, plcs, RUN_DATE)
    assert _nearest(prob, 0, np.zeros(0, np.int64)) is None
    result = solve(prob, MatchingParams())
    unplaced = int(np.nonzero(result.place_of_child < 0)[0][0])
    held = result.candidates.child != unplaced
    cands = result.candidates
    stripped = replace(
        result,
        candidates=Candidates(cands.child[held], cands.place[held], cands.excluded_counts,
                              cands.num_suitable),
    )  # fmt: skip
    table = unplaced_table(prob, stripped)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["num_suitable_placements"] == 1
    assert "1 placement meets every hard rule" in row["reason"]
    assert row["nearest_placement_id"] == "ONLY"
    assert row["nearest_breaks"] == "taken"


@pytest.mark.parametrize("path", ["compact", "patterns"])
def test_a_run_out_of_time_before_it_starts_still_writes_every_output(
    path: str, tmp_path: Path
) -> None:
    """The time limit counts from when the run started (reading included): a run whose
    limit has gone before the solver starts still proposes a plan no worse than the
    greedy baseline, says it is not proven (or proves it), and writes every output."""
    refs, plcs = _shared_instance() if path == "patterns" else _crowded(6, 5, 2)
    params = Params(matching=MatchingParams(time_limit_seconds=1.0))
    run = run_matching(refs, plcs, RUN_DATE, params, started=time.perf_counter() - 100.0)
    s = run.summary
    assert s.status.value in ("optimal", "feasible", "time_limit")
    assert s.method
    assert s.runtime_seconds >= 100.0
    assert s.objective_gbp <= s.greedy_baseline.objective_gbp + 1e-6
    written = write_match_outputs(run, tmp_path)
    names = {p.name for p in written}
    assert {"matches.csv", "unplaced.csv", "alternatives.csv", "summary.json",
            "match_report.xlsx"} <= names  # fmt: skip
    assert all(p.stat().st_size > 0 for p in written)


def test_an_unknown_backend_is_refused_up_front() -> None:
    """A backend that is not known (or not installed) is a clear SolverError before any
    work, never a traceback from deep inside a solve."""
    with pytest.raises(SolverError, match="Unknown solver"):
        backends.check("gurobi")


def test_a_plan_breaking_who_lives_alongside_rules_is_repaired_into_a_legal_one() -> None:
    """When time runs out with the MIP's plan still putting together children who may not
    live together, those it must are left unplaced (the lower penalty of each two), which
    leaves a legal plan rather than none."""
    refs = referrals_frame([
        referral("SOLO", alongside="solo", needed_by=">5 days"),
        referral("OTHER", age=8),
        referral("FINE", age=12, home_postcode=POSTCODES["malvern"]),
    ])  # fmt: skip
    plcs = placements_frame([placement("BIG", vacancies=3), placement("ONE")])
    prob = build_problem(refs, plcs, RUN_DATE)
    unplaced = unplaced_cost(prob, MatchingParams().weights)
    kids = prob.referrals["child_id"].astype(str).tolist()
    ids = prob.placements["placement_id"].astype(str).tolist()
    # SOLO and OTHER share BIG against SOLO's need
    want = {"SOLO": "BIG", "OTHER": "BIG", "FINE": "ONE"}
    together = np.array([ids.index(want[k]) for k in kids])
    fixed = repair(prob, together, unplaced)
    # SOLO is needed later: the lower penalty, so SOLO is the one left unplaced
    assert {k: int(p) for k, p in zip(kids, fixed, strict=True)} == {
        "SOLO": -1,
        "OTHER": ids.index("BIG"),
        "FINE": ids.index("ONE"),
    }
    plan = {str(c): (None if p < 0 else ids[p])
            for c, p in zip(prob.referrals["child_id"], fixed, strict=True)}  # fmt: skip
    assert plan_violations(refs, plcs, plan, RUN_DATE) == []


def test_a_plan_starts_the_full_model_only_when_it_fits_every_row() -> None:
    """The full model starts from a plan that breaks no rule (:func:`.plan_values`):
    its values are worth the plan's objective and meet every row; a plan on a pair the
    model does not hold, or putting two children together against a who-lives-alongside
    rule, is no start."""
    from sufficiency.matching.formulation import plan_values
    from sufficiency.matching.greedy import greedy_plan
    from sufficiency.matching.plan import evaluate_plan, plan_objective

    refs, plcs = _crowded(80, 250, 8)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob, params)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    model = build_model(prob, cands.child, cands.place, cost, params)
    plan = greedy_plan(prob, params, cands)
    values = plan_values(prob, cands.child, cands.place, model, plan)
    assert values is not None
    objective = plan_objective(evaluate_plan(prob, plan, params.weights))
    assert float(model.obj @ values) == pytest.approx(objective, rel=1e-9)
    # a pair the model does not hold
    held = cands.child == int(np.nonzero(plan >= 0)[0][0])
    kept = ~held | (cands.place != plan[cands.child])
    less = build_model(prob, cands.child[kept], cands.place[kept], cost[kept], params)
    assert plan_values(prob, cands.child[kept], cands.place[kept], less, plan) is None
    # two children who may not live together, at one placement of two or more places
    ka, kb = conflict_pairs(prob, cands.child, cands.place)
    clash = np.full(prob.num_children, -1, np.int64)
    clash[cands.child[ka[0]]] = clash[cands.child[kb[0]]] = cands.place[ka[0]]
    assert plan_values(prob, cands.child, cands.place, model, clash) is None


def test_who_lives_alongside_rows_are_cliques_covering_every_conflict_exactly() -> None:
    """The full model's who-lives-alongside rows are cliques (children at one placement
    any two of whom may not live together), and every two children who may not share a
    placement are in one: the plans allowed are exactly those of one row per pair, in
    far fewer rows (the pairwise rows made presolve and the root LP of a crowded
    200 x 500 model slow: docs/matching.md, known limits of the fallback)."""
    refs, plcs = _crowded(80, 250, 8)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob, params)
    child, place = cands.child, cands.place
    ka, kb = conflict_pairs(prob, child, place)
    row, k = conflict_cliques(place, ka, kb)
    assert (np.bincount(row) >= 2).all()
    members = pd.DataFrame({"row": row, "k": k})
    two = members.merge(members, on="row")
    two = two[two["k_x"] < two["k_y"]]
    a, b = two["k_x"].to_numpy(), two["k_y"].to_numpy()
    assert (place[a] == place[b]).all()
    assert children_conflict(prob, child[a], child[b]).all()
    together = {(int(x), int(y)) for x, y in zip(a, b, strict=True)}
    assert together == {(int(x), int(y)) for x, y in zip(ka, kb, strict=True)}
    assert 5 * (row.max() + 1) < len(ka)  # 3,173 cliques for 27,772 pairs
    again = conflict_cliques(place, ka, kb)
    assert np.array_equal(again[0], row) and np.array_equal(again[1], k)
    cost = pair_cost(prob, child, place, params.weights)
    free = build_model(prob, child, place, cost, params, conflicts=False)
    assert build_model(prob, child, place, cost, params).num_rows == free.num_rows + row.max() + 1


def test_the_full_model_starts_from_the_plan_it_is_given() -> None:
    """On a crowded instance the full model's own search finds no plan near column
    generation's in minutes (200 x 500, seed 21: 2.47 million after 120 s, against 1.29
    million), so it starts from the best plan so far: out of time at once, it returns
    that plan, never a worse one or none."""
    from sufficiency.matching.greedy import greedy_plan
    from sufficiency.matching.solver import _full_model
    from sufficiency.matching.stop import Deadline
    from sufficiency.matching.transport import legal_plan

    refs, plcs = _crowded(200, 500, 23)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob, params)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    start = legal_plan(prob, params, greedy_plan(prob, params, cands), cands.child,
                       cands.place, cost)  # fmt: skip
    begin = plan_cost(refs, plcs, _named(prob, start), params.weights)
    _, where, _ = _full_model(prob, params, cands.child, cands.place, cost,
                              Deadline.from_now(0.0), start)  # fmt: skip
    assert where is not None
    assert plan_cost(refs, plcs, _named(prob, where), params.weights) <= begin + 1e-6
    assert plan_violations(refs, plcs, _named(prob, where), RUN_DATE) == []


def _named(prob, where: np.ndarray) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    ids = prob.referrals["child_id"].astype(str).tolist()
    homes = prob.placements["placement_id"].astype(str).tolist()
    return {c: (homes[p] if p >= 0 else None) for c, p in zip(ids, where.tolist(), strict=True)}


def test_no_child_is_left_unplaced_where_a_home_has_room_for_them() -> None:
    """Column generation gives way to the full model on a crowded instance with the plan
    of its first MIP, over the columns priced near zero only, and the full model's own
    search improves on it only after minutes. That plan left children unplaced (at the
    unplaced penalty) where a home had room and nobody there they may not live with
    (200 x 500, seed 23: 4 of 6, priority score 841,368); the plan proposed is polished
    first, so no child without referred siblings is left so."""
    refs, plcs = _crowded(200, 500, 23)
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams(time_limit_seconds=15)
    got = solve(prob, params)
    assert got.method == "column generation, then full model"
    where = got.place_of_child
    used = np.bincount(where[where >= 0], minlength=prob.num_placements)
    cands = got.candidates
    for c in np.nonzero((where < 0) & (prob.child_group < 0))[0]:
        for p in cands.place[cands.child == c]:
            there = np.nonzero(where == p)[0]
            fits = used[p] < prob.place_capacity[p]
            clash = children_conflict(prob, np.full(len(there), c), there).any()
            assert not fits or clash, f"child {c} fits at placement {p}"
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []
