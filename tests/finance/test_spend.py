"""Spend projection: hand-worked figures to the penny, tables, budget, workbook, errors."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency.config import DEFAULT_WEEKLY_COSTS, FinanceParams
from sufficiency.errors import ConfigError, DataWarning, InputDataError
from sufficiency.finance.inputs import budget_for_run, costs_for_run, read_budget, read_costs
from sufficiency.finance.projection import UnitCosts, project_spend
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.finance.summaries import financial_year, period_table, quarter
from sufficiency.finance.workbook import SpendReport
from sufficiency.finance.writers import write_spend_outputs
from sufficiency.forecast.states import CATEGORIES
from sufficiency.prices import price_index
from tests.finance.conftest import _result

LINES = ("in_house_foster", "ifa_foster", "external_residential")
COSTS = UnitCosts({"in_house_foster": 600.0, "ifa_foster": 900.0,
                   "external_residential": 6100.0}, {})  # fmt: skip


def three_children(num_paths: int = 2) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """One child in each of three categories, constant from 31 Jan to 30 Apr 2026."""
    months = pd.DatetimeIndex(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
    return np.ones((num_paths, 4, 3), dtype=np.int32), months


def test_hand_worked_example_to_the_penny():
    """Feb 28 days, Mar 31 days, Apr 30 days at +5% from 1 April: worked by hand."""
    stock, months = three_children()
    proj = project_spend(stock, months, LINES, COSTS, inflation_rate=0.05)
    # 7,600 a week in all. Feb: 28/7 x 7,600 = 30,400.00. Mar: 31/7 x 7,600 = 33,657.14.
    # Apr: 30/7 x 7,600 x 1.05 = 34,200.00.
    assert np.round(proj.total()[0], 2).tolist() == [30400.00, 33657.14, 34200.00]
    # In-house foster alone: 2,400.00; 2,657.14; 2,700.00.
    assert np.round(proj.spend[0, :, 0], 2).tolist() == [2400.00, 2657.14, 2700.00]
    years = period_table(proj, "financial_year").set_index(["financial_year", "cost_line"])
    assert years.loc[("2025-26", "all"), "mean"] == 64057.14
    assert years.loc[("2026-27", "all"), "mean"] == 34200.00


def test_uplift_mid_month_is_day_weighted():
    """An uplift on 15 March prices 14 days at 1.00 and 17 at 1.05: 31.85/7 x 7,600 = 34,580."""
    stock, months = three_children()
    proj = project_spend(stock, months, LINES, COSTS, inflation_rate=0.05, uplift_month=3,
                         uplift_day=15)  # fmt: skip
    assert round(float(proj.total()[0, 1]), 2) == 34580.00
    assert price_index(months, 0.05, 3, 15)[2] == pytest.approx(1.05)


def test_changing_stock_uses_the_month_average():
    """Two children at the start of a 30-day month and four at its end cost 3 x 30 child-days."""
    months = pd.DatetimeIndex(["2026-03-31", "2026-04-30"])
    stock = np.array([[[2], [4]]], dtype=np.int32)
    proj = project_spend(stock, months, ("ifa_foster",), COSTS, inflation_rate=0.0)
    assert round(float(proj.total()[0, 0]), 2) == round(3 * 30 / 7 * 900, 2)


def test_means_add_but_percentiles_come_from_path_totals():
    """A year's mean is the sum of its months' means; its P50 is the median of path totals."""
    rng = np.random.default_rng(1)
    months = pd.date_range("2026-03-31", periods=13, freq="ME")
    stock = rng.poisson(20, size=(500, 13, 3)).astype(np.int32)
    proj = project_spend(stock, months, LINES, COSTS, inflation_rate=0.06)
    years = period_table(proj, "financial_year")
    row = years[(years["financial_year"] == "2026-27") & (years["cost_line"] == "all")].iloc[0]
    assert row["mean"] == pytest.approx(proj.total().mean(axis=0).sum(), abs=0.01)
    assert row["p50"] == pytest.approx(np.median(proj.total().sum(axis=1)), abs=0.01)


def test_deterministic_paths_p50_adds_up():
    """With no uncertainty (identical paths) the annual P50 equals the sum of monthly P50s."""
    stock, months = three_children(num_paths=5)
    proj = project_spend(stock, months, LINES, COSTS, inflation_rate=0.05)
    years = period_table(proj, "financial_year")
    monthly_p50 = np.median(proj.total(), axis=0)
    p50 = years[(years["financial_year"] == "2025-26") & (years["cost_line"] == "all")]["p50"]
    assert p50.iloc[0] == pytest.approx(monthly_p50[:2].sum(), abs=0.01)


@pytest.mark.parametrize(
    ("when", "fy", "q"),
    [("2026-04-30", "2026-27", "2026-27 Q1"), ("2027-03-31", "2026-27", "2026-27 Q4"),
     ("2026-12-31", "2026-27", "2026-27 Q3"), ("2026-03-31", "2025-26", "2025-26 Q4")],
)  # fmt: skip
def test_financial_year_and_quarter_labels(when, fy, q):
    """April to March financial years, quarters from April."""
    assert financial_year(pd.Timestamp(when)) == fy and quarter(pd.Timestamp(when)) == q


def test_missing_cost_for_a_category_with_children_raises():
    """A category with forecast children but no cost is a ConfigError naming it."""
    stock, months = three_children()
    with pytest.raises(
        ConfigError,
        match=r"no weekly cost for External "
        r"children's homes \(external_residential\)",
    ):
        project_spend(stock, months, LINES, UnitCosts({"in_house_foster": 600.0,
                                                       "ifa_foster": 900.0}, {}),
                      inflation_rate=0.0)  # fmt: skip


def test_zero_cost_for_a_category_with_children_is_warned():
    """A weekly cost of £0 where the forecast has children is legal but warned: those
    children add nothing to the spend, which is rarely what a cost file means."""
    stock, months = three_children()
    costs = UnitCosts({"in_house_foster": 600.0, "ifa_foster": 0.0, "external_residential": 0.0},
                      {})  # fmt: skip
    with pytest.warns(DataWarning, match=r"weekly cost of £0 in \[finance") as seen:
        project_spend(stock, months, LINES, costs, inflation_rate=0.0)
    (warning,) = seen
    assert (
        "for IFA foster care (ifa_foster) and External children's homes "
        "(external_residential), where"
    ) in str(warning.message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # no warning when every cost is above £0
        project_spend(stock, months, LINES,
                      UnitCosts({ln: DEFAULT_WEEKLY_COSTS[ln] for ln in LINES}, {}),
                      inflation_rate=0.0)  # fmt: skip


def test_negative_cost_in_cost_file_raises(tmp_path):
    """A negative weekly cost in the council's cost file names the row and column."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost\nifa_foster,-900\nsecure,8000\n")
    with pytest.raises(InputDataError) as info:
        read_costs(p, CATEGORIES, default_costs(FinanceParams()))
    (problem,) = info.value.problems
    assert problem.row == 2 and problem.column == "weekly_cost"


