"""Metamorphic relations of the commissioning plan: what a commissioner expects of any
right answer, checked without knowing it.

On the tiny case (8 random paths, two years, one lever of each kind, solved exactly):
more demand of a kind never buys fewer places of that kind; a dearer spot price never
fewer recruited or block places; no demand buys nothing; a block place at a penny a week
is bought to its cap where every month needs it, and free recruitment to its cap; a home
dearer per bed than spot is not opened (and said), and a block place not cheaper than
spot is refused, naming its figures. On the sample (10 paths, 12 months): the levers
file's contracts and recruitment in another order give the same plan and costs, and a
dearer foster spot price never fewer foster places of any group.
"""

from __future__ import annotations

import copy
import tomllib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sufficiency import api
from sufficiency.commissioning.demand import GROUPS, DemandPaths
from sufficiency.commissioning.levers import parse_levers
from sufficiency.commissioning.solve import Plan, optimise
from sufficiency.config import CommissioningParams
from sufficiency.errors import ConfigError

from .conftest import make_demand, tiny_levers_data

EXACT = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(0.1,))
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _places(plan: Plan, group: str) -> float:
    """Places the plan adds in ``group``, month by month on average over the horizon."""
    g = list(GROUPS).index(group)
    return float(sum(v * (d.fixed_capacity[:, g] + d.variable_capacity[:, g]).mean()
                     for d, v in zip(plan.decisions, plan.values, strict=True)))  # fmt: skip


def _bought(plan: Plan, kind: str) -> dict[int, int]:
    """Units of ``kind`` (recruit, block, home) committed by plan year."""
    return {d.year: int(v) for d, v in zip(plan.decisions, plan.values, strict=True)
            if d.kind == kind and v > 0}  # fmt: skip


def _more(demand: DemandPaths, group: str, extra: int) -> DemandPaths:
    d = demand.demand.copy()
    d[:, :, list(GROUPS).index(group)] += extra
    return DemandPaths(demand.month_ends, demand.groups, d, demand.existing_in_house, demand.seed)


def _optimise(data: dict[str, Any], demand: DemandPaths) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the levers' doubts, said in their own tests
        return optimise(demand, parse_levers(data), EXACT)


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("group", ["foster_10_15", "residential"])
def test_more_demand_never_buys_fewer_places_of_its_kind(seed: int, group: str) -> None:
    demand = make_demand(8, 24, seed)
    places = [_places(_optimise(tiny_levers_data(), _more(demand, group, k)), group)
              for k in (0, 1, 3, 5)]  # fmt: skip
    assert places == sorted(places), places
    assert places[-1] > places[0]  # the relation is not met by buying nothing throughout


def test_a_dearer_spot_price_never_buys_fewer_places() -> None:
    demand = make_demand(8, 24, 1)
    foster, homes = [], []
    for factor in (0.9, 1.0, 1.5, 3.0):
        data = tiny_levers_data()
        data["spot"]["foster_weekly_gbp"] *= factor
        data["spot"]["residential_weekly_gbp"] *= factor
        data["spot"]["residential_high_cost_weekly_gbp"] *= factor
        plan = _optimise(data, demand)
        foster.append(_places(plan, "foster_10_15"))
        homes.append(_places(plan, "residential"))
    assert foster == sorted(foster) and homes == sorted(homes), (foster, homes)
    assert foster[-1] > foster[0] and homes[-1] > homes[0]


def test_no_demand_buys_nothing() -> None:
    demand = make_demand(8, 24, 2)
    none = DemandPaths(demand.month_ends, demand.groups, np.zeros_like(demand.demand),
                       demand.existing_in_house, demand.seed)  # fmt: skip
    assert _optimise(tiny_levers_data(), demand).num_commitments > 0
    assert _optimise(tiny_levers_data(), none).num_commitments == 0


def test_a_lever_that_costs_nothing_is_used_to_its_cap() -> None:
    demand = _more(make_demand(8, 24, 2), "foster_10_15", 12)  # every month needs places
    data = tiny_levers_data()
    data["block"][0]["weekly_price_gbp"] = 0.01  # a price must be above 0
    assert _bought(_optimise(data, demand), "block") == {0: data["block"][0]["max_places"]}
    data = tiny_levers_data()
    data["recruit"][0].update(recruitment_cost_gbp=0.0, support_cost_gbp_per_household_year=0.0)
    cap = data["recruit"][0]["max_households_per_year"]
    cap += data["fee_uplift"]["extra_households_per_year"]  # the uplift costs £5 a week
    assert _bought(_optimise(data, demand), "recruit") == {0: cap, 1: cap}


