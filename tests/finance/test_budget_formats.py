"""A budget file as finance keeps it: months as text, pounds with £ and commas, a figure
in brackets, a blank month, and what each does to the year's budget."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sufficiency.config import FinanceParams
from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run, read_budget
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.finance.writers import write_spend_outputs
from sufficiency.forecast import CATEGORIES

#: April 2026 to March 2027 written three ways, as a finance export mixes them.
MONTHS = ["Apr-26", "May-26", "June 2026", "July 2026", "2026-08", "2026-09", "Oct-26",
          "Nov-26", "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip


def _budget(path, figures):
    rows = [("2026-27", "all", f, m) for f, m in zip(figures, MONTHS, strict=True)]
    pd.DataFrame(rows, columns=["financial_year", "cost_line", "budget_gbp", "month"]).to_csv(
        path, index=False
    )
    return path


def test_months_as_text_and_pounds_with_signs_and_commas_add_up_to_the_year(tmp_path):
    """Apr-26, June 2026 and 2026-08 are the same kind of month; £6,000,000.00 is six
    million pounds: the twelve add to £72m, profiled in the file's order."""
    path = _budget(tmp_path / "budget.csv", ["£6,000,000.00"] * 11 + ["£6,000,000"])
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72_000_000.0]
    assert len(table["month_profile"].iloc[0]) == 12
    assert any("added up to its year's budget (2026-27 All placements £72,000,000)" in n
               for n in notes)  # fmt: skip


def test_a_month_in_brackets_is_a_credit_that_reduces_the_year(tmp_path):
    """March written (1,200.00), as finance writes a correction, was "below the least a
    budget may be": its row, and with it the whole line's twelve months, were set aside,
    so the run compared spend with no budget. It is a credit: the year is £66m less
    £1,200, profiled with it, and one note names the file, row and figure as written."""
    path = _budget(tmp_path / "budget.csv", ["£6,000,000.00"] * 11 + ["(1,200.00)"])
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [65_998_800.0]
    assert table["month_profile"].iloc[0][-1] == -1200.0
    credits = [n for n in notes if "credit" in n]
    assert credits == [
        "budget.csv gives a negative figure, read as a credit that reduces its line's "
        "budget: row 13 (2026-27 All placements, March 2027: (1,200.00))."
    ]
    assert not any("set aside" in n or "below nothing" in n for n in notes)
    assert read_budget(path, CATEGORIES)["budget_gbp"].tolist() == [65_998_800.0]


def test_a_spend_run_with_that_budget_writes_its_workbook(workbook_inputs, tmp_path):
    """The run that stopped with a traceback writes its workbook, with no budget."""
    base, params = workbook_inputs
    path = _budget(tmp_path / "budget.csv", ["£6,000,000.00"] * 11 + ["(1,200.00)"])
    table, _ = budget_for_run(path, CATEGORIES)
    report = spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                          budget=table)  # fmt: skip
    write_spend_outputs(report, tmp_path / "out", dt.date(2026, 4, 1))
    assert (tmp_path / "out" / "spend.xlsx").is_file()


@pytest.fixture
def workbook_inputs():
    import numpy as np

    from tests.finance.conftest import _result

    months = pd.date_range("2026-03-31", periods=13, freq="ME")
    rng = np.random.default_rng(5)
    return _result(rng.poisson(30, size=(50, 13, 10)).astype(np.int32), months), FinanceParams()


def test_a_yearly_budget_figure_in_brackets_is_read_and_its_negative_year_warned_of(tmp_path):
    """A budget line written (£1,200) was set aside as a budget below 0. It is read as
    -1,200, named once in a note, and, a whole year's budget below nothing being likely a
    mistake, warned of; the line is compared as given. A negative written -500 is read
    alike. A figure merely in brackets of text is still not a number."""
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line,budget_gbp\n2026-27,all,74000000\n"
        '2026-27,ifa_foster,"(£1,200)"\n2026-27,in_house_foster,(about 5m)\n'
        "2026-27,external_residential,-500\n",
        encoding="utf-8",
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert dict(zip(table["cost_line"], table["budget_gbp"], strict=True)) == {
        "all": 74_000_000.0,
        "ifa_foster": -1200.0,
        "external_residential": -500.0,
    }
    said = " ".join(notes)
    assert (
        "budget.csv gives 2 negative figures, read as a credit that reduces its line's "
        "budget: row 3 (2026-27 IFA foster care: (£1,200)); row 5 (2026-27 External "
        "children's homes: -500)."
    ) in notes
    assert "the 2026-27 IFA foster care budget comes to -£1,200 for the year, below nothing" in said
    assert "the 2026-27 External children's homes budget comes to -£500" in said
    assert "row 4: budget_gbp: is not a number (value '(about 5m)')" in said