def test_a_years_cost_given_as_a_weeks_is_set_aside_refused_or_warned(tmp_path):
    """A cost file giving a children's home's year (£318,400, the NAO's figure) as its week,
    or a foster carer's day (£85) or year (£46,800) as theirs, priced the sample's 869
    children at £2.5 billion a year with no word. A weekly cost above the dearest placement
    on record is an error of its row (set aside: the configuration's cost is used, said as
    the other set-aside rows are), and in the configuration an error naming the line; one
    under a fifth or over five times its line's default is warned of and kept under Read
    with care."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost\nexternal_residential,318400\nin_house_foster,85\n"
                 "ifa_foster,46800\n")  # fmt: skip
    defaults = default_costs(FinanceParams())
    with pytest.raises(InputDataError) as info:
        read_costs(p, CATEGORIES, defaults)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "weekly_cost")
    assert "more than the dearest placement recorded in England" in problem.message
    costs, _, said = costs_for_run(p, CATEGORIES, defaults)
    assert costs.weekly_cost_gbp["external_residential"] == 6100.0  # the configuration's
    assert any("row 2: weekly_cost: is more than the dearest" in s for s in said)
    ends = _month_ends("2026-03-31", 13)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    params = FinanceParams()
    with pytest.warns(DataWarning, match=r"under a fifth, or over five times, .*: In-house "
                      r"foster care \(in_house_foster\) £85.00 a week \(the default is £600\); "
                      r"IFA foster care \(ifa_foster\) £46,800.00 a week"):  # fmt: skip
        report = spend_report(base, params, costs=costs, run_date=dt.date(2026, 4, 1))
    cautions = [v for k, v in report.assumptions if k == "Read with care"]
    assert any("In-house foster care (in_house_foster) £85.00 a week" in v for v in cautions)
    yearly = FinanceParams(weekly_cost_gbp={**params.weekly_cost_gbp, "secure": 420_000.0})
    with pytest.raises(ConfigError, match=r"\[finance.weekly_cost_gbp\] more than the "
                       r"dearest placement .* for Secure children's homes \(secure\) "
                       r"at £420,000"):  # fmt: skip
        spend_report(base, yearly, costs=default_costs(yearly), run_date=dt.date(2026, 4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # the defaults themselves: no word
        spend_report(base, params, costs=defaults, run_date=dt.date(2026, 4, 1))


def test_cost_file_with_current_placements_sets_costs_and_run_rate(tmp_path):
    """Per-placement rows give each category's mean cost and today's actual weekly total."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost,child_id\nifa_foster,800,C1\nifa_foster,1000,C2\n"
                 "secure,9000,\n")  # fmt: skip
    defaults = default_costs(FinanceParams())
    costs, actual = read_costs(p, CATEGORIES, defaults)
    assert costs.weekly_cost_gbp == {**defaults.weekly_cost_gbp, "ifa_foster": 900.0,
                                     "secure": 9000.0}  # fmt: skip
    assert costs.filled == set(CATEGORIES) - {"ifa_foster", "secure"}
    assert actual == 1800.0


