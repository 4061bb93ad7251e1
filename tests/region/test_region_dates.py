"""The region's totals add members' figures only at the same dates: a member whose
history ends a year earlier has its "now", horizon and first financial year a year
earlier, and adding it to the others' gave a region total that was no month's figure."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import RUN_DATE, SEED

from sufficiency import figures
from sufficiency.region import load_members
from sufficiency.region.csvrows import long_table
from sufficiency.region.members import Member, Region
from sufficiency.region.report import member_table, mix_table, scenario_table
from sufficiency.region.run import RegionResult, plan_member_tasks, scenario_specs
from sufficiency.region.specs import MemberFailure, MemberSummary
from sufficiency.region.tasks import run_member
from sufficiency.region.writers import headline

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _result(region: Region, params: Any, out: Path) -> RegionResult:
    """The members' base tasks run in this process (the tasks Dask would run)."""
    tasks = plan_member_tasks(region, scenario_specs([]), params, SEED, out, RUN_DATE)
    summaries = [run_member(t) for t in tasks]
    assert all(isinstance(s, MemberSummary) for s in summaries), summaries
    return RegionResult(region, ("base",), SEED, tuple(summaries), (), None, ())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def two_members(region_dir: Path) -> Region:
    region = load_members(region_dir / "members.toml")
    return Region("Pair", region.members[:2], None, region.source)


