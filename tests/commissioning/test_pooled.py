"""Several authorities: only block contracts are pooled, solved exactly, costs shared out."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from sufficiency.commissioning.decisions import economics
from sufficiency.commissioning.evaluate import evaluate_plan
from sufficiency.commissioning.levers import parse_levers
from sufficiency.commissioning.pooled import (
    optimise_pooled,
    pool_levers,
    pooled_decisions,
    pooled_demand,
)
from sufficiency.commissioning.pooled_score import allocate, score_pooled
from sufficiency.commissioning.solve import optimise, setup
from sufficiency.errors import ConfigError
from sufficiency.prices import PriceRise

from .conftest import make_demand, tiny_levers_data


@pytest.fixture(scope="module")
def three():
    """Three small members (eight paths, two years) commissioning alone and pooled."""
    from sufficiency.config import CommissioningParams

    params = CommissioningParams(horizon_months=24, mip_gap=0.0, pooled_gap=0.0)
    demands = [make_demand(8, 24, seed=s) for s in (1, 2, 3)]
    fresh = [make_demand(8, 24, seed=s) for s in (11, 12, 13)]
    levers = parse_levers(tiny_levers_data())
    return demands, levers, optimise_pooled(demands, fresh, levers, params)


def test_pooled_is_no_dearer_in_sample(three):
    """The members' alone plans together are feasible pooled, so pooling costs no more."""
    _, _, result = three
    alone = sum(p.objective_gbp for p in result.alone_plans)
    assert result.pooled_plan.objective_gbp <= alone + 1e-9 * alone
    assert result.solve.status == "optimal" and result.solve.gap <= 1e-9
    assert result.saving_gbp == pytest.approx(
        result.alone_cost_gbp - result.pooled_score.expected_cost_gbp
    )


def test_only_block_contracts_are_shared(three):
    """Recruits, homes and the fee uplift belong to one member, within its own caps."""
    _, levers, result = three
    plan = result.pooled_plan
    for d, v in zip(plan.decisions, plan.values, strict=True):
        assert (d.member is None) == (d.kind == "block")
        if d.kind == "recruit":
            extra = levers.fee_uplift.extra_households_per_year
            assert v <= levers.recruit[0].max_households_per_year + extra
    for m in range(3):
        homes = sum(
            v
            for d, v in zip(plan.decisions, plan.values, strict=True)
            if d.kind == "home" and d.member == m
        )
        assert homes <= levers.home.max_homes


def test_member_shares_add_up_to_pooled_cost(three):
    """Each member's share of the pooled cost adds up to the co-operative's cost."""
    _, _, result = three
    shares = sum(s.expected_cost_gbp for s in result.member_scores)
    assert shares == pytest.approx(result.pooled_score.expected_cost_gbp, rel=1e-12)
    table = result.table()
    assert list(table["authority"]) == ["authority 1", "authority 2", "authority 3", "co-operative"]
    total = table.iloc[-1]
    assert total["saving_gbp"] == pytest.approx(result.saving_gbp, abs=0.02)
    assert table["transfer_gbp"].iloc[:-1].sum() == pytest.approx(0.0, abs=0.05)


def test_pooled_matches_enumeration(tiny_levers):
    """Two members over one year: the cutting-plane solve finds the enumerated optimum."""
    from sufficiency.config import CommissioningParams

    params = CommissioningParams(horizon_months=12, mip_gap=0.0, pooled_gap=0.0)
    demands = [make_demand(6, 12, seed=s) for s in (4, 5)]
    result = optimise_pooled(demands, demands, tiny_levers, params)
    decisions = result.pooled_plan.decisions
    cut, _ = setup(demands[0], tiny_levers, params, PriceRise(0.06))
    econ = economics(tiny_levers, cut.groups, cut.month_ends, PriceRise(0.06))
    stack = np.stack([d.demand[:, :12] for d in demands])
    block = tiny_levers.block[0]
    cap = tiny_levers.recruit[0].max_households_per_year
    extra = tiny_levers.fee_uplift.extra_households_per_year
    member_choices = [(r, h, u) for u in (0, 1) for r in range(cap + extra * u + 1) for h in (0, 1)]
    kinds = [d.kind for d in decisions]
    assert kinds == ["recruit", "home", "uplift"] * 2 + ["block"]
    best = np.inf
    blocks = [0, *range(block.min_places, 2 * block.max_places + 1)]
    for a, b, k in itertools.product(member_choices, member_choices, blocks):
        values = np.array([*a, *b, k])
        score, _ = score_pooled(decisions, values, stack, cut.groups, [tiny_levers] * 2, [econ] * 2)
        best = min(best, score.expected_cost_gbp)
    assert result.pooled_plan.objective_gbp == pytest.approx(best, rel=1e-9)