def test_a_child_listed_twice_in_the_cost_file_is_set_aside_not_averaged(tmp_path):
    """A child listed twice among the current placements (moved, the old row left in):
    both costs were averaged into the category's unit cost for the whole forecast
    (External children's homes £7,500, 'mean of 2 current placements', for one child at
    £6,000 or £9,000) and counted twice in the run-rate, without a word. Each copy is an
    error: the strict reader refuses, the run's reader sets both aside and says so, and
    the category keeps the configuration's cost."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost,child_id\nifa_foster,900,C1\nifa_foster,1000,C2\n"
                 "external_residential,6000,C3\nexternal_residential,9000,C3\n")  # fmt: skip
    defaults = default_costs(FinanceParams())
    with pytest.raises(InputDataError) as info:
        read_costs(p, CATEGORIES, defaults)
    assert [(q.row, q.column) for q in info.value.problems] == [(4, "child_id"), (5, "child_id")]
    costs, actual, (said,) = costs_for_run(p, CATEGORIES, defaults)
    assert costs.weekly_cost_gbp["external_residential"] == 6100.0  # the configuration's
    assert costs.weekly_cost_gbp["ifa_foster"] == 950.0
    assert costs.current == {"ifa_foster": (2, 1900.0)}
    assert actual == 1900.0
    assert said.startswith(
        "costs.csv: 2 rows of the cost file set aside for errors (row 4: child_id: the same "
        "child is listed among the current placements on row(s) 5: which cost is right is "
        "unknown; row 5: child_id: the same child is listed among the current placements on "
        "row(s) 4: "
    )
    assert "C3" not in said  # a pseudonymised night's spend.xlsx holds no real child ID
    with pytest.raises(InputDataError):
        costs_for_run(p, CATEGORIES, defaults, strict=True)


def test_a_total_row_in_the_cost_file_costs_that_row_only(tmp_path):
    """A total row and a note under the figures stopped the spend job ('Error: costs.csv:
    2 error(s)'). The note is set aside and said, the total left out as one (said in its
    own sentence, not as a category it is not); every cost given is used."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost\nifa_foster,950\nin_house_foster,620\nTotal,1570\n"
                 "Note: from the 2026 framework,\n")  # fmt: skip
    costs, _, (total, said) = costs_for_run(p, CATEGORIES, default_costs(FinanceParams()))
    assert costs.weekly_cost_gbp["ifa_foster"] == 950.0
    assert costs.weekly_cost_gbp["in_house_foster"] == 620.0
    assert total.endswith(
        "1 row of the cost file is a total of the lines above, not a line "
        "of its own (row 4 'Total'): left out, so no line is counted twice"
    )
    assert said.startswith("costs.csv: 1 row of the cost file set aside")
    assert "row 5: category: must be one of" in said and "'Total'" not in said


def test_cost_file_without_a_category_keeps_the_configurations_cost(tmp_path):
    """A cost file silent on a category with children: the configuration's cost is used,
    with a warning naming the file and the category, and the source says so. Before, the
    run stopped with 'add them to the cost file or [finance.weekly_cost_gbp]', and the
    configuration's cost was never used once a cost file was given."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost\nin_house_foster,650\nifa_foster,950\n")
    costs, _ = read_costs(p, LINES, UnitCosts({"external_residential": 6100.0},
                                              {"external_residential": "NAO 2025"}))  # fmt: skip
    stock, months = three_children()
    with pytest.warns(DataWarning, match=r"costs.csv gives no weekly cost for External "
                      r"children's homes \(external_residential\), where .*configuration's "
                      r"figures are used"):  # fmt: skip
        proj = project_spend(stock, months, LINES, costs, inflation_rate=0.0)
    assert proj.weekly_cost_gbp.tolist() == [650.0, 950.0, 6100.0]
    assert costs.source["external_residential"] == ("not in costs.csv: configuration, NAO 2025")


def test_cost_file_no_cost_anywhere_names_the_file(tmp_path):
    """With no cost in the file or the configuration, the error names the cost file."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost\nin_house_foster,650\n")
    costs, _ = read_costs(p, LINES, UnitCosts({}, {}))
    stock, months = three_children()
    with pytest.raises(ConfigError, match=r"no weekly cost for IFA foster care \(ifa_foster\) "
                       r"and External children's homes \(external_residential\) "
                       r"in .*costs.csv"):  # fmt: skip
        project_spend(stock, months, LINES, costs, inflation_rate=0.0)