def test_region_totals_name_the_members_common_dates(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """Members whose histories end on the same day: the totals add up, and the headline
    says on which day and at which month the figures are."""
    result = _result(two_members, params, tmp_path)
    table = member_table(result)
    assert table["children_now"].iloc[-1] == pytest.approx(table["children_now"].iloc[:-1].sum())
    assert table["spend_gbp"].iloc[-1] == pytest.approx(table["spend_gbp"].iloc[:-1].sum())
    text = " ".join(headline(result))
    assert "Children looked after on 31 March 2026: " in text
    assert "on 31 March 2028 (base case" in text and "different dates" not in text


def test_region_leaves_blank_the_totals_of_members_at_different_dates(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """A member whose history ends on 31/03/2025 beside one ending 31/03/2026: children
    now, at the horizon, placements to find and spend are not added across the two (the
    region's row and region.csv leave them blank, the headline says why, naming each
    member's date); each member's own row keeps its figures."""
    first, second = two_members.members
    short = tmp_path / "short"
    shutil.copytree(second.history, short)
    shutil.rmtree(short / "2026")
    region = Region(
        "Pair", (first, Member(second.code, second.name, short, budget=None)), None, None
    )
    result = _result(region, params, tmp_path / "out")
    by_code = {s.code: s for s in result.members}
    assert by_code[first.code].start != by_code[second.code].start  # the premise
    assert by_code[second.code].financial_year == "2025-26"
    table = member_table(result)
    last = table.iloc[-1]
    for col in ("children_now", "children_forecast", "starts_first_year", "spend_gbp"):
        assert pd.isna(last[col]), col
        assert table[col].iloc[:-1].notna().all()
    assert last["financial_year"] is None or pd.isna(last["financial_year"])
    assert "different dates" in last["status"]
    text = " ".join(headline(result))
    assert "histories end on different dates (31 March 2026: " in text
    assert f"31 March 2025: {second.name})" in text
    assert "Projected placement spend in" not in text
    long = long_table(result)
    region_rows = long[(long["member_code"] == "region") & (long["scenario"] == "base")]
    now = region_rows[region_rows["measure"].isin(["in_care_now", "spend_gbp"])]
    assert len(now) == 2 and now["value"].isna().all()
    for when in ("now", "forecast"):
        mix = mix_table(result, when)
        assert mix.iloc[-1].drop(["code", "authority"]).isna().all()
    side = scenario_table(result).iloc[-1]
    assert side.drop(["code", "authority"]).isna().all()


def _in_year_extract(history: Path, folder: Path, end: str) -> Path:
    """``history`` with its last return cut at ``end``, as an in-year extract is."""
    shutil.copytree(history, folder)
    last = sorted(p for p in folder.iterdir() if p.is_dir())[-1] / "episodes.csv"
    ep = pd.read_csv(last, dtype=str, keep_default_na=False)
    cut = pd.Timestamp(end)
    start = pd.to_datetime(ep["DECOM"], dayfirst=True)
    ended = pd.to_datetime(ep["DEC"].replace("", None), dayfirst=True)
    ep = ep[start <= cut].copy()
    later = (ended[start <= cut] > cut).to_numpy()
    ep.loc[later, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
    ep.to_csv(last, index=False)
    return folder


def test_region_says_when_the_first_financial_year_is_part_of_a_year(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """A member whose history ends on 30/09/2025 (an in-year extract): its spend in
    2025-26 covers six forecast months, and the members table, the headline and
    region.csv say so (it read '2025-26' and 'Spend in the first year' alone, half a
    year's spend beside others' whole years)."""
    first = two_members.members[0]
    history = _in_year_extract(first.history, tmp_path / "extract", "2025-09-30")
    member = Member(first.code, first.name, history)
    result = _result(Region("One", (member,), None, None), params, tmp_path / "out")
    (summary,) = result.members
    assert summary.start == "2025-09-30" and summary.financial_year == "2025-26"
    spend = pd.read_csv(tmp_path / "out" / "members" / first.code / "base" / "spend" / "spend.csv")
    year = spend[(spend["financial_year"] == "2025-26") & (spend["cost_line"] == "all")]
    assert len(year) == 6 and summary.spend_gbp == pytest.approx(year["mean"].sum(), abs=1)
    table = member_table(result)
    assert table["financial_year"].tolist() == ["2025-26 (6 months)"] * 2
    assert "Projected placement spend in 2025-26 (6 months): £" in " ".join(headline(result))
    long = long_table(result)
    months = long[(long["measure"] == "spend_months") & (long["member_code"] == first.code)]
    assert months["value"].tolist() == [6]


def test_region_budget_is_left_blank_when_only_some_members_have_one(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """One member with a budget, one without: the region's row showed the spend of both
    beside the one member's budget and variance (spend £6.8M, budget £3.2M, variance
    -£1.0M: no subtraction gives that). Its budget and variance are left blank, and the
    headline gives the budgeted member's own comparison."""
    first, second = two_members.members
    assert first.budget is not None
    region = Region("Pair", (first, Member(second.code, second.name, second.history)), None, None)
    result = _result(region, params, tmp_path)
    table = member_table(result)
    own = table.iloc[0]
    assert own["budget_gbp"] > 0 and pd.notna(own["budget_variance_gbp"])
    assert pd.isna(table["budget_gbp"].iloc[1])
    last = table.iloc[-1]
    assert last["spend_gbp"] == pytest.approx(table["spend_gbp"].iloc[:-1].sum())
    assert pd.isna(last["budget_gbp"]) and pd.isna(last["budget_variance_gbp"])
    variance = own["spend_gbp"] - own["budget_gbp"]
    text = " ".join(headline(result))
    assert (
        f"Budget: 1 of 2 members that ran gave one for their first financial year ({first.name})"
        in text
    )
    # the spend and variance from the simulated futures to three significant figures
    assert f"their spend {figures.money(own['spend_gbp'])} against" in text
    assert f"variance {figures.signed_money(variance)}." in text


def test_scenarios_side_by_side_add_the_same_members(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """A member that ran under the base but failed under a scenario: the region's columns
    side by side are left blank (the scenario's column left out the failed member while
    the base's kept it: 121.1 children beside 51.9, read as the scenario's effect)."""
    scenario = Path(__file__).resolve().parents[2] / "data/sample/scenarios/entries_up_20.toml"
    specs = scenario_specs([scenario])
    tasks = plan_member_tasks(two_members, specs, params, SEED, tmp_path, RUN_DATE)
    ran = [run_member(t) for t in tasks]
    assert all(isinstance(s, MemberSummary) for s in ran)
    first, second = two_members.members
    kept = tuple(s for s in ran if not (s.code == second.code and s.scenario != "base"))
    failed = MemberFailure(second.code, second.name, "entries_up_20", "a worker ran out of memory")
    keys = tuple(s.key for s in specs)
    result = RegionResult(two_members, keys, SEED, kept, (), None, (failed,))  # type: ignore[arg-type]
    side = scenario_table(result).set_index("code")
    base = next(c for c in side.columns if c.startswith("Base: children"))
    other = next(c for c in side.columns if c.endswith("children at the horizon") and c != base)
    assert pd.isna(side.loc[second.code, other])
    assert side.loc[first.code, other] > 0
    assert pd.isna(side.loc["region", base]) and pd.isna(side.loc["region", other])


def test_a_scenarios_budget_variance_is_its_own_and_labelled(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """Under a scenario, region.csv gave 'budget_variance_gbp' of the scenario's spend
    (-£696,467 for a member whose base case, the central projection, is -£968,632 against
    its budget), read by a finance user as the variance. Now the base case's variance is
    the only 'budget_variance_gbp' (the members table says 'base case'); a scenario's own
    is 'scenario_variance_gbp' and a column of its own under Scenarios, each checked
    against the members' spend files and budgets. A member's scenario runs on its base's
    seed, so the columns side by side differ by the scenario's effect alone."""
    from openpyxl import load_workbook

    from sufficiency.region.writers import write_region

    scenario = Path(__file__).resolve().parents[2] / "data/sample/scenarios/entries_up_20.toml"
    specs = scenario_specs([scenario])
    tasks = plan_member_tasks(two_members, specs, params, SEED, tmp_path, RUN_DATE)
    ran = tuple(run_member(t) for t in tasks)
    assert all(isinstance(s, MemberSummary) for s in ran)
    keys = tuple(s.key for s in specs)
    result = RegionResult(two_members, keys, SEED, ran, (), None, ())  # type: ignore[arg-type]
    expected: dict[tuple[str, str], float] = {}
    for m in two_members.members:
        assert m.budget is not None
        budget = pd.read_csv(m.budget)
        b = budget[(budget["financial_year"] == "2026-27") & (budget["cost_line"] == "all")]
        for key, name in (("base", "spend.csv"), ("entries_up_20", "spend_scenario.csv")):
            spend = pd.read_csv(tmp_path / "members" / m.code / key / "spend" / name)
            year = spend[(spend["financial_year"] == "2026-27") & (spend["cost_line"] == "all")]
            expected[(m.code, key)] = year["mean"].sum() - float(b["budget_gbp"].sum())
    long = long_table(result)
    variance = long[long["measure"].str.endswith("variance_gbp")]
    got = {(r.member_code, r.scenario): (r.measure, r.value) for r in variance.itertuples()}
    for (code, key), value in expected.items():
        measure = "budget_variance_gbp" if key == "base" else "scenario_variance_gbp"
        assert got[(code, key)][0] == measure
        assert got[(code, key)][1] == pytest.approx(value, abs=0.02)
    base_sum = sum(v for (c, k), v in expected.items() if k == "base")
    scen_sum = sum(v for (c, k), v in expected.items() if k != "base")
    assert got[("region", "base")] == ("budget_variance_gbp", pytest.approx(base_sum, abs=0.05))
    assert got[("region", "entries_up_20")] == (
        "scenario_variance_gbp",
        pytest.approx(scen_sum, abs=0.05),
    )
    side = scenario_table(result).set_index("code")
    # a member's base and scenario runs share its seed (as one forecast run with a scenario
    # does): with a seed of their own, the columns side by side differed by chance as well
    # as by the scenario (at 10 paths £272k between them against the scenario's £405k)
    spend_cols = [c for c in side.columns if c.endswith("spend in the first year (£)")]
    for m in two_members.members:
        runs = tmp_path / "members" / m.code
        base_spend = (runs / "base" / "spend" / "spend.csv").read_bytes()
        assert (runs / "entries_up_20" / "spend" / "spend.csv").read_bytes() == base_spend
        compared = pd.read_csv(runs / "entries_up_20" / "spend" / "scenario_comparison.csv")
        effect = compared[(compared["financial_year"] == "2026-27")
                          & (compared["cost_line"] == "all")]["difference"].iloc[0]  # fmt: skip
        gap = side.loc[m.code, spend_cols[1]] - side.loc[m.code, spend_cols[0]]
        assert gap == pytest.approx(effect, abs=0.05) and abs(effect) > 1000
    # the members table under a scenario has no base-case variance, the region's neither
    # (it said 0.0, the sum of none)
    under = member_table(result, "entries_up_20").set_index("code")
    assert under["budget_variance_gbp"].isna().all()
    assert under.loc["region", "budget_gbp"] == pytest.approx(sum(
        float(pd.read_csv(m.budget).query("financial_year == '2026-27' and cost_line == 'all'")
              ["budget_gbp"].sum()) for m in two_members.members if m.budget))  # fmt: skip
    own = [c for c in side.columns if c.endswith("variance, its spend - budget (£)")]
    assert own[0].startswith("Base: ") and len(own) == 2
    assert side.loc["region", own[0]] == pytest.approx(base_sum, abs=0.05)
    assert side.loc["region", own[1]] == pytest.approx(scen_sum, abs=0.05)
    write_region(result, tmp_path)
    summary = load_workbook(tmp_path / "region.xlsx")["Summary"]
    cells = {c.value for row in summary.iter_rows() for c in row}
    assert "Variance, base case (spend - budget, £)" in cells
    html = (tmp_path / "region.html").read_text(encoding="utf-8")
    assert "Each scenario's variance is its own projected spend less the budget" in html


def test_placements_to_find_say_the_months_of_a_horizon_under_a_year(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """With --horizon-months 6, the members table said 'Placements to find in the first
    year' over six months' placements (25.1 for a member, the sum of its six months in
    starts.csv), a part-year count read as a year's. Its header now names the months, and
    region.csv gives starts_months beside starts_first_year."""
    from openpyxl import load_workbook

    from sufficiency.region.writers import write_region

    six = params.model_copy(update={"forecast": params.forecast.model_copy(
        update={"horizon_months": 6})})  # fmt: skip
    region = Region("One", two_members.members[:1], None, None)
    result = _result(region, six, tmp_path)
    (summary,) = result.members
    starts = pd.read_csv(tmp_path / "members" / summary.code / "base" / "forecast" / "starts.csv")
    every = starts[starts["category"] == "all"]
    assert every["month"].nunique() == 6
    assert summary.starts_first_year == pytest.approx(every["mean"].sum(), abs=0.01)
    write_region(result, tmp_path)
    cells = {c.value for row in load_workbook(tmp_path / "region.xlsx")["Summary"].iter_rows()
             for c in row}  # fmt: skip
    assert "Placements to find in the first 6 months" in cells
    assert "Placements to find in the first year" not in cells
    html = (tmp_path / "region.html").read_text(encoding="utf-8")
    assert "Placements to find in the first 6 months" in html
    long = pd.read_csv(tmp_path / "region.csv")
    months = long[long["measure"] == "starts_months"]
    assert months["value"].tolist() == [6, 6]  # the member's and the region's


def test_region_scores_each_members_placement_starts_in_its_backtest(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """The backtest scored the children in care only; commissioners plan recruitment on
    placement starts. Each member's backtest now scores its placement starts over the
    twelve months after the cutoff, and the members table and region.csv carry the error
    and whether the actual fell inside P10-P90. The actual is counted here from the
    member's own 903 files (its episodes starting a period of care or a new placement,
    RNE S, P or B: these synthetic returns have no recodings), the region's error is the
    members' absolute errors over their actual starts."""
    result = _result(two_members, params, tmp_path)
    errors = []
    for m, s in zip(two_members.members, result.members, strict=True):
        eps = pd.concat(
            pd.read_csv(f, dtype=str) for f in sorted(m.history.glob("*/episodes.csv"))
        ).drop_duplicates(["CHILD", "DECOM"])
        start = pd.to_datetime(eps["DECOM"], dayfirst=True)
        window = (start > "2025-03-31") & (start <= "2026-03-31")
        actual = int((window & eps["RNE"].isin(["S", "P", "B"])).sum())
        assert s.backtest_cutoff == "2025-03-31" and s.backtest_starts_actual == actual
        own = pd.read_csv(
            tmp_path / "members" / m.code / "base" / "forecast" / "backtest_starts.csv"
        )
        row = own[own["flow"] == "placement_starts"].iloc[0]
        assert s.backtest_starts_ape_pct == pytest.approx(
            100 * abs(row["forecast"] - actual) / actual, abs=0.01
        )
        assert s.backtest_starts_inside == (row["p10"] <= actual <= row["p90"])
        errors.append((abs(row["forecast"] - actual), actual))
    table = member_table(result)
    assert table["backtest_starts_inside"].iloc[:-1].isin(["Yes", "No"]).all()
    assert table["backtest_starts_ape_pct"].iloc[-1] == pytest.approx(
        100 * sum(e for e, _ in errors) / sum(a for _, a in errors), abs=0.01
    )
    long = long_table(result)
    measures = set(long.loc[long["member_code"] != "region", "measure"])
    assert {
        "backtest_starts_ape_pct",
        "backtest_starts_inside",
        "backtest_starts_actual",
    } <= measures


def test_an_in_year_members_budget_is_set_against_its_outturn_in_the_region_table(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """Before: a member whose history ends on 30/09/2025 with a budget for 2025-26 had, in
    the region's table, its six forecast months as its spend and its budget left blank
    (with a note), while its own spend outputs set the budget against its outturn. Now the
    region's row is its outturn, budget and variance, as budget_comparison.csv gives them,
    labelled so; a member beside it without a budget (six months alone) is not added to
    it: the region's spend total is left blank and the headline says why."""
    first, second = two_members.members
    history = _in_year_extract(first.history, tmp_path / "extract", "2025-09-30")
    budget = tmp_path / "budget.csv"
    budget.write_text("financial_year,cost_line,budget_gbp\n2025-26,all,5000000\n")
    other = _in_year_extract(second.history, tmp_path / "extract2", "2025-09-30")
    region = Region(
        "Pair",
        (
            Member(first.code, first.name, history, budget=budget),
            Member(second.code, second.name, other, budget=None),
        ),
        None,
        None,
    )
    result = _result(region, params, tmp_path / "out")
    spend = tmp_path / "out" / "members" / first.code / "base" / "spend"
    row = pd.read_csv(spend / "budget_comparison.csv").iloc[0]
    assert row["basis"].startswith("outturn") and row["months"] == 6
    table = member_table(result).set_index("code")
    mine = table.loc[first.code]
    assert mine["spend_gbp"] == pytest.approx(row["mean"], abs=0.01)
    assert mine["budget_gbp"] == 5_000_000
    assert mine["budget_variance_gbp"] == pytest.approx(row["mean"] - 5_000_000, abs=0.01)
    assert mine["financial_year"] == "2025-26 (outturn: spend to date + 6 months)"
    years = pd.read_csv(spend / "spend_years.csv")
    rest = years[(years["financial_year"] == "2025-26") & (years["cost_line"] == "all")]
    assert mine["spend_gbp"] == pytest.approx(
        float(rest["mean"].iloc[0]) + row["spend_to_date_estimated_gbp"], abs=0.02
    )
    assert table.loc[second.code, "financial_year"] == "2025-26 (6 months)"
    last = table.loc["region"]
    assert pd.isna(last["spend_gbp"]) and pd.isna(last["budget_gbp"])
    assert "different spans" in last["status"]
    text = " ".join(headline(result))
    assert "first-year spend covers different spans (2025-26 (outturn" in text
    assert "Projected placement spend in" not in text
    long = long_table(result)
    to_date = long[(long["member_code"] == first.code) & (long["measure"] == "spend_to_date_gbp")]
    assert to_date["value"].tolist() == [pytest.approx(row["spend_to_date_estimated_gbp"])]
    (summary,) = [s for s in result.members if s.code == first.code]
    (said,) = [w for w in summary.warnings
               if "is its forecast outturn, as in the member's spend outputs" in w]  # fmt: skip
    # the forecast months' mean from the simulated futures to three significant figures
    # (it read '(mean £3,353,402)'); the spend to date, estimated from the 903, as it is
    mean = float(rest["mean"].iloc[0])
    assert said.endswith(f"(mean {figures.money(mean)})"), said


def test_a_member_s_history_over_a_year_before_the_run_date_is_said(
    two_members: Region, params: Any, tmp_path: Path
) -> None:
    """A region run on 1 June 2027 on histories to 31/03/2026: each member's forecast gave
    its months already past as a forecast with no word (only its spend's year said): the
    member's forecast says it once, in the member's warnings (Read with care)."""
    member = Region("One", two_members.members[:1], None, two_members.source)
    late = dt.date(2027, 6, 1)
    (task,) = plan_member_tasks(member, scenario_specs([]), params, SEED, tmp_path, late)
    summary = run_member(task)
    assert isinstance(summary, MemberSummary), summary
    said = [w for w in summary.warnings if "more than a year before the run date" in w]
    assert said == [
        "The forecast starts on 31 March 2026 (the 903 history's last day used), more than a "
        "year before the run date 1 June 2027: the children looked after 'now' are those on "
        "31 March 2026, and the forecast's months to 31 May 2027 are already past, forecast "
        "rather than counted; load the latest 903 return."
    ]
    page = tmp_path / "members" / summary.code / "base" / "forecast" / "assumptions.csv"
    assert said[0] in page.read_text(encoding="utf-8")