def test_pooled_score_of_one_member_is_the_single_authority_score(tiny_demand, tiny_levers):
    """With one member and its own blocks, the pooled evaluator is the ordinary one."""
    from sufficiency.config import CommissioningParams

    params = CommissioningParams(horizon_months=24, mip_gap=0.0)
    plan = optimise(tiny_demand, tiny_levers, params)
    cut, alone = setup(tiny_demand, tiny_levers, params, PriceRise(0.06))
    blocks = [d for d in alone if d.kind == "block"]
    decisions = pooled_decisions([alone], blocks, ["a"])
    kinds = np.array([d.kind for d in alone])
    values = np.concatenate([plan.values[kinds != "block"], plan.values[kinds == "block"]])
    econ = economics(tiny_levers, cut.groups, cut.month_ends, PriceRise(0.06))
    pooled, (member,) = score_pooled(
        decisions, values, cut.demand[None], cut.groups, [tiny_levers], [econ]
    )
    single = evaluate_plan(plan, cut, tiny_levers)
    np.testing.assert_allclose(pooled.path_cost_gbp, single.path_cost_gbp, rtol=1e-12)
    np.testing.assert_allclose(member.path_cost_gbp, single.path_cost_gbp, rtol=1e-12)
    assert pooled.spot_child_months == pytest.approx(single.spot_child_months)


def test_block_allocation_is_cheapest():
    """Handing block places to would-be spot children first costs least (brute force)."""
    rng = np.random.default_rng(7)
    spot, running = 900.0, 600.0
    for _ in range(40):
        d = rng.integers(0, 6, size=3).astype(float)
        home = rng.integers(0, 3, size=3).astype(float)
        recruit = rng.integers(0, 3, size=3).astype(float)
        block = float(rng.integers(0, 7))
        _, _, used, sp = allocate(d, home, recruit, np.array(block))
        cost = running * used.sum() + spot * sp.sum()
        prices = np.full(3, spot), np.full(3, running)
        assert cost == pytest.approx(_cheapest(d, home, recruit, block, *prices))


def _cheapest(d, home, recruit, block, spot, running):
    """The cheapest cost of every way to share ``block`` places among the members (brute
    force): each member's children beyond its homes take block places first, then its
    new carers at ``running``, then spot at ``spot``."""
    need = np.maximum(d - home, 0).astype(int)
    best = np.inf
    for share in itertools.product(*(range(n + 1) for n in need)):
        if sum(share) > block:
            continue
        left = need - np.array(share)
        own = np.minimum(left, recruit)
        best = min(best, float(running @ own + spot @ (left - own)))
    return best


def test_pool_levers_sums_only_block_caps(tiny_levers):
    """The co-operative's block contracts may be the members' sizes summed; nothing else."""
    pooled = pool_levers(tiny_levers, 4)
    assert pooled.block[0].max_places == 4 * tiny_levers.block[0].max_places
    assert pooled.block[0].min_places == tiny_levers.block[0].min_places
    assert pooled.recruit == tiny_levers.recruit and pooled.home == tiny_levers.home


def test_pooled_raises_mismatched_paths():
    """Members must share the start date, horizon and number of paths."""
    with pytest.raises(ConfigError, match="same start date"):
        pooled_demand([make_demand(8, 24, 1), make_demand(5, 24, 2)])


def test_pooled_raises_service_limits(tiny_params):
    """Service limits cannot be shared out between members: a clear error."""
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.5}]
    demands = [make_demand(4, 24, s) for s in (1, 2)]
    with pytest.raises(ConfigError, match="Service limits are not supported when pooling"):
        optimise_pooled(demands, demands, parse_levers(data), tiny_params)


def test_pooled_raises_one_member(tiny_levers, tiny_params):
    """Pooling needs at least two members."""
    with pytest.raises(ConfigError, match="two or more authorities"):
        optimise_pooled([make_demand(4, 24, 1)], [make_demand(4, 24, 2)], tiny_levers, tiny_params)