def test_budget_line_with_no_matching_category_raises(tmp_path):
    """A budget cost line that is not a category (or all) names the row."""
    p = tmp_path / "budget.csv"
    p.write_text("financial_year,cost_line,budget_gbp\n2026-27,all,1000\n2026-27,taxis,50\n")
    with pytest.raises(InputDataError) as info:
        read_budget(p, CATEGORIES)
    (problem,) = info.value.problems
    assert problem.row == 3 and problem.column == "cost_line" and problem.value == "taxis"


def _range_sum(ws, formula: str) -> float:
    m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula)
    assert m, formula
    total = 0.0
    for row in ws[f"{m.group(1)}{m.group(2)}:{m.group(3)}{m.group(4)}"]:
        for cell in row:
            v = cell.value
            total += _range_sum(ws, v) if isinstance(v, str) and v.startswith("=SUM") else v
    return total


def test_workbook_sheets_headers_and_formats(workbook):
    """The workbook has the agreed sheets, bold frozen headers, currency formats and charts."""
    out, _ = workbook
    wb = load_workbook(out / "spend.xlsx")
    assert wb.sheetnames == ["Summary", "Monthly", "Cumulative", "Quarterly", "Financial years",
                             "Scenario comparison", "Budget", "Assumptions"]  # fmt: skip
    ws = wb["Monthly"]
    assert ws.freeze_panes == "B2" and ws["A1"].value == "Month" and ws["A1"].font.bold
    assert ws["C2"].number_format.startswith('"£"')
    assert len(ws._charts) == 1 and len(wb["Cumulative"]._charts) == 1
    assert wb["Summary"]["H5"].number_format == "0.0%"


def test_workbook_formula_totals_equal_their_cells(workbook):
    """Every SUM formula in the period sheets equals the sum of the cells it covers."""
    out, report = workbook
    wb = load_workbook(out / "spend.xlsx")
    ws = wb["Financial years"]
    total_col = 3 + len(CATEGORIES)
    for r in range(2, ws.max_row + 1):
        v = ws.cell(row=r, column=total_col).value
        if isinstance(v, str) and v.startswith("=SUM"):
            expected = report.yearly
            if ws.cell(row=r, column=1).value.startswith("Total "):  # every year
                expected_value = expected[expected["cost_line"] == "all"]["mean"].sum()
            else:
                fy = ws.cell(row=r, column=1).value
                expected_value = expected[
                    (expected["financial_year"] == fy) & (expected["cost_line"] == "all")
                ]["mean"].iloc[0]
            assert _range_sum(ws, v) == pytest.approx(expected_value, abs=0.1)


def test_spend_csv_long_format(workbook):
    """spend.csv has the agreed columns, an 'all' line, and monthly means that add to the year."""
    out, report = workbook
    df = pd.read_csv(out / "spend.csv")
    assert list(df.columns) == ["month", "financial_year", "cost_line", "mean", "p10", "p50", "p90"]
    total = df[(df["cost_line"] == "all") & (df["financial_year"] == "2026-27")]["mean"].sum()
    yearly = report.yearly
    fy = yearly[(yearly["financial_year"] == "2026-27") & (yearly["cost_line"] == "all")]
    assert total == pytest.approx(fy["mean"].iloc[0], abs=0.5)


def test_budget_probability_of_overspend_is_share_of_paths(workbook):
    """P(overspend) is the share of paths whose yearly total exceeds the budget."""
    _, report = workbook
    row = report.budget[report.budget["cost_line"] == "all"].iloc[0]
    totals = report.base.total()[:, :12].sum(axis=1)
    assert row["prob_overspend"] == pytest.approx(np.mean(totals > 2.0e7), abs=1e-4)
    assert row["variance_gbp"] == pytest.approx(row["mean"] - 2.0e7, abs=0.01)


def test_workbook_is_byte_identical_across_saves(tmp_path):
    """Two writes of the same report give the same spend.xlsx bytes (fixed timestamps)."""
    import datetime as dt
    import hashlib
    import time

    from sufficiency.finance.workbook import write_workbook

    stock, months = three_children()
    proj = project_spend(stock, months, LINES, COSTS, inflation_rate=0.05)
    from sufficiency.finance.summaries import monthly_table, reconciliation

    report = SpendReport(proj, None, monthly_table(proj), period_table(proj, "quarter"),
                         period_table(proj, "financial_year"), None, None,
                         reconciliation(proj), [("Item", "value")])  # fmt: skip
    info = {"run_date": dt.date(2026, 4, 1).isoformat()}
    a = write_workbook(report, tmp_path / "a.xlsx", info)
    time.sleep(1.1)
    b = write_workbook(report, tmp_path / "b.xlsx", info)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def _month_ends(start: str, months: int) -> pd.DatetimeIndex:
    """The start date and the ``months`` month ends after it."""
    after = pd.date_range(start, periods=months + 1, freq="ME")
    return pd.DatetimeIndex([pd.Timestamp(start), *after[after > pd.Timestamp(start)][:months]])


