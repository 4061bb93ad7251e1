"""A budget sheet with its months as columns, as finance keeps a budget by month."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from sufficiency.finance.inputs import PROFILE, budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook

MONTHS = pd.period_range("2026-04", periods=12, freq="M")
#: The month headings as finance writes them, Excel's own dates among them.
HEADINGS = {
    "Apr-26": [f"{m:%b-%y}" for m in MONTHS],
    "April 2026": [f"{m:%B %Y}" for m in MONTHS],
    "2026-04": [str(m) for m in MONTHS],
    "Excel dates": [dt.datetime(m.year, m.month, 1) for m in MONTHS],
}


@pytest.mark.parametrize("form", HEADINGS)
def test_a_grid_of_one_year_s_months_is_added_up_with_its_profile(tmp_path, form):
    """Each was refused ("gives its months as columns ... not as rows"): the spend was
    compared with no budget. Each row's twelve months are its line's year, the months'
    order the profile; the Total column (a formula Excel never worked out) is left out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Cost line", *HEADINGS[form], "Total"])
    ws.append(["All placements", *[6_000_000] * 11, "£6.5m", "=SUM(B2:M2)"])
    ws.append(["IFA", *["£(1,000)"] + [900_000] * 11, "=SUM(B3:M3)"])
    wb.save(tmp_path / "budget.xlsx")
    table, notes = budget_for_run(tmp_path / "budget.xlsx", CATEGORIES)
    got = list(zip(table["financial_year"], table["cost_line"], table["budget_gbp"], strict=True))
    assert got == [("2026-27", "all", 72_500_000.0), ("2026-27", "ifa_foster", 9_899_000.0)]
    assert table[PROFILE].iloc[0] == (6_000_000.0,) * 11 + (6_500_000.0,)
    assert any("gives its months as columns" in n and "added up to its line's 2026-27 budget"
               in n and "the total column is left out" in n for n in notes), notes  # fmt: skip
    assert not any("set aside" in n for n in notes), notes


def test_a_grid_s_bad_month_is_named_by_row_and_column_and_its_line_set_aside(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text(
        "cost_line," + ",".join(HEADINGS["Apr-26"]) + "\n"
        "all," + ",".join(["6000000"] * 12) + "\n"
        "ifa_foster," + ",".join(["900000"] * 5 + ["tbc", ""] + ["900000"] * 5) + "\n"
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["cost_line"].tolist() == ["all"]
    said = next(n for n in notes if "set aside" in n)
    assert "row 3: Sep-26: is not a number; the line's twelve months cannot be added up " \
           "(value 'tbc')" in said, said  # fmt: skip
    assert "Oct-26: is blank: give the figure, 0 where there is no budget" in said, said


def test_a_grid_s_negative_months_are_named_as_credits(tmp_path):
    """Read silently before: a month of (1,000) took £1,000 off the line, unsaid."""
    months = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26",
              "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip
    path = budget_workbook(tmp_path / "budget.xlsx", [["Cost line", *months],
                           ["All", *["£6,000,000"] * 11, "(1,000)"],
                           ["IFA", -500, *[1e6] * 10, "£(2,000)"]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [65_999_000.0, 9_997_500.0]
    assert [n for n in notes if "credit" in n] == [
        f"{path}: gives 3 negative months, read as a credit that reduces its line's budget: "
        "row 2 (All, Mar-27: (1,000)); row 3 (IFA, Apr-26: -500); row 3 (IFA, Mar-27: £(2,000))"
    ]


def test_each_month_written_with_a_multiplier_is_counted(tmp_path):
    """Said before as 'column Mar-27: 1 figure written with a multiplier', of twelve."""
    months = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26",
              "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip
    path = budget_workbook(tmp_path / "budget.xlsx", [["Cost line", *months],
                           ["All", *["6,000k"] * 12], ["IFA", *[1e6] * 11, "£1m"]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72e6, 12e6]
    said = [n for n in notes if "multiplier" in n]
    assert len(said) == 1 and said[0].startswith(
        f"{path}: 13 figures of its months written with a multiplier (k a thousand, m a "
        "million) read as pounds: row 2, Apr-26 '6,000k' as £6,000,000; row 2, May-26 "
    )
    assert "; and 7 more. Check none was meant otherwise" in said[0]
