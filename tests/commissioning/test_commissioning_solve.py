"""The SAA MIP: exact on an enumerable case, equal to path averaging, solver-agnostic."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from sufficiency.commissioning.backends import SolveStatus, available_backends
from sufficiency.commissioning.decisions import economics
from sufficiency.commissioning.evaluate import evaluate_plan
from sufficiency.commissioning.solve import Plan, optimise, setup, status_quo_plan
from sufficiency.prices import PriceRise

from .conftest import START


def _feasible_plans(decisions, levers):
    """Every integer commitment vector the levers allow (brute force)."""
    kinds = [d.kind for d in decisions]
    cap = levers.recruit[0].max_households_per_year
    extra = levers.fee_uplift.extra_households_per_year
    block = levers.block[0]
    for uplift in (0, 1):
        choices = []
        for d in decisions:
            if d.kind == "recruit":
                choices.append(range(cap + extra * uplift + 1))
            elif d.kind == "block":
                choices.append([0, *range(block.min_places, block.max_places + 1)])
            elif d.kind == "home":
                choices.append(range(levers.home.max_homes + 1))
            else:
                choices.append([uplift])
        for values in itertools.product(*choices):
            v = np.array(values)
            homes = sum(x for x, k in zip(v, kinds, strict=True) if k == "home")
            blocks = [x for x, k in zip(v, kinds, strict=True) if k == "block"]
            if homes <= levers.home.max_homes and sum(blocks) <= block.max_places:
                yield v


def test_small_case_matches_enumeration(tiny_demand, tiny_levers, tiny_params):
    """The MIP finds the optimum found by enumerating every integer commitment."""
    cut, decisions = setup(tiny_demand, tiny_levers, tiny_params, PriceRise(0.06))
    best = np.inf
    for v in _feasible_plans(decisions, tiny_levers):
        plan = Plan(tuple(decisions), v, SolveStatus.OPTIMAL, np.nan, "enum")
        best = min(best, evaluate_plan(plan, cut, tiny_levers).expected_cost_gbp)
    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    assert plan.status is SolveStatus.OPTIMAL
    assert plan.objective_gbp == pytest.approx(best, rel=1e-9)
    assert evaluate_plan(plan, cut, tiny_levers).expected_cost_gbp == pytest.approx(best, rel=1e-9)


def test_objective_equals_path_average(tiny_demand, tiny_levers, tiny_params):
    """The piecewise-linear expected cost equals direct averaging over the paths."""
    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    score = evaluate_plan(plan, tiny_demand, tiny_levers)
    assert plan.num_commitments > 0
    assert plan.objective_gbp == pytest.approx(score.expected_cost_gbp, rel=1e-10)


def test_status_quo_is_pure_spot(tiny_demand, tiny_levers, tiny_params):
    """The status quo commits nothing and costs every child at spot."""
    from sufficiency.commissioning.decisions import economics

    plan = status_quo_plan(tiny_demand, tiny_levers, tiny_params)
    assert plan.num_commitments == 0
    econ = economics(tiny_levers, tiny_demand.groups, tiny_demand.month_ends, PriceRise(0.06))
    direct = (tiny_demand.demand * econ.week_weight[None, :, None] * econ.spot_weekly_gbp).sum(
        axis=(1, 2)
    )
    score = evaluate_plan(plan, tiny_demand, tiny_levers)
    np.testing.assert_allclose(score.path_cost_gbp, direct, rtol=1e-12)


@pytest.mark.parametrize("solver", available_backends())
def test_backends_agree(tiny_demand, tiny_levers, tiny_params, solver):
    """Every installed backend finds the same optimal cost."""
    ref = optimise(tiny_demand, tiny_levers, tiny_params)
    other = optimise(tiny_demand, tiny_levers, tiny_params.model_copy(update={"solver": solver}))
    assert other.status is SolveStatus.OPTIMAL
    assert other.objective_gbp == pytest.approx(ref.objective_gbp, rel=1e-7)


def test_same_input_same_plan(tiny_demand, tiny_levers, tiny_params):
    """Optimising twice gives the same commitments."""
    a = optimise(tiny_demand, tiny_levers, tiny_params)
    b = optimise(tiny_demand, tiny_levers, tiny_params)
    assert (a.values == b.values).all()
    assert a.table(tiny_demand.month_ends[0]).equals(b.table(tiny_demand.month_ends[0]))


def test_central_plan_uses_one_path(tiny_demand, tiny_levers, tiny_params):
    """The central forecast is the rounded mean path and can be optimised."""
    central = tiny_demand.central()
    assert central.num_paths == 1
    plan = optimise(central, tiny_levers, tiny_params, name="central")
    assert plan.objective_gbp == pytest.approx(
        evaluate_plan(plan, central, tiny_levers).expected_cost_gbp, rel=1e-10
    )


@pytest.mark.parametrize("solver", available_backends())
def test_backends_report_infeasible(solver):
    """Every backend maps an infeasible model onto the same status, with no values."""
    from sufficiency.commissioning.backends import MipModel, solve_mip

    model = MipModel()
    x = model.add_var(0.0, 5.0, True, 1.0)
    model.add_row(np.array([x]), np.array([1.0]), ">=", 2.5)
    model.add_row(np.array([x]), np.array([1.0]), "<=", 2.2)
    out = solve_mip(model, solver, 10.0, 0.0)
    assert out.status is SolveStatus.INFEASIBLE and out.values is None


@pytest.mark.parametrize("solver", available_backends())
def test_backends_solve_integer_model(solver):
    """Every backend rounds integers and adds the constant the same way."""
    from sufficiency.commissioning.backends import MipModel, solve_mip

    model = MipModel(constant=10.0)
    x = model.add_var(0.0, None, True, 3.0)
    y = model.add_var(0.0, 4.0, False, 1.0)
    model.add_row(np.array([x, y]), np.array([2.0, 1.0]), ">=", 5.5)
    model.add_row(np.array([y]), np.array([1.0]), "==", 0.5)
    out = solve_mip(model, solver, 10.0, 0.0)
    assert out.status is SolveStatus.OPTIMAL
    np.testing.assert_allclose(out.values, [3.0, 0.5], atol=1e-7)
    assert out.objective == pytest.approx(19.5)


def test_ortools_runs_apart_from_highs():
    """Once HiGHS is loaded in this process, OR-Tools solves in a worker (and vice versa)."""
    import sys

    from sufficiency.commissioning import backends

    if not {"highs", "ortools"} <= set(available_backends()):
        pytest.skip("needs both HiGHS and OR-Tools")
    import highspy  # noqa: F401

    assert "highspy._core" in sys.modules and backends._needs_isolation("ortools")
    assert not backends._needs_isolation("cbc")


def test_plan_costs_add_up_to_its_commitments_with_the_fee_uplift(tiny_levers, tiny_params,
                                                                   tiny_demand):  # fmt: skip
    """An adopted fee uplift is paid on the households recruited under it too: plan.csv's
    costs (and the Plan by year sheet's) add up to the commitments the plan is scored on
    (they were short by the uplift on the new households)."""
    _, decisions = setup(tiny_demand, tiny_levers, tiny_params, PriceRise(0.06))
    values = np.array([{"recruit": 3, "uplift": 1}.get(d.kind, 0) for d in decisions])
    plan = Plan(tuple(decisions), values, SolveStatus.OPTIMAL, float("nan"), "test")
    score = evaluate_plan(plan, tiny_demand, tiny_levers)
    table = plan.table(START)
    assert table["cost_gbp"].sum() == pytest.approx(score.commitments_gbp, abs=0.05)
    # Independently: 10 existing and 3 + 3 recruited households at £5 a week.
    uplift = table.loc[table["lever"].str.startswith("Fee uplift"), "cost_gbp"].item()
    week_weight = economics(tiny_levers, tiny_demand.groups, tiny_demand.month_ends,
                            PriceRise(0.06)).week_weight  # fmt: skip
    recruited = sum(3 * d.households_alive for d in decisions if d.kind == "recruit")
    assert uplift == pytest.approx(5.0 * float(((10 + recruited) * week_weight).sum()), abs=0.01)


def test_yearly_costs_cost_their_yearly_figure_over_whole_years():
    """A home's running cost and a household's support cost are yearly figures: over four
    years (1,461 days, April 2026 to March 2030) at no inflation they cost four times the
    figure (they were charged as 52 weeks a year: £4,415,110 for a £1.1m-a-year home)."""
    from sufficiency.commissioning.decisions import build_decisions
    from sufficiency.commissioning.demand import GROUPS
    from sufficiency.commissioning.levers import parse_levers

    from .conftest import month_ends, tiny_levers_data

    data = tiny_levers_data()
    data["home"].update(setup_cost_gbp=0.0, lead_time_months=0, running_cost_gbp_per_year=1.1e6)
    data["recruit"][0].update(recruitment_cost_gbp=0.0, months_to_approval=0,
                              attrition_per_year=0.0)  # fmt: skip
    levers = parse_levers(data)
    econ = economics(levers, tuple(GROUPS), month_ends(48), PriceRise(0.0))
    first = {d.kind: d for d in reversed(build_decisions(levers, tuple(GROUPS), econ))}
    assert first["home"].cost_gbp == pytest.approx(4 * 1.1e6, abs=0.01)
    assert first["recruit"].cost_gbp == pytest.approx(4 * 3000.0, abs=0.01)


def test_demand_scaled_keeps_the_change_for_a_small_authority():
    """A small authority's groups hold a child or two. Rounded to the nearest child, 1 and
    2 times 0.8 or 1.2 stayed 1 and 2: its sensitivity 'demand 20% lower' moved demand by
    0% here (3% to 11% on a synthetic authority of 9 children), and the case said the plan
    'would stay the same' with the same saving at every step. Now the change is kept on
    average, whole children still, each path as smooth as it was."""
    from sufficiency.commissioning.demand import GROUPS, DemandPaths

    from .conftest import month_ends

    rng = np.random.default_rng(1)
    d = rng.integers(1, 3, size=(20000, 12, 1)).repeat(len(GROUPS), axis=2)  # 1 or 2, each month
    paths = DemandPaths(month_ends(12), tuple(GROUPS), d, np.zeros(len(GROUPS), int), 7)
    for factor in (0.8, 0.9, 1.1, 1.2):
        scaled = paths.scaled(factor).demand
        assert scaled.dtype == np.int64 and (scaled >= 0).all()
        ratio = scaled.mean(axis=(0, 1)) / d.mean(axis=(0, 1))
        assert np.allclose(ratio, factor, atol=0.015), (factor, ratio)
    assert (paths.scaled(1.0).demand == d).all()
    steady = DemandPaths(month_ends(12), tuple(GROUPS), np.full((50, 12, len(GROUPS)), 2),
                         np.zeros(len(GROUPS), int), 7)  # fmt: skip
    smooth = steady.scaled(0.8).demand
    assert (smooth == smooth[:, :1]).all()  # a steady path stays steady
    assert set(np.unique(smooth)) == {1, 2}


def _market_split(rows: int = 5, seed: int = 3):
    """A market-split model (Cornuéjols and Dawande): 0/1 ``x`` with ``A x = floor(sum A / 2)``,
    which branch and bound takes far longer than a second to find a plan for, or to refute."""
    from sufficiency.commissioning.backends import MipModel

    rng = np.random.default_rng(seed)
    a = rng.integers(0, 100, (rows, 10 * (rows - 1))).astype(float)
    model = MipModel()
    for _ in range(a.shape[1]):
        model.add_var(0.0, 1.0, True, float(rng.integers(1, 10)))
    for row in a:
        model.add_row(np.arange(a.shape[1]), row, "==", float(np.floor(row.sum() / 2)))
    return model


@pytest.mark.parametrize("solver", available_backends())
def test_a_solver_stopped_before_any_plan_hands_back_none(solver):
    """Before: stopped at its time limit before finding a plan, CBC handed back its
    relaxation's values and HiGHS zeros, and both were taken as a plan: on a synthetic
    authority CBC's 'plan' bought 15 places of a block whose minimum is 400 and HiGHS's
    said that no lever costs less than spot. Now there is no plan, and the status says why."""
    from sufficiency.commissioning.backends import solve_mip

    out = solve_mip(_market_split(), solver, 0.5, 0.0)
    assert out.status is SolveStatus.TIME_LIMIT
    assert out.values is None and out.objective is None


@pytest.mark.parametrize("solver", available_backends())
def test_backends_report_the_proven_bound(solver):
    """HiGHS and OR-Tools give their proven lower bound (with the model's constant), so a
    plan stopped at the time limit can say how far from the cheapest it may be."""
    from sufficiency.commissioning.backends import MipModel, solve_mip

    model = MipModel(constant=10.0)
    x = model.add_var(0.0, None, True, 3.0)
    model.add_row(np.array([x]), np.array([2.0]), ">=", 5.5)
    out = solve_mip(model, solver, 10.0, 0.0)
    if solver == "cbc":
        assert out.bound is None  # PuLP does not read CBC's bound
    else:
        assert out.bound == pytest.approx(19.0)


def test_a_plan_dearer_than_nothing_is_not_handed_over(tiny_demand, tiny_levers, tiny_params,
                                                       monkeypatch):  # fmt: skip
    """A solver stopped at its time limit holds whatever plan it found first: on a synthetic
    authority HiGHS stopped after 2.5 s on one of 705 commitments costing £219.6m where
    doing nothing cost £142.3m, and the plan was handed over as the recommendation. Now a
    plan the solver did not prove is kept only if it costs less than no new commitments, on
    the paths it was made on, and the plan says it was not proven."""
    from sufficiency.commissioning import solve
    from sufficiency.commissioning.backends import MipOutcome

    real = solve.solve_mip

    def stopped_on_everything(model, solver, limit, gap):
        """The real solve, then as if stopped on every whole-number choice at its largest."""
        out = real(model, solver, limit, gap)
        values = out.values.copy()
        for i, (whole, most) in enumerate(zip(model.integer, model.upper, strict=True)):
            if whole and most is not None:
                values[i] = most
        return MipOutcome(SolveStatus.TIME_LIMIT, values, 1e12, out.bound, 120.0, out.solver)

    nothing = status_quo_plan(tiny_demand, tiny_levers, tiny_params)
    nothing_cost = evaluate_plan(nothing, tiny_demand, tiny_levers).expected_cost_gbp
    everything = replace(nothing, values=np.array([d.upper for d in nothing.decisions]))
    assert evaluate_plan(everything, tiny_demand, tiny_levers).expected_cost_gbp > nothing_cost
    monkeypatch.setattr(solve, "solve_mip", stopped_on_everything)
    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    assert plan.status is SolveStatus.TIME_LIMIT and plan.kept_nothing
    assert plan.values.sum() == 0 and plan.objective_gbp == pytest.approx(nothing_cost)
    said = plan.proof()
    assert "not proven the cheapest" in said and "reached its time limit" in said
    assert "cost more than making no new commitments, so none are made" in said
    assert np.isfinite(plan.gap) and f"{plan.gap:.2%} cheaper may exist" in said


def test_an_unproven_plan_says_so_and_a_proven_one_says_nothing(tiny_demand, tiny_levers,
                                                                tiny_params):  # fmt: skip
    """The plan's sentence on how close it is proven: empty when optimal."""
    plan = optimise(tiny_demand, tiny_levers, tiny_params)
    assert plan.status is SolveStatus.OPTIMAL and plan.proof() == ""
    assert plan.gap == pytest.approx(0.0, abs=1e-9)


def _without_group(demand, group: str):
    """``demand`` with no child in ``group`` on any path, and four more in children's homes."""
    d = demand.demand.copy()
    d[:, :, demand.groups.index(group)] = 0
    d[:, :, demand.groups.index("residential")] += 4
    return replace(demand, demand=d)


def test_a_stopped_plan_drops_places_meeting_no_child(tiny_demand, tiny_levers, tiny_params,
                                                      monkeypatch):  # fmt: skip
    """A pooled plan of seventeen synthetic authorities stopped at its time limit recruited
    two foster households for an authority with no child in foster care. Now a plan the
    solver did not prove keeps no household, block place or home whose group has no child
    in any month it adds places, on any path."""
    from sufficiency.commissioning import solve
    from sufficiency.commissioning.backends import MipOutcome

    demand = _without_group(tiny_demand, "foster_10_15")  # the recruits' and block's group
    real = solve.solve_mip
    _, decisions = setup(demand, tiny_levers, tiny_params, PriceRise())
    recruit = next(j for j, d in enumerate(decisions) if d.kind == "recruit")

    def stopped_with_a_recruit(model, solver, limit, gap):
        out = real(model, solver, limit, gap)
        values = out.values.copy()
        values[recruit] = 1
        return MipOutcome(SolveStatus.TIME_LIMIT, values, out.objective, out.bound, limit,
                          out.solver)  # fmt: skip

    best = optimise(demand, tiny_levers, tiny_params)
    assert best.values[recruit] == 0 and best.values.sum() > 0  # it opens a home
    monkeypatch.setattr(solve, "solve_mip", stopped_with_a_recruit)
    plan = optimise(demand, tiny_levers, tiny_params)
    assert plan.status is SolveStatus.TIME_LIMIT and not plan.kept_nothing
    np.testing.assert_array_equal(plan.values, best.values)
    assert plan.objective_gbp == pytest.approx(best.objective_gbp)


def test_drop_idle_asks_the_members_own_demand_or_everyones_for_a_shared_block():
    """A member's recruit is idle on its own demand; a shared block only on everyone's."""
    from sufficiency.commissioning.decisions import Decision, drop_idle

    groups = ("foster_0_4", "residential")
    cap = np.zeros((3, 2))
    cap[1:, 0] = 1.0  # places from the second month
    own = Decision("r", "recruit", 0, 5, 10.0, np.zeros((3, 2)), cap, "foster_0_4", member=1)
    shared = Decision("b", "block", 0, 5, 10.0, cap, np.zeros((3, 2)), "foster_0_4")
    demands = np.zeros((2, 4, 3, 2))  # (members, paths, months, groups)
    demands[0, 2, 1, 0] = 1  # only member 0 has a child, once
    np.testing.assert_array_equal(drop_idle([own, shared], np.array([2, 3]), demands, groups),
                                  [0, 3])  # fmt: skip
    demands[1, 0, 0, 0] = 1  # member 1's child in the first month: before the places
    np.testing.assert_array_equal(drop_idle([own, shared], np.array([2, 3]), demands, groups),
                                  [0, 3])  # fmt: skip
    demands[1, 0, 2, 0] = 1
    np.testing.assert_array_equal(drop_idle([own, shared], np.array([2, 3]), demands, groups),
                                  [2, 3])  # fmt: skip