@pytest.mark.parametrize(
    ("start", "months", "year"),
    [
        ("2026-03-31", 19, "2027-28"),  # the horizon ends in October 2027
        ("2026-09-30", 18, "2026-27"),  # an in-year start: April to September not forecast
        ("2026-04-15", 12, "2026-27"),  # 12 month ends in the year, but 1-15 April missing
    ],
)
def test_budget_year_only_partly_forecast_is_set_aside(start, months, year):
    """Part of a year's spend is never set against the whole year's budget.

    Seven months of 2027-28 against its full budget read as a multi-million underspend
    with no chance of overspending. The line is set aside, with a warning and a line in
    the assumptions saying why; the other years are compared and the run goes on.
    """
    ends = _month_ends(start, months)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    budget = pd.DataFrame({"financial_year": [year], "cost_line": ["all"],
                           "budget_gbp": [1.0e7]})  # fmt: skip
    params = FinanceParams()
    with pytest.warns(DataWarning, match=f"budget year {year} is set aside: .*only part"):
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget)  # fmt: skip
    assert report.budget is None
    said = dict(report.assumptions)[f"Budget {year}"]
    assert said.startswith("set aside: the forecast covers only ")


def test_budget_part_year_set_aside_and_whole_year_compared():
    """With one whole year and one part year, the whole year is still compared."""
    ends = _month_ends("2026-03-31", 19)  # 2026-27 whole, 2027-28 to October
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    budget = pd.DataFrame({"financial_year": ["2026-27", "2027-28"], "cost_line": ["all"] * 2,
                           "budget_gbp": [1.0e7, 1.0e7]})  # fmt: skip
    params = FinanceParams()
    with pytest.warns(DataWarning, match="budget year 2027-28 is set aside"):
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget)  # fmt: skip
    assert report.budget is not None
    assert report.budget["financial_year"].tolist() == ["2026-27"]
    assert report.budget["months"].tolist() == [12]


def test_a_budget_workbook_with_a_sheet_per_year_names_the_sheet_not_read(tmp_path):
    """A budget workbook with a sheet per financial year: only the first sheet was read,
    without a word, so 2027-28's budget (£77.5m) was never compared. The best-fitting
    sheet is read, as for every other input, and the others are named in a warning kept
    under Read with care (merge them into one sheet to compare every year)."""
    from openpyxl import Workbook

    from sufficiency.finance.inputs import budget_for_run

    wb = Workbook()
    ws = wb.active
    ws.title = "2026-27"
    for row in (("financial_year", "cost_line", "budget_gbp"), ("2026-27", "all", 74000000)):
        ws.append(row)
    ws = wb.create_sheet("2027-28")
    for row in (("financial_year", "cost_line", "budget_gbp"), ("2027-28", "all", 77500000)):
        ws.append(row)
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    table, said = budget_for_run(path, CATEGORIES)
    assert table["financial_year"].tolist() == ["2026-27"]
    assert said == [
        f"{path}: has 2 sheets that read as budget: 2026-27, 2027-28; only 2026-27 is read "
        "(the first of them); delete or rename the other sheet if it is not the one to use"
    ]


def test_budget_year_outside_the_forecast_is_set_aside_not_the_run():
    """Finance keeps last year's budget in the file, or sets next years' beyond the
    horizon: the run stopped ('budget year is outside the forecast (2026-27); lengthen
    --horizon-months or remove the line'), the night's spend with it, though a year
    covered in part was only set aside. A year with no projected spend is set aside
    alike, said and in the assumptions; the years covered are compared."""
    ends = _month_ends("2026-03-31", 13)  # 2026-27 whole
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    budget = pd.DataFrame({"financial_year": ["2025-26", "2026-27", "2040-41"],
                           "cost_line": ["all"] * 3, "budget_gbp": [1.0e7] * 3})  # fmt: skip
    params = FinanceParams()
    with pytest.warns(DataWarning) as seen:
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget,
                              budget_source="budget.csv")  # fmt: skip
    said = [str(w.message) for w in seen]
    runs = "outside the forecast, which runs from 1 April 2026 to 30 April 2027"
    assert said == [
        f"budget.csv: budget year 2025-26 is set aside: it is {runs}, so no spend is "
        "projected for it",
        f"budget.csv: budget year 2040-41 is set aside: it is {runs}, so no spend is "
        "projected for it (lengthen --horizon-months to compare it)",
    ]
    assert report.budget is not None and report.budget["financial_year"].tolist() == ["2026-27"]
    rows = dict(report.assumptions)
    assert rows["Budget 2025-26"] == f"set aside: {runs}, so no spend is projected for it"
    assert "Budget 2040-41" in rows


