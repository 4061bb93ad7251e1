"""A budget workbook as a council's finance team keeps it: a title above the header, a
cost code column, subtotal and total rows, a blank month; each read, left out or set
aside in sentences a finance officer reads (and an old history's days said as they read
them)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run
from sufficiency.finance.rows_said import row_runs
from sufficiency.forecast import CATEGORIES, history_over_a_year_old, history_said_old

MONTHS = [f"{y}-{m:02d}" for y, m in [(2026, m) for m in range(4, 13)] + [(2027, 1), (2027, 2),
                                                                         (2027, 3)]]  # fmt: skip


def _by_month(path, figures, months=MONTHS):
    rows = [("2026-27", "all", m, f) for m, f in zip(months, figures, strict=True)]
    pd.DataFrame(rows, columns=["financial_year", "cost_line", "month", "budget_gbp"]).to_csv(
        path, index=False
    )
    return path


def _finance_sheet(path):
    """Title row merged across, a blank row, a cost code column, figures as text with £
    and commas, a credit in brackets, a Sub-total and a Total summing the lines above."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget 2026-27"
    ws["A1"] = "Children's placements budget 2026-27"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Cost code", "Financial year", "Cost line", "Budget £"])
    for row in [("CC101", "2026-27", "IFA foster care", "£11,000,000.00"),
                ("CC102", "2026-27", "External residential", "£38,500,000.00"),
                ("", "", "Sub-total", "£49,500,000.00"),
                ("CC103", "2026-27", "In-house foster care", "8,200,000"),
                ("CC104", "2026-27", "Kinship foster care", "(1,234)"),
                ("", "", "Total", "£57,698,766.00"),
                ("Grand total", "", "", "57698766")]:  # fmt: skip
        ws.append(list(row))
    wb.save(path)
    return path


def test_subtotal_and_total_rows_are_left_out_in_one_sentence_not_counted(tmp_path):
    """A Sub-total and a Total row were each set aside as an error with the cost line's
    whole list of choices ("must be one of: all, external_residential, ... (value
    'Sub-total')"). They are recognised as totals and left out in one sentence, never
    read as a line, and --strict does not refuse the sheet for them."""
    path = _finance_sheet(tmp_path / "budget.xlsx")
    table, notes = budget_for_run(path, CATEGORIES)
    assert sorted(table["cost_line"]) == sorted(
        ["ifa_foster", "external_residential", "in_house_foster", "kinship_foster"]
    )
    assert table["budget_gbp"].sum() == 11_000_000 + 38_500_000 + 8_200_000 - 1_234
    said = [n for n in notes if "are totals of" in n]
    assert len(said) == 1, notes
    assert said[0].endswith(
        "3 budget rows are totals of the lines above, not a line of their own (row 6 "
        "'Sub-total'; row 9 'Total'; row 10 'Grand total'): left out, so no line is counted "
        "twice (to compare the whole placements budget, give it as the line 'all', All "
        "placements)"
    )
    assert not any("must be one of" in n or "set aside" in n for n in notes), notes
    strict, _ = budget_for_run(path, CATEGORIES, strict=True)
    assert strict.equals(table)


def test_a_line_that_says_total_elsewhere_is_still_a_line(tmp_path):
    """Only a row whose cost line is not a line is a total: the whole placements line
    'all' with 'Total' in its cost code column is the budget, and the hint to give 'all'
    is not made when the file gives it."""
    path = tmp_path / "budget.csv"
    path.write_text("cost code,financial_year,cost_line,budget_gbp\n"
                    "CC1,2026-27,ifa_foster,11000000\nTotal,2026-27,all,74000000\n"
                    "Total,,,85000000\n")  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["cost_line"].tolist() == ["ifa_foster", "all"]
    total = [n for n in notes if "is a total" in n]
    assert len(total) == 1 and total[0].endswith("(row 4 'Total'): left out, so no line is "
                                                 "counted twice"), notes  # fmt: skip


def test_a_blank_month_is_said_in_words_and_once(tmp_path):
    """A blank June figure set the line aside saying "is blank but a value is required",
    and then the same sentence for each of the line's other eleven rows; a blank month
    cell said "(value '<NA>')". Each is now said in words, the row at fault first, the
    line's other rows together."""
    figures = ["6000000"] * 12
    figures[2] = ""
    _, notes = budget_for_run(_by_month(tmp_path / "figure.csv", figures), CATEGORIES)
    (said,) = [n for n in notes if "set aside" in n]
    assert said.startswith(
        "figure.csv: 12 budget rows set aside for errors (row 4: budget_gbp: is blank: give "
        "the figure, 0 where there is no budget, as a blank is not taken for nothing; rows "
        "2, 3 and 5 to 13: month: the budget by month for 2026-27 All placements is short "
        "of row(s) 4"
    ), said
    months = list(MONTHS)
    months[2] = ""
    path = _by_month(tmp_path / "month.csv", ["6000000"] * 12, months)
    _, notes = budget_for_run(path, CATEGORIES)
    (said,) = [n for n in notes if "set aside" in n]
    assert "<NA>" not in said
    assert said.startswith(
        "month.csv: 12 budget rows set aside for errors (row 4: month: is blank, but other "
        "rows give the budget by month: give this row's month; rows 2, 3 and 5 to 13: "
    ), said
    with pytest.raises(InputDataError) as refused:
        budget_for_run(path, CATEGORIES, strict=True)
    assert "<NA>" not in str(refused.value)