def _other_levers():
    """A second member's own levers: dearer spot, cheaper carers, other caps and costs."""
    data = tiny_levers_data()
    data["spot"]["foster_weekly_gbp"] = 1150.0
    data["spot"]["residential_weekly_gbp"] = 5200.0
    data["recruit"][0].update(
        recruitment_cost_gbp=12000.0, weekly_cost_gbp=450.0, max_households_per_year=1
    )
    data["fee_uplift"].update(weekly_gbp_per_household=9.0, extra_households_per_year=2)
    data["home"].update(setup_cost_gbp=150000.0, running_cost_gbp_per_year=480000.0)
    return parse_levers(data)


def test_block_allocation_is_cheapest_with_each_members_prices():
    """With each member's own prices, block places still go where they save most (brute
    force), including where one member's carers cost more than another's spot."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        d = rng.integers(0, 6, size=3).astype(float)
        home = rng.integers(0, 3, size=3).astype(float)
        recruit = rng.integers(0, 3, size=3).astype(float)
        block = float(rng.integers(0, 7))
        spot = rng.choice([500.0, 700.0, 900.0, 1100.0], size=3)
        running = np.minimum(spot, rng.choice([400.0, 600.0, 800.0, 1000.0], size=3))
        _, used_block, used, sp = allocate(d, home, recruit, np.array(block), spot, running)
        assert used_block.sum() == pytest.approx(min(block, np.maximum(d - home, 0).sum()))
        cost = float(running @ used + spot @ sp)
        assert cost == pytest.approx(_cheapest(d, home, recruit, block, spot, running))


def test_pooled_with_each_members_own_levers_matches_enumeration(tiny_levers):
    """Two members with their own prices, caps and costs, block contracts shared: the
    cutting-plane solve finds the enumerated optimum, and each member alone plans on its
    own levers."""
    from sufficiency.config import CommissioningParams

    params = CommissioningParams(horizon_months=12, mip_gap=0.0, pooled_gap=0.0)
    demands = [make_demand(6, 12, seed=s) for s in (4, 5)]
    each = [tiny_levers, _other_levers()]
    result = optimise_pooled(demands, demands, tiny_levers, params, member_levers=each)
    assert result.solve.status == "optimal"
    alone = optimise(demands[1], each[1], params)
    assert result.alone_plans[1].objective_gbp == pytest.approx(alone.objective_gbp, rel=1e-9)
    decisions = result.pooled_plan.decisions
    cut, _ = setup(demands[0], tiny_levers, params, PriceRise(0.06))
    econ = [economics(lv, cut.groups, cut.month_ends, PriceRise(0.06)) for lv in each]
    stack = np.stack([d.demand[:, :12] for d in demands])
    kinds = [d.kind for d in decisions]
    assert kinds == ["recruit", "home", "uplift"] * 2 + ["block"]

    def choices(lv):
        cap, extra = lv.recruit[0].max_households_per_year, lv.fee_uplift.extra_households_per_year
        return [(r, h, u) for u in (0, 1) for r in range(cap + extra * u + 1) for h in (0, 1)]

    block = tiny_levers.block[0]
    blocks = [0, *range(block.min_places, 2 * block.max_places + 1)]
    best = np.inf
    for a, b, k in itertools.product(choices(each[0]), choices(each[1]), blocks):
        values = np.array([*a, *b, k])
        score, _ = score_pooled(decisions, values, stack, cut.groups, each, econ)
        best = min(best, score.expected_cost_gbp)
    assert result.pooled_plan.objective_gbp == pytest.approx(best, rel=1e-9)
    shares = sum(s.expected_cost_gbp for s in result.member_scores)
    assert shares == pytest.approx(result.pooled_score.expected_cost_gbp, rel=1e-12)


def test_pooled_refuses_a_members_service_limit(tiny_levers, tiny_params):
    """A service limit in one member's own levers is named, with the member."""
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.5}]
    demands = [make_demand(4, 24, s) for s in (1, 2)]
    each = [tiny_levers, parse_levers(data)]
    with pytest.raises(ConfigError, match="from authority 2's levers"):
        optimise_pooled(demands, demands, tiny_levers, tiny_params, member_levers=each)