def test_budget_year_wholly_forecast_is_compared():
    """A year the forecast covers from its first day to its last is compared as before."""
    ends = _month_ends("2026-03-31", 13)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    budget = pd.DataFrame({"financial_year": ["2026-27"], "cost_line": ["all"],
                           "budget_gbp": [1.0e7]})  # fmt: skip
    params = FinanceParams()
    report = spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                          budget=budget)  # fmt: skip
    assert report.budget is not None and report.budget["months"].tolist() == [12]


def test_budget_csv_probability_of_overspend_equals_the_workbook(tmp_path):
    """budget_comparison.csv gives P(overspend) to the precision the workbook shows.

    Two decimals turned the workbook's 10.5% chance into 0.10 in the CSV.
    """
    ends = _month_ends("2026-03-31", 12)
    stock = np.full((200, len(ends), 10), 10, dtype=np.int32)
    stock[:21] = 12  # 21 of 200 paths (10.5%) spend more than the rest
    base = _result(stock, ends)
    params = FinanceParams()
    costs = default_costs(params)
    low = spend_report(base, params, costs=costs, run_date=dt.date(2026, 4, 1)).base.total()
    budget = pd.DataFrame({"financial_year": ["2026-27"], "cost_line": ["all"],
                           "budget_gbp": [float(low[-1].sum()) + 1.0]})  # fmt: skip
    report = spend_report(base, params, costs=costs, run_date=dt.date(2026, 4, 1), budget=budget)
    write_spend_outputs(report, tmp_path, dt.date(2026, 4, 1))
    csv = pd.read_csv(tmp_path / "budget_comparison.csv")
    ws = load_workbook(tmp_path / "spend.xlsx")["Budget"]
    col = list(csv.columns).index("prob_overspend") + 1
    assert report.budget is not None and report.budget["prob_overspend"].tolist() == [0.105]
    assert ws.cell(row=2, column=col).value == 0.105
    assert csv["prob_overspend"].tolist() == [0.105]


