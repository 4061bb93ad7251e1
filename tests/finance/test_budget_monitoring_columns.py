"""A budget from budget monitoring: its spend to date and forecast outturn columns named, not
read."""

from __future__ import annotations

import pytest

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook


@pytest.mark.parametrize(
    "heading", ["Actual YTD", "Spend to date", "Outturn to date", "YTD actuals",
                "Actual spend to date P8", "Expenditure YTD £k"],
)  # fmt: skip
def test_a_spend_to_date_column_is_named_with_its_figures(tmp_path, heading):
    """Said before as 'unknown column for a budget file; it is ignored', as a typing error."""
    rows = [["Financial year", "Cost line", "Budget", heading], ["2026-27", "All", 74e6, 30e6],
            ["2026-27", "IFA", 11e6, "4,200,000"], ["2026-27", "Secure", 1e6, None]]  # fmt: skip
    path = _workbook(tmp_path / "budget.xlsx", rows)
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74e6, 11e6, 1e6]
    assert notes == [
        f"{path}: gives the column {heading!r}, the ledger's spend to date (row 2 All: 30000000; "
        "row 3 IFA: 4,200,000): not used, as the file does not say to which day it runs; the "
        "workbook's spend to date is estimated from the 903 history "
        "(spend_to_date_estimated_gbp in budget_comparison.csv), so set the two side by side "
        "to check the estimate"
    ]


def test_forecast_outturn_and_variance_beside_a_revised_budget(tmp_path):
    rows = [["Financial year", "Cost line", "Original budget", "Revised budget", "Actual YTD",
             "Forecast outturn", "Variance"],
            ["2026-27", "All", 74e6, 76e6, 30e6, 77e6, 1e6]]  # fmt: skip
    path = _workbook(tmp_path / "budget.xlsx", rows)
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [76e6]
    assert [n.split(": ")[1].split(",")[0] for n in notes] == [
        "gives more than one budget", "gives the column 'Actual YTD'",
        "gives the columns 'Forecast outturn' and 'Variance'"]  # fmt: skip
    assert not any("unknown column" in n for n in notes)


def test_a_grid_s_spend_to_date_is_named_and_the_grid_read(tmp_path):
    months = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26",
              "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *months, "Actual YTD"],
                     ["All", *[6e6] * 12, 30e6]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72e6]
    assert any("'Actual YTD', the ledger's spend to date (row 2 All: 30000000)" in n
               for n in notes), notes  # fmt: skip