def test_pooled_says_how_close_its_plan_is_proven(three):
    """The proof sentence: within the gap when optimal; otherwise the stop, and the bound."""
    from dataclasses import replace

    _, _, result = three
    assert result.proof().startswith("The pooled plan is proven within 0.0000%")
    stopped = replace(result, solve=replace(result.solve, status="time_limit", bound_gbp=-np.inf))
    text = stopped.proof()
    # in words, not the status's code (before: "(the solver stopped: time_limit, after")
    stop = f"(the solver reached its time limit after {result.solve.rounds} round(s)"
    assert text.startswith(f"The pooled plan is not proven optimal {stop}")
    assert "no bound on the cheapest possible was found" in text
    bound = result.pooled_plan.objective_gbp * 0.97
    loose = replace(result, solve=replace(result.solve, status="time_limit", bound_gbp=bound))
    assert "it is within 3.00% of the cheapest possible" in loose.proof()


def test_pooled_says_which_member_pays_more_than_alone(three):
    """A member whose share of the pooled cost exceeds its cost alone is named, with the
    equal-saving transfer (before: only the co-operative's saving was printed, and a
    member 0.9% worse off went unsaid)."""
    from dataclasses import replace

    _, _, result = three
    assert result.worse_off() == [] or all("more pooled" in s for s in result.worse_off())
    share = result.member_scores[1]
    cheaper = replace(share, path_cost_gbp=share.path_cost_gbp - 1000.0)
    dearer = replace(result, alone_scores=(*result.alone_scores[:1], cheaper,
                                           *result.alone_scores[2:]))  # fmt: skip
    (line,) = dearer.worse_off()
    row = dearer.table().iloc[1]
    assert line.startswith("authority 2 pays £1,000 (")
    assert f"it would receive £{row['transfer_gbp']:,.0f}" in line


def test_pooled_members_are_named_by_the_folders_that_tell_them_apart(tmp_path):
    """Two councils' folders both called ssda903 are named by the folder above each, not
    'ssda903 (1)' and 'ssda903 (2)'; a folder given twice is numbered."""
    from sufficiency.commissioning.run import _member_names

    worcs, hereford = tmp_path / "worcs" / "ssda903", tmp_path / "hereford" / "ssda903"
    assert _member_names([worcs, hereford, tmp_path / "shropshire"]) == [
        "worcs/ssda903", "hereford/ssda903", "shropshire",
    ]  # fmt: skip
    # A folder given twice is its name, numbered: not the whole path from the root
    # ('tmp/pytest-.../worcs/ssda903 (1)', a user's folders in a shared report).
    assert _member_names([worcs, worcs]) == ["ssda903 (1)", "ssda903 (2)"]
    assert _member_names([worcs, worcs, hereford]) == [
        "worcs/ssda903 (1)", "worcs/ssda903 (2)", "hereford/ssda903",
    ]  # fmt: skip


def test_a_pooled_plan_dearer_than_alone_is_said_to_cost_more():
    """`commission --pool-with` printed 'saves £-1,200' when the pooled plan cost more on
    the fresh paths; the command and the region's headline now share one sentence."""
    from sufficiency.commissioning.pooled import saving_sentence

    who = ("Pooling block contracts across 2 authorities", "each commissioning alone")
    assert saving_sentence(4_981_230.4, *who) == (
        "Pooling block contracts across 2 authorities saves £4.98m against each commissioning alone"
    )
    assert saving_sentence(-1_200.0, *who) == (
        "Pooling block contracts across 2 authorities costs £1,200 more than each "
        "commissioning alone, on the fresh demand paths the plans are scored on: no saving"
    )


def test_a_master_stopped_before_any_plan_keeps_the_members_plans(monkeypatch):
    """With seventeen members the first master problem ran out of its 120 s before the
    solver held a plan. HiGHS's zeros were taken as one then; the solver now says it has
    none, and that stopped the pooled run with an error although the members' own plans put
    together were in hand. Now those are the pooled plan, marked as stopped at the time
    limit, with the solver's proven bound (the master is a relaxation) as its gap."""
    from sufficiency.commissioning import pooled_model
    from sufficiency.commissioning.backends import MipOutcome, SolveStatus
    from sufficiency.config import CommissioningParams

    params = CommissioningParams(horizon_months=24, mip_gap=0.0, pooled_gap=0.0)
    demands = [make_demand(8, 24, seed=s) for s in (1, 2)]
    fresh = [make_demand(8, 24, seed=s) for s in (11, 12)]
    levers = parse_levers(tiny_levers_data())
    floor = 1000.0  # a proven bound far below any plan's cost

    def stopped(model, solver, limit, gap):
        return MipOutcome(SolveStatus.TIME_LIMIT, None, None, floor, limit, solver)

    monkeypatch.setattr(pooled_model, "solve_mip", stopped)
    result = optimise_pooled(demands, fresh, levers, params)
    alone = sum(p.objective_gbp for p in result.alone_plans)
    assert result.solve.status is SolveStatus.TIME_LIMIT and result.solve.rounds == 1
    assert result.pooled_plan.objective_gbp <= alone + 1e-9 * alone
    assert result.solve.bound_gbp == floor and np.isfinite(result.solve.gap)
    assert "not proven optimal" in result.proof()


