"""A member's cautions and a budget in the wrong unit reach the region's report once,
named, and do not distort its totals."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import load_members
from sufficiency.region.csvrows import long_table
from sufficiency.region.members import Member, Region
from sufficiency.region.report import caution_table, member_table, scenario_table
from sufficiency.region.run import RegionResult, plan_member_tasks, scenario_specs
from sufficiency.region.specs import MemberSummary, PooledSummary
from sufficiency.region.tasks import run_member
from sufficiency.region.writers import headline

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _ran(region: Region, params: Any, out: Path) -> tuple[MemberSummary, ...]:
    """The members' base tasks run in this process (the tasks Dask would run)."""
    tasks = plan_member_tasks(region, scenario_specs([]), params, SEED, out, RUN_DATE)
    summaries = tuple(run_member(t) for t in tasks)
    assert all(isinstance(s, MemberSummary) for s in summaries), summaries
    return summaries  # type: ignore[return-value]


@pytest.fixture(scope="module")
def pair(region_dir: Path) -> tuple[Member, Member]:
    """The synthetic region's first two members (40 and 70 children, with budgets)."""
    first, second = load_members(region_dir / "members.toml").members[:2]
    return first, second


def test_a_members_missing_year_is_said_once_under_its_runs(
    pair: tuple[Member, Member], params: Any, tmp_path: Path
) -> None:
    """A member with no 2023-24 return: its forecast's caution ('No return for 2024-25')
    was not among its base run's warnings (the forecast keeps it as a note, not a warning
    said), so the region gave it under 'pooled plan' alone, and with no pooled plan not at
    all. It is said once, under the member, for its base run and the pooled plan."""
    first, second = pair
    gappy = tmp_path / "gappy"
    shutil.copytree(second.history, gappy)
    shutil.rmtree(gappy / "2025")
    region = Region("Pair", (first, Member(second.code, second.name, gappy)), None, None)
    ran = _ran(region, params, tmp_path / "out")
    caution = next(w for w in ran[1].warnings if w.startswith("No return for 2024-25"))
    pooled = PooledSummary(SEED, notes=((second.code, (caution,)),))
    result = RegionResult(region, ("base",), SEED, ran, (), pooled, ())
    table = caution_table(result)
    said = table[table["warning"] == caution]
    assert said[["code", "said_in"]].values.tolist() == [[second.code, "base, pooled plan"]]
    assert not any(w.startswith("No return for") for w in ran[0].warnings)


def test_a_members_budget_in_thousands_is_left_out_of_the_regions_budget(
    pair: tuple[Member, Member], params: Any, tmp_path: Path
) -> None:
    """A member's budget.csv in £000s (5600 for £5.6m): its 'variance' of about +£4.6m was
    added into the region's, turning the other member's underspend into an overspend,
    with no word in the members table. The member's own row keeps its figures (as its
    spend outputs give them) and its status says the budget looks like the wrong unit;
    the region's budget and variance are left blank, and the headline says why."""
    first, second = pair
    thousands = tmp_path / "budget.csv"
    thousands.write_text("financial_year,cost_line,budget_gbp\n2026-27,all,5600\n")
    member = Member(second.code, second.name, second.history, budget=thousands)
    region = Region("Pair", (first, member), None, None)
    ran = _ran(region, params, tmp_path / "out")
    result = RegionResult(region, ("base",), SEED, ran, (), None, ())
    table = member_table(result)
    own, last = table.iloc[1], table.iloc[-1]
    assert own["budget_gbp"] == 5600
    assert own["budget_variance_gbp"] == pytest.approx(own["spend_gbp"] - 5600, abs=0.01)
    assert "budget less than a hundredth of its spend (wrong unit?)" in own["status"]
    assert table["status"].iloc[0] == "Ran"
    assert last["spend_gbp"] == pytest.approx(table["spend_gbp"].iloc[:-1].sum())
    assert pd.isna(last["budget_gbp"]) and pd.isna(last["budget_variance_gbp"])
    assert pd.isna(scenario_table(result).iloc[-1].filter(like="variance").iloc[0])
    text = " ".join(headline(result))
    assert f"{second.name}'s budget for 2026-27 (£5,600) is less than a hundredth of" in text
    assert f"1 of 2 members that ran gave one for their first financial year ({first.name})" in text
    csv = long_table(result).set_index(["member_code", "measure"])["value"]
    assert csv[(second.code, "budget_doubted")] == 1 and csv[(first.code, "budget_doubted")] == 0
    assert pd.isna(csv[("region", "budget_gbp")])


def test_a_members_budget_for_another_year_is_said_in_its_status(
    pair: tuple[Member, Member], params: Any, tmp_path: Path
) -> None:
    """A member whose budget file gives only 2030-31: its budget is blank, warned of under
    Read with care, but its status said only 'Ran', as a member with nothing wrong. It
    now says its budget file gave no budget for the run's first year."""
    first, second = pair
    later = tmp_path / "budget.csv"
    later.write_text("financial_year,cost_line,budget_gbp\n2030-31,all,5600000\n")
    member = Member(second.code, second.name, second.history, budget=later)
    region = Region("Pair", (first, member), None, None)
    ran = _ran(region, params, tmp_path / "out")
    result = RegionResult(region, ("base",), SEED, ran, (), None, ())
    table = member_table(result)
    assert pd.isna(table.iloc[1]["budget_gbp"])
    assert (
        "its budget file gives no budget for this run's first financial year"
        in (table.iloc[1]["status"])
    )
    assert "budget file" not in table["status"].iloc[0]  # the first's budget is used
