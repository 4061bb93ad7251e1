"""In-year outturn: a budget year the forecast starts inside is compared as spend to date
(estimated from the 903 history) plus the forecast for the rest of the year."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency.config import DEFAULT_WEEKLY_COSTS, FinanceParams, ForecastParams
from sufficiency.errors import DataWarning
from sufficiency.figures import chance, money, signed_money
from sufficiency.finance.pence import budget_words
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.finance.run import run_spend
from sufficiency.finance.summaries import OUTTURN, WHOLE_YEAR
from sufficiency.finance.writers import write_spend_outputs
from sufficiency.forecast.run import forecast_history
from sufficiency.prices import price_index, prices_before

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
START = pd.Timestamp("2025-09-30")
BUDGET = pd.DataFrame({"financial_year": ["2025-26", "2025-26", "2026-27"],
                       "cost_line": ["all", "ifa_foster", "all"],
                       "budget_gbp": [7.0e7, 1.05e7, 7.4e7]})  # fmt: skip
_TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}


def _category(place: str, provider: str) -> str | None:
    """The forecast category of a 903 placement, written out again from the codes."""
    ext = provider in ("PR4", "PR5")
    table = {**dict.fromkeys(["U1", "U2", "U3", "Q1"], "kinship_foster"),
             **dict.fromkeys(["U4", "U5", "U6", "Q2"],
                             "ifa_foster" if ext else "in_house_foster"),
             **dict.fromkeys(["K2", "R1"],
                             "external_residential" if ext else "in_house_residential"),
             "K1": "secure", **dict.fromkeys(["H5", "K3", "P2"], "supported"),
             "P1": "with_parents", **dict.fromkeys(["A3", "A4", "A5", "A6"],
                                                   "placed_for_adoption")}  # fmt: skip
    if place in _TEMPORARY:
        return None
    if place == "S1" and ext:
        return "external_residential"
    return table.get(place, "other")


def _spend_to_date_by_hand(folder: Path, first: pd.Timestamp, last: pd.Timestamp) -> dict:
    """Child-days by category from the episodes x weekly cost / 7 (prices flat: the uplift
    is on 1 April, the year's first day), with pandas alone."""
    eps, hdr = [], []
    for year in sorted(folder.iterdir()):
        eps.append(pd.read_csv(year / "episodes.csv", dtype=str).assign(y=int(year.name)))
        hdr.append(pd.read_csv(year / "header.csv", dtype=str).assign(y=int(year.name)))
    e = pd.concat(eps).sort_values("y").drop_duplicates(["CHILD", "DECOM"], keep="last")
    h = pd.concat(hdr).sort_values("y").drop_duplicates("CHILD", keep="last")
    e = e[~e["LS"].isin(["V3", "V4"])].assign(
        start=pd.to_datetime(e["DECOM"], dayfirst=True), end=pd.to_datetime(e["DEC"], dayfirst=True)
    )
    e = e.sort_values(["CHILD", "start"])
    e["cat"] = [_category(str(p).upper(), str(q).upper())
                for p, q in zip(e["PLACE"], e["PLACE_PROVIDER"], strict=True)]  # fmt: skip
    e["cat"] = e.groupby("CHILD")["cat"].ffill()
    e = e.merge(h[["CHILD", "DOB"]], on="CHILD")
    e["adult"] = pd.to_datetime(e["DOB"], dayfirst=True) + pd.DateOffset(years=18)
    out: dict[str, float] = {}
    for d in pd.date_range(first, last):
        live = e[(e["start"] <= d) & (e["end"].isna() | (e["end"] > d)) & (d < e["adult"])]
        for cat, n in live["cat"].value_counts().items():
            out[cat] = out.get(cat, 0.0) + n * DEFAULT_WEEKLY_COSTS[cat] / 7
    return out


#: How far a six months' total may be from the same sum worked out unrounded: each month's
#: spend on a line is rounded to the penny once and totals add the pence (finance.pence),
#: so half a penny for each of a line's six months, or each of 6 months x 10 lines.
LINE_PENCE, ALL_PENCE = 0.005 * 6 + 1e-6, 0.005 * 60 + 1e-6


def _which(variance: float) -> str:
    return "an overspend" if variance > 0 else "an underspend"


def _params() -> ForecastParams:
    return ForecastParams(num_paths=60, horizon_months=18, seed=5)


@pytest.fixture(scope="module")
def in_year():
    """The sample forecast from 30/09/2025 (2025-26 cut mid-year), against a budget."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_spend(SAMPLE, _params(), FinanceParams(), costs=default_costs(FinanceParams()),
                         run_date=dt.date(2026, 1, 1), budget=BUDGET, start=START)  # fmt: skip


def test_in_year_budget_year_is_compared_as_its_outturn(in_year):
    """Before: 2025-26 was set aside ('the forecast covers only part of it') and finance had
    no outturn. Now it is spend to date (1 April to 30 September 2025, estimated from the
    903 history) plus the forecast's six months, against the whole year's budget."""
    b = in_year.budget.set_index(["financial_year", "cost_line"])
    row = b.loc[("2025-26", "all")]
    assert row["basis"] == OUTTURN and row["months"] == 6
    by_hand = _spend_to_date_by_hand(SAMPLE, pd.Timestamp("2025-04-01"), START)
    assert row["spend_to_date_estimated_gbp"] == pytest.approx(sum(by_hand.values()), abs=ALL_PENCE)
    assert b.loc[("2025-26", "ifa_foster"), "spend_to_date_estimated_gbp"] == pytest.approx(
        by_hand["ifa_foster"], abs=LINE_PENCE
    )
    # the fixed part shifts every path: outturn = to date + the rest's mean and percentiles
    rest = in_year.yearly.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    assert row["rest_of_year_mean_gbp"] == pytest.approx(rest["mean"], abs=0.01)
    for k in ("mean", "p10", "p50", "p90"):
        assert row[k] == pytest.approx(rest[k] + row["spend_to_date_estimated_gbp"], abs=0.02)
    assert row["variance_gbp"] == pytest.approx(row["mean"] - 7.0e7, abs=0.01)
    paths = in_year.report.base.total()[:, :6].sum(axis=1) + row["spend_to_date_estimated_gbp"]
    assert row["prob_overspend"] == pytest.approx(np.mean(paths > 7.0e7), abs=1e-4)
    whole = b.loc[("2026-27", "all")]
    assert whole["basis"] == WHOLE_YEAR and whole["spend_to_date_estimated_gbp"] == 0
    assert whole["rest_of_year_mean_gbp"] == whole["mean"]


def test_outturn_said_to_be_estimated_everywhere(in_year, tmp_path):
    """The console, Summary, Budget and Assumptions sheets say the spend to date is
    estimated from the 903 history at the unit costs, not the ledger's actuals."""
    assert "2025-26 forecast outturn £" in in_year.headline
    assert "ESTIMATED from the 903 history" in in_year.headline
    assert "not the ledger's actuals" in in_year.headline
    in_year.write(tmp_path)
    wb = load_workbook(tmp_path / "spend.xlsx")
    summary = wb["Summary"]
    assert summary["A5"].value == "2025-26 (current, outturn)"
    row = in_year.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    assert summary["C5"].value == pytest.approx(row["mean"])
    assert summary["F5"].value == pytest.approx(7.0e7)
    assert "ESTIMATED from the 903 history" in summary["A8"].value
    budget = [c for r in wb["Budget"].iter_rows(values_only=True) for c in r if c]
    assert any(isinstance(c, str) and "not the ledger's actuals" in c for c in budget)
    said = dict(in_year.report.assumptions)["Budget 2025-26"]
    assert said.startswith("compared as its forecast outturn: spend to date £")
    assert "1 April 2025 to 30 September 2025" in said
    monthly = list(wb["Monthly"].iter_rows(values_only=True))
    profile = monthly[0].index("Cumulative budget (straight-line)")  # the outturn year's from April
    assert [r[0] for r in monthly[1:8]] == [f"2025-{m:02d} history" for m in range(4, 10)] + [
        "2025-10"
    ]
    assert [r[profile] for r in monthly[1:13]] == pytest.approx([7.0e7 * k / 12 for k in
                                                                  range(1, 13)])  # fmt: skip
    assert monthly[13][profile] == pytest.approx(7.4e7 / 12)
    csv = pd.read_csv(tmp_path / "budget_comparison.csv")
    assert list(csv.columns[-3:]) == ["spend_to_date_estimated_gbp", "rest_of_year_mean_gbp",
                                      "basis"]  # fmt: skip


def test_in_year_extract_compared_as_its_outturn(tmp_path):
    """An in-year extract (the 2025-26 return cut at 30/09/2025) gives the same outturn."""
    folder = tmp_path / "ssda903"
    shutil.copytree(SAMPLE, folder)
    path = folder / "2026" / "episodes.csv"
    e = pd.read_csv(path, dtype=str)
    start, end = (pd.to_datetime(e[c], dayfirst=True) for c in ("DECOM", "DEC"))
    e = e[start <= START].copy()
    e.loc[(end > START)[start <= START], ["DEC", "REC", "REASON_PLACE_CHANGE"]] = np.nan
    e.to_csv(path, index=False)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = run_spend(folder, _params(), FinanceParams(),
                           costs=default_costs(FinanceParams()), run_date=dt.date(2026, 1, 1),
                           budget=BUDGET)  # fmt: skip
    assert not [w for w in said if "set aside" in str(w.message)]
    row = result.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    by_hand = _spend_to_date_by_hand(folder, pd.Timestamp("2025-04-01"), START)
    assert row["spend_to_date_estimated_gbp"] == pytest.approx(sum(by_hand.values()), abs=ALL_PENCE)


def test_year_starting_at_the_forecast_start_has_no_spend_to_date():
    """A year the forecast starts the day before is compared as before: no spend to date,
    every figure the whole-year comparison's (with the history's spells or without)."""
    run = forecast_history(SAMPLE, _params(), pd.Timestamp("2025-03-31"))
    budget = pd.DataFrame({"financial_year": ["2025-26"], "cost_line": ["all"],
                           "budget_gbp": [7.0e7]})  # fmt: skip
    kw = {"costs": default_costs(FinanceParams()), "run_date": dt.date(2026, 1, 1),
          "budget": budget}  # fmt: skip
    with_care = spend_report(run.base, FinanceParams(), care=run.fitted.care, **kw).budget
    without = spend_report(run.base, FinanceParams(), **kw).budget
    pd.testing.assert_frame_equal(with_care, without)
    assert with_care["spend_to_date_estimated_gbp"].tolist() == [0.0]
    assert with_care["basis"].tolist() == [WHOLE_YEAR]


def test_year_cut_at_the_horizon_end_is_still_set_aside():
    """A year the forecast stops inside is set aside, as before."""
    run = forecast_history(SAMPLE, _params(), START)  # to 31 March 2027: 2027-28 not reached
    short = ForecastParams(num_paths=20, horizon_months=12, seed=5)
    base = run.fitted.simulate(params=short)  # to 30 September 2026
    budget = pd.DataFrame({"financial_year": ["2025-26", "2026-27"], "cost_line": ["all"] * 2,
                           "budget_gbp": [7.0e7, 7.4e7]})  # fmt: skip
    with pytest.warns(DataWarning, match="budget year 2026-27 is set aside"):
        report = spend_report(base, FinanceParams(), costs=default_costs(FinanceParams()),
                              run_date=dt.date(2026, 1, 1), budget=budget,
                              care=run.fitted.care)  # fmt: skip
    assert report.budget["financial_year"].tolist() == ["2025-26"]
    assert report.budget["basis"].tolist() == [OUTTURN]


def test_prices_before_the_start_carry_the_index_back():
    """1.0 from the last uplift to the start, one uplift lower before it; the same scale as
    the projection's index after the start."""
    days = pd.date_range("2025-05-30", "2025-06-02")
    got = prices_before(days, pd.Timestamp("2025-06-02"), 0.05, 6, 1)
    assert got.tolist() == pytest.approx([1 / 1.05, 1 / 1.05, 1.0, 1.0])
    after = price_index(pd.DatetimeIndex(["2025-06-02", "2025-06-30"]), 0.05, 6, 1)
    assert after.tolist() == [1.0]


def test_year_begun_before_the_history_is_set_aside_saying_why():
    """A history that begins after the year's first day cannot give its spend to date: the
    year is set aside (not compared as a part year), with a warning saying why."""
    run = forecast_history(SAMPLE, _params(), START)
    care = replace(run.fitted.care, data_start=pd.Timestamp("2025-06-01"))
    with pytest.warns(
        DataWarning,
        match="2025-26 is set aside: the forecast starts inside it "
        r"\(1 October 2025 to 31 March 2026\) .*history begins on 1 June 2025",
    ):
        report = spend_report(run.base, FinanceParams(), costs=default_costs(FinanceParams()),
                              run_date=dt.date(2026, 1, 1), budget=BUDGET, care=care)  # fmt: skip
    assert report.budget["financial_year"].tolist() == ["2026-27"]
    assert dict(report.assumptions)["Budget 2025-26"].startswith("set aside")


def test_scenario_block_sets_no_budget_against_the_part_years_months(tmp_path):
    """The Summary's scenario block once set an outturn year's budget beside the scenario's
    forecast months alone (a £35m underspend with no chance of overspending); then left it
    blank. It now sets it against the scenario's outturn: the same spend to date plus the
    scenario's months (here the base's own paths, so the base's outturn)."""
    from sufficiency.finance.writers import write_spend_outputs

    run = forecast_history(SAMPLE, _params(), START)
    scen = replace(run.base, scenario="Same")
    report = spend_report(run.base, FinanceParams(), costs=default_costs(FinanceParams()),
                          run_date=dt.date(2026, 1, 1), budget=BUDGET, scenario=scen,
                          care=run.fitted.care)  # fmt: skip
    write_spend_outputs(report, tmp_path, dt.date(2026, 1, 1))
    rows = list(load_workbook(tmp_path / "spend.xlsx")["Summary"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Scenario: "))
    part, whole = rows[top + 2], rows[top + 3]
    outturn = report.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    assert part[0] == "2025-26 (outturn)" and part[5] == 7.0e7
    assert part[2] == part[3] == pytest.approx(outturn["mean"])
    assert part[7] == pytest.approx(outturn["prob_overspend"])
    assert whole[0] == "2026-27" and whole[5] == 7.4e7


def _placement_began(folder: Path, child: str, day: pd.Timestamp) -> pd.Timestamp:
    """The first day of ``child``'s placement on ``day``, from the episodes with pandas:
    the last episode up to it, in the same unbroken run, that began a placement (RNE S, P
    or B); a change of legal status (L) or of episode only (T, U) does not."""
    e = pd.concat(pd.read_csv(y / "episodes.csv", dtype=str) for y in sorted(folder.iterdir()))
    e = e[e["CHILD"] == child].drop_duplicates("DECOM")
    e = e.assign(s=pd.to_datetime(e["DECOM"], dayfirst=True)).sort_values("s")
    e = e[e["s"] <= day]
    began = e[e["RNE"].isin(["S", "P", "B"])]
    return pd.Timestamp(began["s"].iloc[-1])


def test_spend_to_date_prices_the_cost_files_current_placements_at_their_cost(tmp_path):
    """Before: with a cost file listing today's placements, the spend to date still priced
    every child at the unit cost (£820 a week in IFA foster care), the console and basis
    said 'at the unit costs'. Now a child it lists, in care in that cost line at the
    forecast start, is priced at their own weekly cost from the first day of their current
    placement (a change of legal status does not start one), the unit cost before it; a
    child listed but not in care then, or in another cost line, changes nothing."""
    from sufficiency.finance.inputs import costs_for_run
    from sufficiency.finance.summaries import OUTTURN_ACTUAL
    from sufficiency.forecast import CATEGORIES

    listed = {
        "141260": 2000.0,  # IFA, placed 13/05/2025: actual from then
        "103514": 2100.0,  # IFA since 2018: actual all year
        "160509": 2200.0,  # IFA from 04/03/2025, legal status changed 25/06/2025
        "102575": 2300.0,  # left care before the forecast start
    }
    rows = [
        *(f"ifa_foster,{w},{c}" for c, w in listed.items()),
        "external_residential,9999,109561",  # in IFA foster care in the history
        f"ifa_foster,{DEFAULT_WEEKLY_COSTS['ifa_foster']},",
        f"external_residential,{DEFAULT_WEEKLY_COSTS['external_residential']},",
    ]
    path = tmp_path / "costs.csv"
    path.write_text("category,weekly_cost,child_id\n" + "\n".join(rows) + "\n")
    costs, actual, _ = costs_for_run(path, CATEGORIES, default_costs(FinanceParams()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_spend(SAMPLE, _params(), FinanceParams(), costs=costs,
                           actual_weekly_gbp=actual, run_date=dt.date(2026, 1, 1),
                           budget=BUDGET, start=START)  # fmt: skip
    b = result.budget.set_index(["financial_year", "cost_line"])
    first = pd.Timestamp("2025-04-01")
    by_hand = _spend_to_date_by_hand(SAMPLE, first, START)  # every child at the unit cost
    unit = DEFAULT_WEEKLY_COSTS["ifa_foster"]
    extra = 0.0
    for child in ("141260", "103514", "160509"):
        since = max(first, _placement_began(SAMPLE, child, START))
        extra += (listed[child] - unit) * ((START - since).days + 1) / 7
    assert _placement_began(SAMPLE, "160509", START) == pd.Timestamp("2025-03-04")
    assert b.loc[("2025-26", "ifa_foster"), "spend_to_date_estimated_gbp"] == pytest.approx(
        by_hand["ifa_foster"] + extra, abs=LINE_PENCE
    )
    assert b.loc[("2025-26", "all"), "spend_to_date_estimated_gbp"] == pytest.approx(
        sum(by_hand.values()) + extra, abs=ALL_PENCE
    )
    assert b.loc[("2025-26", "all"), "basis"] == OUTTURN_ACTUAL
    assert b.loc[("2026-27", "all"), "basis"] == WHOLE_YEAR
    assert "actual weekly cost from the start of their current placement" in result.headline
    said = dict(result.report.assumptions)["Budget 2025-26"]
    assert "3 placements of the cost file at their actual weekly cost; 2 it lists" in said
    result.write(tmp_path / "out")
    csv = pd.read_csv(tmp_path / "out" / "budget_comparison.csv")
    assert csv.loc[csv["cost_line"] == "ifa_foster", "spend_to_date_estimated_gbp"].iloc[0] == (
        pytest.approx(by_hand["ifa_foster"] + extra, abs=LINE_PENCE)
    )
    wb = load_workbook(tmp_path / "out" / "spend.xlsx")
    assert "actual weekly cost" in wb["Summary"]["A8"].value
    budget = [c for r in wb["Budget"].iter_rows(values_only=True) for c in r if c]
    assert OUTTURN_ACTUAL in budget


def test_cost_lines_only_budget_has_its_outturn_said_on_the_console(tmp_path):
    """Before: a budget giving cost lines only (no 'all' line) had its outturn on the
    Budget sheet and in budget_comparison.csv, and not a word of it on the console. Now
    the console gives each line's outturn, variance and probability of overspend, as the
    Budget sheet shows them, with the lines' spend to date."""
    budget = pd.DataFrame({"financial_year": ["2025-26", "2025-26", "2026-27"],
                           "cost_line": ["ifa_foster", "external_residential", "ifa_foster"],
                           "budget_gbp": [1.05e7, 3.0e7, 1.1e7]})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_spend(SAMPLE, _params(), FinanceParams(),
                           costs=default_costs(FinanceParams()), run_date=dt.date(2026, 1, 1),
                           budget=budget, start=START)  # fmt: skip
    result.write(tmp_path)
    rows = list(load_workbook(tmp_path / "spend.xlsx")["Budget"].iter_rows(values_only=True))
    head = rows[0]
    sheet = {r[head.index("Cost line")]: r for r in rows[1:3]}
    said = result.headline
    assert "2025-26 forecast outturn on the budget's cost lines" in said
    for label in ("IFA foster care", "External residential"):
        r = sheet[next(k for k in sheet if k.startswith(label[:8]))]
        mean, bud = r[head.index("Projected (mean)")], r[head.index("Budget (£)")]
        prob = r[head.index("Probability of overspend")]
        var = mean - bud
        p10, p90 = r[head.index("P10")], r[head.index("P90")]
        # the futures' figures to three significant figures, the budget as given
        assert (f"{money(mean)} (P10 {money(p10, like=p90)}, P90 {money(p90, like=p10)}) "
                f"against {budget_words(bud)}: variance {signed_money(var)} ({_which(var)}: "
                f"projected spend - budget), probability of overspend "
                f"{chance(prob)}") in said  # fmt: skip
    to_date = sum(r[head.index(next(h for h in head if h.startswith("Spend to date")))]
                  for r in sheet.values())  # fmt: skip
    assert f"spend to date on those lines of {money(to_date)}" in said
    assert "2026-27 forecast outturn" not in said  # a whole year is not an outturn
    # the Summary's row is the year's outturn, as the headline's first words give it, with
    # no budget beside it (the budget has none for all placements), said so
    summary = load_workbook(tmp_path / "spend.xlsx")["Summary"]
    assert summary["A5"].value == "2025-26 (current, outturn)" and summary["F5"].value is None
    outturn = money(summary["C5"].value)
    assert said.startswith(f"Projected placement spend 2025-26 outturn {outturn}")
    assert summary["A8"].value.startswith("2025-26 is its forecast outturn: spend to date £")
    assert "The budget gives cost lines only (no whole placements line 'all'), so this row has " \
        "no budget" in summary["A8"].value  # fmt: skip


def test_scenarios_outturn_is_its_spend_to_date_plus_its_own_months(tmp_path):
    """Before: with a scenario, the in-year year's scenario row in the Summary set the
    scenario's six forecast months beside the base's, its budget, variance and probability
    of overspend blank, and the console gave the scenario's six months only. Now the
    scenario's outturn is the same spend to date plus its own months, against the year's
    budget, in the Summary, scenario_budget_comparison.csv and the console alike."""
    from sufficiency.forecast import load_scenario

    scenario = load_scenario(SAMPLE.parent / "scenarios" / "entries_up_20.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_spend(SAMPLE, _params(), FinanceParams(),
                           costs=default_costs(FinanceParams()), run_date=dt.date(2026, 1, 1),
                           budget=BUDGET, start=START, scenario=scenario)  # fmt: skip
    base = result.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    fixed = base["spend_to_date_estimated_gbp"]
    paths = result.report.scenario.total()[:, :6].sum(axis=1) + fixed  # Oct-Mar, by hand
    mean, prob = paths.mean(), np.mean(paths > 7.0e7)
    assert mean > base["mean"] + 1000  # more children: the scenario's outturn is higher
    result.write(tmp_path)
    csv = pd.read_csv(tmp_path / "scenario_budget_comparison.csv")
    row = csv[(csv["financial_year"] == "2025-26") & (csv["cost_line"] == "all")].iloc[0]
    assert row["mean"] == pytest.approx(mean, abs=ALL_PENCE)
    assert row["prob_overspend"] == pytest.approx(prob, abs=1e-4)
    assert row["spend_to_date_estimated_gbp"] == pytest.approx(fixed, abs=0.01)
    assert row["basis"] == OUTTURN and row["scenario"] == scenario.name
    rows = list(load_workbook(tmp_path / "spend.xlsx")["Summary"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Scenario: "))
    part, whole = rows[top + 2], rows[top + 3]
    assert part[0] == "2025-26 (outturn)" and part[1] == 6
    assert part[2] == pytest.approx(base["mean"]) and part[3] == pytest.approx(mean, abs=ALL_PENCE)
    assert part[5] == 7.0e7 and part[7] == pytest.approx(prob, abs=1e-4)
    assert "(outturn) is its forecast outturn in both cases" in rows[top + 4][0]
    assert whole[0] == "2026-27" and whole[5] == 7.4e7
    said = result.headline
    assert f"Scenario '{scenario.name}': 2025-26 forecast outturn {money(mean)}" in said
    assert f"probability of overspend {chance(prob)}" in said


def test_run_rate_leaves_out_the_cost_files_children_not_in_care_at_the_start(tmp_path):
    """Before: a cost file listing a child who had left care (and one the history has in
    another cost line) put their weekly cost in today's run-rate in place of a child in
    care (priced by count per cost line: 'the actual weekly cost of the 5 placements in
    its cost file'), silently. Now the run-rate is the listed children in care in that
    cost line at the forecast start at their own cost, every other child at the unit
    cost, and the others listed are named by number in a warning and under Read with care."""
    from sufficiency.finance.inputs import costs_for_run
    from sufficiency.forecast import CATEGORIES

    rows = ["ifa_foster,2000,141260", "ifa_foster,2100,103514",
            "ifa_foster,2300,102575",  # left care before the forecast start
            "external_residential,9999,109561",  # in IFA foster care in the history
            "ifa_foster,5000,NOT-IN-HISTORY",
            f"ifa_foster,{DEFAULT_WEEKLY_COSTS['ifa_foster']},",
            f"external_residential,{DEFAULT_WEEKLY_COSTS['external_residential']},"]  # fmt: skip
    path = tmp_path / "costs.csv"
    path.write_text("category,weekly_cost,child_id\n" + "\n".join(rows) + "\n")
    costs, actual, _ = costs_for_run(path, CATEGORIES, default_costs(FinanceParams()))
    with pytest.warns(DataWarning, match="3 placements of the 5 it lists are not a child"):
        result = run_spend(SAMPLE, _params(), FinanceParams(), costs=costs,
                           actual_weekly_gbp=actual, run_date=dt.date(2026, 1, 1),
                           start=START)  # fmt: skip
    # today's children at the unit costs, by hand, then the two listed at their own cost
    day = _spend_to_date_by_hand(SAMPLE, START, START)  # one day's cost at unit costs
    weekly = 7 * sum(day.values()) + (2000 + 2100) - 2 * DEFAULT_WEEKLY_COSTS["ifa_foster"]
    rec = result.report.reconciliation
    assert rec["run_rate_gbp"] == pytest.approx(weekly * 31 / 7, abs=0.01)  # October
    assert "the 2 placements in its cost file" in rec["run_rate_basis"]
    notes = [v for k, v in result.report.assumptions if k == "Read with care"]
    assert any("3 placements of the 5 it lists" in n for n in notes)


def test_a_whole_year_s_budget_is_said_on_the_console(in_year):
    """A year the forecast covers whole, with a whole placements budget: the console gave
    its projection but not a word of the budget beside it (the outturn year had its own
    sentence); now its budget, variance and probability of overspend, as the CSV has them."""
    row = in_year.budget.set_index(["financial_year", "cost_line"]).loc[("2026-27", "all")]
    assert row["basis"] == WHOLE_YEAR
    var = row["variance_gbp"]
    said = (f"12 months; budget £74.0m, variance {signed_money(var)} ({_which(var)}: "
            f"projected spend - budget), probability of overspend "
            f"{chance(row['prob_overspend'])})")  # fmt: skip
    assert said in in_year.headline
    # the outturn year's budget is said once, in its own sentence, not beside its six months
    assert "6 months; budget" not in in_year.headline


def test_a_year_over_before_the_run_date_is_said_to_be_projected():
    """A nightly job left on last year's 903 return (data to 31/03/2026) run on 1 June 2027
    said 'Projected placement spend 2026-27', a year already over, with no word."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = forecast_history(SAMPLE, ForecastParams(num_paths=20, horizon_months=12, seed=5))
    costs = default_costs(FinanceParams())

    def notes(day: dt.date) -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            spend_report(run.base, FinanceParams(), costs=costs, run_date=day)
        return [str(w.message) for w in caught if "is over" in str(w.message)]

    assert notes(dt.date(2027, 3, 31)) == []
    assert notes(dt.date(2027, 4, 1)) == [
        "The forecast starts on 31 March 2026 but the run date is 1 April 2027: 2026-27 is over, "
        "yet its spend here is projected, not counted; load the latest 903 return"
    ]


def test_an_in_year_extract_is_read_with_care_in_the_workbook(tmp_path):
    """A history whose latest return is an in-year extract says so under Read with care and
    on the Summary's first line (before: only the Data quality sheet, the workbook's last,
    said it)."""
    from messy903 import in_year_extract

    history = in_year_extract(tmp_path / "extract").path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_spend(history, _params(), FinanceParams(), run_date=dt.date(2026, 1, 15),
                           costs=default_costs(FinanceParams()))  # fmt: skip
    notes = [v for k, v in result.report.assumptions if k == "Read with care"]
    assert notes[0] == (
        "The 2025-26 return is an in-year extract, with data only to 31 December 2025: the "
        "forecast starts on that day, from the children looked after then."
    ), notes
    result.write(tmp_path / "out")
    said = load_workbook(tmp_path / "out" / "spend.xlsx")["Summary"]["A2"].value
    assert said.startswith("Data to 31 December 2025 (2025-26 an in-year extract); run "), said
    assert said.endswith(
        "all figures GBP; weekly costs taken as 2025-26 prices (the financial "
        "year the forecast begins in; [finance] costs_price_year names "
        "another). Read with care: see the Assumptions sheet."
    ), said


def test_a_year_forecast_from_part_way_says_where_its_cumulative_line_starts(tmp_path):
    """The Cumulative sheet's note said every line runs 'from the first month of that year',
    but 2025-26's, forecast from October, starts there at zero: a reader set it against
    spend since April. The note now says which year starts late, and from which month
    (here a report priced without the history's spells, which has no months to date)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = forecast_history(SAMPLE, _params(), START).base
    report = spend_report(base, FinanceParams(), costs=default_costs(FinanceParams()),
                          run_date=dt.date(2026, 1, 1))  # fmt: skip
    write_spend_outputs(report, tmp_path, dt.date(2026, 1, 1))
    ws = load_workbook(tmp_path / "spend.xlsx")["Cumulative"]
    note = ws["A15"].value
    assert ws["A8"].value == "October" and ws["B7"].value is None and ws["B8"].value > 0
    assert "or from the first month forecast (2025-26 from October: spend before it is not in " \
        "the line)." in note, note  # fmt: skip


def test_the_summary_note_says_the_forecast_months_mean_to_three_figures(in_year):
    """The Summary's note for an outturn year gave the forecast months' mean to the pound
    ('plus 6 forecast months (mean £38,312,507)'), a mean over simulated futures beside a
    spend to date estimated from the 903; the mean is now said as figures.money."""
    from sufficiency.finance.outturn import summary_years

    row = in_year.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    note = summary_years(in_year.report)[3]["2025-26"]
    mean = float(row["rest_of_year_mean_gbp"])
    assert note.endswith(f"plus 6 forecast months (mean {money(mean)}).")
    assert f"£{mean:,.0f}" not in note