def test_an_unknown_column_is_named(tmp_path):
    """ "unknown column for a budget file; it is ignored" did not say which column."""
    _, notes = budget_for_run(_finance_sheet(tmp_path / "budget.xlsx"), CATEGORIES)
    assert any(n.endswith("column Cost code: unknown column for a budget file; it is ignored")
               for n in notes), notes  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "said"),
    [([4], "4"), ([2, 3], "2, 3"), ([2, 3, 5, 6, 7, 9], "2, 3, 5 to 7 and 9"),
     ([7, 2, 3, 4], "2 to 4 and 7")],
)  # fmt: skip
def test_rows_are_said_as_runs(rows, said):
    assert row_runs(rows) == said


def test_an_old_history_is_said_with_days_as_people_read_them():
    """The stale-history sentences said their days as 31/03/2026 and 01/06/2027, where
    every other sentence of spend.xlsx says 31 March 2026; a run recorded before, which
    said them so, is still known to have said it (a page does not say it twice)."""
    start, run = dt.date(2026, 3, 31), dt.date(2027, 6, 1)
    said = history_over_a_year_old(start, run)
    assert said is not None and said.startswith(
        "The forecast starts on 31 March 2026 (the 903 history's last day used), more than a "
        "year before the run date 1 June 2027: the children looked after 'now' are those on "
        "31 March 2026, and the forecast's months to 31 May 2027 are already past"
    )
    assert "/20" not in said
    assert history_said_old([said], start)
    assert history_said_old(["The forecast starts on 31/03/2026 (the 903 history's ..."], start)
    assert not history_said_old(["The forecast starts on 30 April 2026 ..."], start)


def test_a_budget_of_cost_lines_only_says_why_the_year_has_no_budget(tmp_path):
    """A budget giving each cost line and no whole placements line left the Summary's
    Budget, Variance and Probability of overspend blank for the year, and the console's
    headline gave the year's spend with no word of the budget: read as a budget not
    read. Both now say the budget gives cost lines only and where each line is compared;
    a budget with its 'all' line says no such thing."""
    import numpy as np
    from openpyxl import load_workbook

    from sufficiency.config import FinanceParams
    from sufficiency.finance.report import default_costs, spend_report
    from sufficiency.finance.run import SpendResult
    from sufficiency.finance.writers import write_spend_outputs
    from tests.finance.conftest import _result

    months = pd.date_range("2026-03-31", periods=13, freq="ME")
    base = _result(np.random.default_rng(5).poisson(30, size=(50, 13, 10)).astype(np.int32),
                   months)  # fmt: skip
    params = FinanceParams()

    def run(lines, out):
        budget = pd.DataFrame({"financial_year": "2026-27", "cost_line": lines,
                               "budget_gbp": 1.0e6})  # fmt: skip
        report = spend_report(base, params, costs=default_costs(params), budget=budget,
                              run_date=dt.date(2026, 4, 1))  # fmt: skip
        write_spend_outputs(report, tmp_path / out, dt.date(2026, 4, 1))
        ws = load_workbook(tmp_path / out / "spend.xlsx")["Summary"]
        text = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
        return SpendResult(report, dt.date(2026, 4, 1)).headline, text

    headline, summary = run(["ifa_foster", "external_residential"], "lines")
    said = ("the budget gives cost lines only, no whole placements line ('all'), so the "
            "year's total has no budget to be compared with: each line against its own "
            "budget is on the Budget sheet and in budget_comparison.csv")  # fmt: skip
    assert f"12 months; {said})" in headline
    assert f"2026-27: {said}." in summary
    # its empty Budget column's header is aligned as a figure's, as P90's before it: left,
    # it printed against P90's as one heading, "P90 Budget"
    ws = load_workbook(tmp_path / "lines" / "spend.xlsx")["Summary"]
    assert (ws["E4"].value, ws["F4"].value) == ("P90", "Budget")
    assert ws["F4"].alignment.horizontal == ws["E4"].alignment.horizontal == "right"
    headline, summary = run(["all", "ifa_foster"], "whole")
    assert "cost lines only" not in headline + summary
    assert "12 months; budget £1.00m, variance +£" in headline