def test_a_budget_sheet_as_finance_heads_and_names_it(tmp_path):
    """A budget sheet headed 'Budget £' with March written (1,200), its lines named as
    finance names them ('External residential', the code in words): the bracket was
    'not a number' (only a column named budget_gbp or budget was looked at), so the whole
    IFA line was set aside; 'External residential' was 'must be one of: ...'. Both lines
    are now read, the credit said once."""
    rows = [("2026-27", line, m, "£1,000,000" if m != "Mar-27" or line == "External "
             "residential" else "(1,200)") for line in ("IFA foster care", "External "
             "residential") for m in ("Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26",
             "Sep-26", "Oct-26", "Nov-26", "Dec-26", "Jan-27", "Feb-27", "Mar-27")]  # fmt: skip
    path = tmp_path / "budget.csv"
    pd.DataFrame(rows, columns=["Financial year", "Cost line", "Month", "Budget £"]).to_csv(
        path, index=False
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert dict(zip(table["cost_line"], table["budget_gbp"], strict=True)) == {
        "ifa_foster": 10_998_800.0,
        "external_residential": 12_000_000.0,
    }
    assert not any("set aside" in n for n in notes), notes
    assert any("row 13 (2026-27 IFA foster care, March 2027: (1,200))" in n for n in notes)


def test_a_budget_with_its_months_as_columns_short_of_a_month_is_refused_saying_why(tmp_path):
    """A budget grid (a row per cost line, a column per month, a Total) was refused with
    'budget_gbp: required column is missing' after a warning that each month's column
    'is ignored': no word of what to give. A grid of one year's twelve months is read
    (test_budget_grid); one short of a month names the month columns, why, and the layout
    spend --budget reads."""
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line," + ",".join(MONTHS[:11]) + ",Total\n"
        "2026-27,IFA foster care," + ",".join(['"£1,000"'] * 11) + ',"£11,000"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputDataError) as err:
        budget_for_run(path, CATEGORIES)
    (problem,) = err.value.problems
    assert problem.message.startswith(
        "the months across are not one financial year's twelve, once each (2026-27: April "
        "2026 to March 2027): gives its months as columns (Apr-26 to Feb-27, 11 columns), "
        "not as rows: spend --budget reads one row per cost line and month, with columns "
        "financial_year, cost_line, month and budget_gbp"
    ), problem.message


def test_the_budget_sheet_says_when_reading_the_file_set_lines_aside(workbook_inputs, tmp_path):
    """A budget whose External residential line lost a month (a blank cell) was compared
    on its other lines; the Budget sheet listed those alone, with no word that the file
    held more (said only on the Assumptions sheet). It now points there; a budget read
    whole gets no such note."""
    from openpyxl import load_workbook

    base, params = workbook_inputs
    rows = [("2026-27", line, m, "£1,000,000" if (line, m) != ("ifa_foster", "Mar-27") else "")
            for line in ("all", "ifa_foster") for m in MONTHS]  # fmt: skip
    path = tmp_path / "budget.csv"
    cols = ["financial_year", "cost_line", "month", "budget_gbp"]
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)

    def budget_sheet(out):
        table, notes = budget_for_run(path, CATEGORIES)
        report = spend_report(base, params, costs=default_costs(params), notes=notes,
                              run_date=dt.date(2026, 4, 1), budget=table)  # fmt: skip
        write_spend_outputs(report, tmp_path / out, dt.date(2026, 4, 1))
        ws = load_workbook(tmp_path / out / "spend.xlsx")["Budget"]
        return " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)

    said = budget_sheet("lost")
    assert "Read with care: not every line of the budget file is here as written" in said
    pd.DataFrame([(*r[:3], "£1,000,000") for r in rows], columns=cols).to_csv(path, index=False)
    assert "Read with care" not in budget_sheet("whole")