def test_run_rate_prices_children_the_cost_file_does_not_list(tmp_path):
    """A cost file listing only some of today's placements gives their actual cost, and
    the other children today priced at the unit costs, as the run-rate: not the listed
    placements' cost alone set against the whole forecast (3 placements against 869
    children read as a £5.7m a month gap)."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost,child_id\nifa_foster,800,C1\nifa_foster,1000,C2\n"
                 "in_house_foster,600,\nexternal_residential,6100,\n")  # fmt: skip
    costs, actual = read_costs(p, CATEGORIES, default_costs(FinanceParams()))
    stock, months = three_children()
    stock[:, :, 1] = 5  # five children in IFA foster care, two of them in the cost file
    proj = project_spend(stock, months, LINES, costs, inflation_rate=0.0,
                         actual_weekly_gbp=actual)  # fmt: skip
    weekly = 600.0 + (800.0 + 1000.0 + 3 * 900.0) + 6100.0
    assert proj.run_rate_gbp == pytest.approx(weekly * 28 / 7)
    assert "2 placements" in proj.run_rate_basis and "other 5 children" in proj.run_rate_basis
    full = project_spend(np.ones((2, 4, 3), dtype=np.int32) * np.array([0, 2, 0]), months,
                         LINES, costs, inflation_rate=0.0, actual_weekly_gbp=actual)  # fmt: skip
    assert full.run_rate_gbp == pytest.approx(1800.0 * 28 / 7)
    assert full.run_rate_basis == "the council's actual weekly cost of today's placements"


def test_run_rate_names_a_cost_line_listing_more_placements_than_the_history(tmp_path):
    """A small authority's cost file lists two children in external children's homes, the
    903 history one: the run-rate (£13,700 a week of them) stood beside a forecast of one,
    and the difference read as 'children the forecast expects to start or leave'."""
    p = tmp_path / "costs.csv"
    p.write_text("category,weekly_cost,child_id\nexternal_residential,7000,C1\n"
                 "external_residential,6700,C2\nin_house_foster,600,C3\n"
                 "ifa_foster,900,C4\n")  # fmt: skip
    costs, actual = read_costs(p, CATEGORIES, default_costs(FinanceParams()))
    stock, months = three_children()
    proj = project_spend(stock, months, LINES, costs, inflation_rate=0.0,
                         actual_weekly_gbp=actual)  # fmt: skip
    assert proj.run_rate_gbp == pytest.approx((7000.0 + 6700.0 + 600.0 + 900.0) * 28 / 7)
    assert proj.run_rate_basis == (
        "the council's actual weekly cost of today's placements; the cost file lists more "
        "placements than the 903 history has children on the start date in External "
        "children's homes (external_residential), 2 listed against 1 in the history: check "
        "both are of the same day"
    )


def test_headline_says_one_month_in_the_singular():
    """A financial year with one forecast month is "1 month" in the headline, not "1 months"."""
    from pathlib import Path

    from sufficiency import api

    sample = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = api.spend(sample, horizon_months=13, num_paths=10, seed=1,
                           run_date=dt.date(2026, 4, 1))  # fmt: skip
    assert [y.months for y in result.years] == [12, 1]
    assert "12 months)" in result.headline and "April 2027 only (1 of its 12 months)" in (
        result.headline
    )


@pytest.mark.parametrize(
    ("written", "read"),
    [("2026-27", "2026-27"), ("2026/27", "2026-27"), ("2026-2027", "2026-27"),
     ("2026/2027", "2026-27"), ("2026", "2026")],
)  # fmt: skip
def test_budget_years_as_finance_writes_them(tmp_path, written, read):
    """2026/27 and 2026-2027 are 2026-27; a lone 2026 is a year starting in January."""
    p = tmp_path / "budget.csv"
    p.write_text(f"financial_year,cost_line,budget_gbp\n{written},all,1000\n")
    assert read_budget(p, CATEGORIES)["financial_year"].tolist() == [read]


@pytest.mark.parametrize("written", ["2026-28", "2026/2028", "26-27", "FY2026"])
def test_budget_year_that_is_not_one_year_is_refused(tmp_path, written):
    """2026-28 spans two years: before, it was accepted and matched no forecast year."""
    p = tmp_path / "budget.csv"
    p.write_text(f"financial_year,cost_line,budget_gbp\n{written},all,1000\n")
    with pytest.raises(InputDataError) as info:
        read_budget(p, CATEGORIES)
    (problem,) = info.value.problems
    assert problem.row == 2 and problem.column == "financial_year"
    assert "is not a financial year" in problem.message


def test_calendar_financial_year_takes_a_budget(tmp_path):
    """With the year starting in January, a budget for 2027 is compared over its 12 months
    (before, '2027' was refused and '2027-28' was outside the forecast)."""
    p = tmp_path / "budget.csv"
    p.write_text("financial_year,cost_line,budget_gbp\n2027,all,1000000\n")
    ends = _month_ends("2026-12-31", 13)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    params = FinanceParams(financial_year_start_month=1)
    report = spend_report(base, params, costs=default_costs(params), run_date=dt.date(2027, 1, 1),
                          budget=read_budget(p, CATEGORIES))  # fmt: skip
    assert report.budget is not None
    assert report.budget[["financial_year", "months"]].values.tolist() == [["2027", 12]]


def test_budget_lines_adding_to_more_than_the_whole_budget_are_warned():
    """A budget file whose 2026-27 cost lines (£11,000,000 IFA + £38,500,000 external homes)
    add to more than its 'all' line (£40,000,000) was compared line by line without a word:
    parts exceeding their whole, a mistake in the file that no comparison can reconcile. The
    run now warns, naming the year and both sums, and says so under Read with care."""
    ends = _month_ends("2026-03-31", 13)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    budget = pd.DataFrame({"financial_year": ["2026-27"] * 3,
                           "cost_line": ["all", "ifa_foster", "external_residential"],
                           "budget_gbp": [4.0e7, 1.1e7, 3.85e7]})  # fmt: skip
    params = FinanceParams()
    with pytest.warns(DataWarning, match=r"budget year 2026-27: its cost lines' budgets add "
                      r"to £49,500,000, more than .* £40,000,000"):  # fmt: skip
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget)  # fmt: skip
    assert report.budget is not None and len(report.budget) == 3  # still compared, as given
    cautions = [v for k, v in report.assumptions if k == "Read with care"]
    assert any("£49,500,000" in v for v in cautions)
    fine = budget.assign(budget_gbp=[5.0e7, 1.1e7, 3.85e7])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                     budget=fine)  # fmt: skip


def test_a_budget_in_thousands_of_pounds_is_warned_of():
    """A budget file in £000s (40,000 for £40,000,000, as finance systems often report it)
    was compared as pounds with no word: a variance of some £40 million over and a
    probability of overspend of 100%. A line under a hundredth (or over a hundred times)
    of its projected spend is now named, on the console and under Read with care, and
    still compared as given; a line the authority barely spends on is not doubted."""
    ends = _month_ends("2026-03-31", 13)
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    params = FinanceParams()
    budget = pd.DataFrame({"financial_year": ["2026-27"] * 3,
                           "cost_line": ["all", "ifa_foster", "external_residential"],
                           "budget_gbp": [40_000.0, 8.2, 3.5e7]})  # fmt: skip
    with pytest.warns(
        DataWarning,
        match=r"2 budget lines are less than a hundredth of the "
        r"spend projected for each \(2026-27 All placements: £40,000 against "
        r"£[\d.]+m projected; 2026-27 IFA foster care: £8.20 against .*\(£000s\)",
    ):
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget)  # fmt: skip
    assert report.budget is not None and len(report.budget) == 3  # still compared, as given
    cautions = [v for k, v in report.assumptions if k == "Read with care"]
    assert any("less than a hundredth" in v and "£8.20" in v for v in cautions)
    assert not any("External" in v for v in cautions if "hundredth" in v)
    pence = budget.assign(budget_gbp=[4.0e7, 1.1e9, 3.5e7])
    with pytest.warns(
        DataWarning,
        match=r"1 budget line is over 100 times the spend "
        r"projected for it \(2026-27 IFA foster care: £1,100,000,000 ",
    ):
        spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                     budget=pence)  # fmt: skip
    fine = budget.assign(budget_gbp=[4.0e7, 9.0e6, 3.0e7])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                     budget=fine)  # fmt: skip


@pytest.mark.parametrize(
    ("start_month", "year", "said"),
    [(4, "2026", "named as a calendar year, but financial years here start in April "
                 "([finance] financial_year_start_month = 4; write it as 2026-27"),
     (1, "2026-27", "named as a year across two calendar years, but financial years here "
                    "are calendar years ([finance] financial_year_start_month = 1; write it "
                    "as 2026,")],
)  # fmt: skip
def test_budget_year_in_the_other_style_is_said_to_be_so(start_month, year, said):
    """Before: a budget year '2026' (financial years from April), or '2026-27' (calendar
    financial years), was set aside as 'outside the forecast, which runs from 01 April
    2026 to 31 March 2029', a forecast plainly covering it. Now the warning says it is
    written in the other style and how to write it."""
    months = pd.date_range("2026-03-31", periods=37, freq="ME")
    base = _result(np.full((4, 37, 10), 20, dtype=np.int32), months)
    params = FinanceParams(financial_year_start_month=start_month)
    budget = pd.DataFrame({"financial_year": [year], "cost_line": ["all"],
                           "budget_gbp": [7.0e7]})  # fmt: skip
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 4, 1), budget=budget)  # fmt: skip
    text = " ".join(str(w.message) for w in got if issubclass(w.category, DataWarning))
    assert f"budget year {year} is set aside: it is {said}" in text
    assert "outside the forecast" not in text
    assert said in dict(report.assumptions)[f"Budget {year}"]


def test_cost_lines_in_the_workbooks_words_are_read(tmp_path):
    """Before: a budget or cost file naming its lines as spend.xlsx does ('All placements',
    'IFA foster care', as a finance officer copies them from the Budget sheet) had every
    such row set aside ('must be one of: ...'), its budget or cost lost. Now the words read
    as their codes, in any case."""
    budget = tmp_path / "budget.csv"
    budget.write_text("Financial year,Cost line,Budget (£)\n2026-27,All placements,74000000\n"
                      "2026-27,ifa FOSTER care,11000000\n2026-27,Residential,1\n")  # fmt: skip
    table, notes = budget_for_run(budget, CATEGORIES)
    assert table["cost_line"].tolist() == ["all", "ifa_foster"]
    # 'Residential' alone is no line's name ('IFA' is: test_budget_ledger_names)
    assert len(notes) == 1 and "row 4" in notes[0]
    costs = tmp_path / "costs.csv"
    costs.write_text("category,weekly_cost,child_id\nExternal children's homes,6500,C1\n")
    unit, actual, _ = costs_for_run(costs, CATEGORIES, default_costs(FinanceParams()))
    assert dict(unit.children) == {"C1": ("external_residential", 6500.0)} and actual == 6500


def test_cost_file_messages_name_categories_in_words(tmp_path):
    """`spend --costs FILE`'s messages named cost lines by code ('weekly cost of £0 for
    ifa_foster', 'gives no weekly cost for kinship_foster, ...') where finance reads 'IFA
    foster care'. Now every such sentence names them in the words spend.xlsx uses, with the
    code in brackets only where the file writes codes."""
    stock, months = three_children()
    for rows, code in (("IFA foster care,0\nIn-house foster care,85\n", {}),
                       ("ifa_foster,0\nIn-house foster care,85\n",
                        {ln: f" ({ln})" for ln in LINES})):  # fmt: skip
        p = tmp_path / "costs.csv"
        p.write_text("category,weekly_cost\n" + rows)
        costs, _ = read_costs(p, LINES, UnitCosts({"external_residential": 6100.0}, {}))
        with pytest.warns(DataWarning) as seen:
            project_spend(stock, months, LINES, costs, inflation_rate=0.0)
        assert [str(w.message) for w in seen] == [
            f"{p} gives no weekly cost for External children's homes"
            f"{code.get('external_residential', '')}, where the forecast has children: the "
            "configuration's figures are used ([finance.weekly_cost_gbp], shown with their "
            "sources in the assumptions); add a row for each to use the council's own",
            f"weekly cost of £0 in {p} for IFA foster care{code.get('ifa_foster', '')}, where "
            "the forecast has children: their placements add nothing to the spend; check the "
            "cost file or [finance.weekly_cost_gbp]",
            f"Weekly costs in {p} under a fifth, or over five times, of what such a placement "
            f"usually costs: In-house foster care{code.get('in_house_foster', '')} £85.00 a "
            "week (the default is £600). A day's, a month's or a year's cost given as a "
            "week's? Each is used as given",
        ]