def test_a_master_stopped_with_a_plan_keeps_it_when_cheaper(three, monkeypatch):
    """Before: when a master problem stopped at the time limit holding a plan, the plan was
    dropped unscored and the best plan so far (at first, the members' own plans put
    together) returned: with seventeen members the pooled run then saved £26.1m where the
    master's plan, once scored, saved £216m. Now the stopped master's plan is scored and
    kept when cheaper."""
    from sufficiency.commissioning import pooled_model
    from sufficiency.commissioning.backends import MipOutcome, SolveStatus
    from sufficiency.config import CommissioningParams

    demands, levers, _ = three
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, pooled_gap=0.0)
    real = pooled_model.solve_mip

    def stopped(model, solver, limit, gap):
        out = real(model, solver, limit, gap)
        return MipOutcome(SolveStatus.TIME_LIMIT, out.values, out.objective, None, limit, solver)

    monkeypatch.setattr(pooled_model, "solve_mip", stopped)
    fresh = [make_demand(8, 24, seed=s) for s in (11, 12, 13)]
    result = optimise_pooled(demands, fresh, levers, params)
    alone = sum(p.objective_gbp for p in result.alone_plans)
    assert result.solve.status is SolveStatus.TIME_LIMIT and result.solve.rounds == 1
    assert result.pooled_plan.objective_gbp < alone - 1.0


def test_pooled_sensitivity_run_stopped_early_keeps_the_recommended_plan(three, monkeypatch):
    """A sensitivity run whose solve stops before proof (here: before its first round)
    is never dearer than keeping the recommended pooled plan: the solve starts from it."""
    from sufficiency.commissioning import pooled_model
    from sufficiency.commissioning.sensitivity import pooled_sensitivity_row
    from sufficiency.config import CommissioningParams

    demands, levers, result = three
    fresh = [make_demand(8, 24, seed=s) for s in (11, 12, 13)]
    rushed = CommissioningParams(horizon_months=24, mip_gap=0.0, pooled_gap=0.0)
    monkeypatch.setattr(pooled_model, "MAX_ROUNDS", 0)
    kept = pooled_sensitivity_row(
        demands, fresh, levers, rushed, "demand", 0.0, start=result.pooled_plan
    )
    recommended = round(result.pooled_score.expected_cost_gbp, 2)
    assert kept["pooled_cost_gbp"] == recommended
    assert kept["status"] != "optimal"
    # without the recommended plan to start from, the same rushed run is dearer
    alone = pooled_sensitivity_row(demands, fresh, levers, rushed, "demand", 0.0)
    assert alone["pooled_cost_gbp"] > recommended


def test_pooling_csv_and_the_case_give_the_same_saving_percentage(three, tmp_path):
    """A saving of 1.09502% of a member's cost alone (£2,741,715.15 of £250,380,869.29, as
    a pooling of the sample with another authority gave) was kept as 0.01095, six places:
    pooling.csv then said 1.09 (100 x 0.01095 is 1.0949999... in binary) while the web page,
    working it out again from the pounds, said 1.10%. Now it is the share of the pounds
    shown, and every output says 1.10."""
    from dataclasses import replace

    from sufficiency.commissioning.writers import write_pooling

    _, _, result = three

    def costing(score, gbp):
        return replace(score, path_cost_gbp=np.full(3, gbp))

    alone = [costing(result.alone_scores[0], 250380869.29), *result.alone_scores[1:]]
    share = [costing(result.member_scores[0], 247639154.14), *result.member_scores[1:]]
    case = replace(result, alone_scores=tuple(alone), member_scores=tuple(share))
    row = case.table().iloc[0]
    assert row["saving_gbp"] == pytest.approx(2741715.15, abs=0.005)
    assert row["saving_pct"] == pytest.approx(row["saving_gbp"] / row["alone_cost_gbp"], rel=1e-9)
    assert f"{row['saving_pct']:.2%}" == "1.10%"
    written = pd.read_csv(write_pooling(case, tmp_path), dtype=str)
    assert written["saving_pct"].iloc[0] == "1.10"