def test_a_lever_dearer_than_spot_is_not_used_or_refused() -> None:
    demand = _more(make_demand(8, 24, 2), "residential", 4)
    data = tiny_levers_data()
    assert _bought(_optimise(data, demand), "home")  # the home is worth opening as priced
    beds = data["home"]["beds"]
    data["home"]["running_cost_gbp_per_year"] = beds * 13_000 * 52.18  # £13,000 a bed a week
    with pytest.warns(UserWarning, match="not less than a children's home place bought spot"):
        levers = parse_levers(data)
    assert _bought(optimise(demand, levers, EXACT), "home") == {}
    data = tiny_levers_data()
    data["block"][0]["weekly_price_gbp"] = data["spot"]["foster_weekly_gbp"]
    with pytest.raises(ConfigError, match='"ifa": "weekly_price_gbp" is £900 a week, not below'):
        parse_levers(data)


def _commission(data: dict[str, Any]) -> api.CommissionResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return api.commission(SAMPLE / "ssda903", parse_levers(data), num_paths=10,
                              eval_paths=10, horizon_months=12, with_sensitivity=False, seed=1,
                              run_date="2026-04-01")  # fmt: skip


@pytest.fixture(scope="module")
def sample_levers() -> dict[str, Any]:
    return tomllib.loads((SAMPLE / "levers.toml").read_text())


@pytest.fixture(scope="module")
def sample_plan(sample_levers: dict[str, Any]) -> api.CommissionResult:
    return _commission(sample_levers)


def test_the_levers_in_another_order_give_the_same_plan(
    sample_levers: dict[str, Any], sample_plan: api.CommissionResult
) -> None:
    data = copy.deepcopy(sample_levers)
    data["block"] = data["block"][::-1]
    data["recruit"] = data["recruit"][::-1]
    other = _commission(data)
    assert len(sample_plan.plan) > 0
    key = ["lever", "year"]
    mine = sample_plan.plan.sort_values(key).reset_index(drop=True)
    assert mine.equals(other.plan.sort_values(key).reset_index(drop=True))
    assert other.expected_cost_gbp == sample_plan.expected_cost_gbp


def test_a_dearer_foster_spot_price_never_buys_fewer_foster_places(
    sample_levers: dict[str, Any], sample_plan: api.CommissionResult
) -> None:
    def foster(result: api.CommissionResult) -> dict[str, int]:
        rows = result.plan[result.plan["lever"].str.contains("foster_")]
        groups = rows["lever"].str.extract(r"\((foster_[0-9_]+)\)")[0]
        return rows.groupby(groups.to_numpy())["commitment"].sum().to_dict()

    data = copy.deepcopy(sample_levers)
    data["spot"]["foster_weekly_gbp"] = 1500.0
    before, after = foster(sample_plan), foster(_commission(data))
    assert before and all(after.get(group, 0) >= n for group, n in before.items())
    assert sum(after.values()) > sum(before.values())


def test_every_money_figure_doubled_gives_the_same_plan_at_twice_the_cost(
    sample_levers: dict[str, Any], sample_plan: api.CommissionResult
) -> None:
    """Prices, costs and caps' money in pounds twice as large (the same plan in another
    currency): the same commitments, every expected cost twice (to the penny)."""

    def doubled(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: 2 * v if "gbp" in k and isinstance(v, float | int) else doubled(v)
                    for k, v in data.items()}  # fmt: skip
        return [doubled(x) for x in data] if isinstance(data, list) else data

    twice = _commission(doubled(sample_levers))
    what = ["lever", "year", "starts", "commitment"]
    assert twice.plan[what].equals(sample_plan.plan[what])
    gap = (twice.plan["cost_gbp"] - 2 * sample_plan.plan["cost_gbp"]).abs().max()
    assert gap <= 0.01 + 1e-6
    for plan, cost in sample_plan.expected_cost_gbp.items():
        assert twice.expected_cost_gbp[plan] == pytest.approx(2 * cost, rel=1e-12)


@pytest.fixture(scope="module")
def two_neighbours(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two synthetic authorities ending on 31 March 2026, as the sample does."""
    from sufficiency.forecast.synthetic import synthetic_history
    from sufficiency.region.synthetic import write_history

    folder = tmp_path_factory.mktemp("neighbours")
    return (write_history(synthetic_history(150, num_years=6, seed=7), folder / "b"),
            write_history(synthetic_history(120, num_years=6, seed=8), folder / "c"))  # fmt: skip


def test_the_order_of_the_pooled_histories_changes_no_figure(
    two_neighbours: tuple[Path, Path],
) -> None:
    """``--pool-with b c`` and ``--pool-with c b``: each pooled authority's forecast had the
    random stream of its place in the list, so b alone cost £6,837,679 listed first and
    £6,343,945 listed second (10 paths), and every share moved."""
    b, c = two_neighbours
    tables = []
    for order in ([b, c], [c, b]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = api.commission(
                SAMPLE / "ssda903", SAMPLE / "levers.toml", pool_with=order, num_paths=10,
                eval_paths=10, horizon_months=12, with_sensitivity=False, seed=1,
                run_date="2026-04-01",
            )  # fmt: skip
        assert result.pooled is not None
        tables.append(result.pooled.table().set_index("authority").sort_index())
    assert set(tables[0].index) == {"ssda903", "b", "c", "co-operative"}
    pd.testing.assert_frame_equal(tables[0], tables[1])