def test_a_sheet_per_year_without_the_year_on_its_rows_is_told_how(tmp_path):
    """A budget sheet titled 'Budget 2026-27', its year on no row, was refused with
    "required column is missing from this budget file" and no word of what to give."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"  # a sheet named for its year is read: test_budget_year_sheets
    ws["A1"] = "Children's placements budget 2026-27"
    ws.append(["Cost line", "Budget £"])
    ws.append(["All placements", 74_000_000])
    wb.save(tmp_path / "budget.xlsx")
    with pytest.raises(InputDataError) as refused:
        budget_for_run(tmp_path / "budget.xlsx", CATEGORIES)
    assert (
        "column financial_year: required column is missing from this budget file: give each "
        "row its financial year (2026-27) in a column financial_year; a year named only in a "
        "title above the table is not read"
    ) in str(refused.value)


def test_a_negative_in_excel_s_uk_currency_format_is_a_credit(tmp_path):
    """-£1,234.00, as Excel's UK currency format writes a negative (and a CSV saved from
    it keeps), was "not a number" and its line set aside; it is a credit as -1,234 is."""
    from sufficiency.io.cells import parse_numbers

    path = tmp_path / "budget.csv"
    path.write_text('financial_year,cost_line,budget_gbp\n2026-27,all,"£74,000,000.00"\n'
                    '2027-28,all,"-£1,234.00"\n2026-27,ifa_foster," - £ 500 "\n'
                    '2026-27,in_house_foster,"£-250"\n')  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0, -1_234.0, -500.0, -250.0]
    assert not any("set aside" in n for n in notes), notes
    assert any("row 3 (2027-28 All placements: -£1,234.00)" in n for n in notes), notes
    got = parse_numbers(pd.Series(["£1,234", "-£1,234.00", "+£5", "£ 7", "-£1,23", "£"]))
    assert got.tolist()[:4] == [1234.0, -1234.0, 5.0, 7.0]
    assert got.isna().tolist()[4:] == [True, True]


def test_a_budget_by_month_s_year_total_row_is_left_out_not_its_line(tmp_path):
    """A line's twelve months with a 'Total' row under them (its month cell 'Total', its
    line and year those of the line) set the whole line aside: 'is not a month', then
    every month 'short of row(s) 14', which it was not. The total row is left out and
    the line's twelve months read."""
    path = _by_month(tmp_path / "budget.csv", ["6000000"] * 12)
    path.write_text(path.read_text() + "2026-27,all,Year total,72000000\n")
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72_000_000.0]
    assert len(table["month_profile"].iloc[0]) == 12
    assert not any("set aside" in n for n in notes), notes
    assert any(n.endswith("1 budget row is a total of the lines above, not a line of its own "
                          "(row 14 'Year total'): left out, so no line is counted twice")
               for n in notes), notes  # fmt: skip


def test_a_cost_file_s_total_row_is_left_out_in_one_sentence(tmp_path):
    """A Total under the placements a cost file lists was set aside as an error with
    every category's code ("must be one of: external_residential, ... (value 'Total')")."""
    from sufficiency.config import FinanceParams
    from sufficiency.finance.inputs import costs_for_run
    from sufficiency.finance.report import default_costs

    path = tmp_path / "costs.csv"
    path.write_text('category,weekly_cost,child_id\nifa_foster,950,C1\n'
                    'external_residential,"£5,200.00",C2\nTotal,"6,150",\n')  # fmt: skip
    unit, actual, notes = costs_for_run(path, CATEGORIES, default_costs(FinanceParams()))
    assert actual == 6150.0 and unit.weekly_cost_gbp["ifa_foster"] == 950.0
    assert not any("set aside" in n or "must be one of" in n for n in notes), notes
    assert any(n.endswith("1 row of the cost file is a total of the lines above, not a line "
                          "of its own (row 4 'Total'): left out, so no line is counted twice")
               for n in notes), notes  # fmt: skip


def test_the_inflation_date_is_said_as_people_read_it():
    """The Assumptions sheet's inflation row said 'applied on 01 April each year', where
    every other date in spend.xlsx reads '1 April'."""
    import numpy as np

    from sufficiency.config import FinanceParams
    from sufficiency.finance.report import default_costs, spend_report
    from tests.finance.conftest import _result

    months = pd.date_range("2026-03-31", periods=13, freq="ME")
    base = _result(np.full((5, 13, 10), 10, dtype=np.int32), months)
    params = FinanceParams()
    report = spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1))
    (said,) = [v for k, v in report.assumptions if k == "Inflation"]
    assert said == f"{params.inflation_rate:.1%} a year, applied on 1 April each year"
