"""A budget grid whose month headings, or its total's, say £k or £000: read in thousands."""

from __future__ import annotations

import pytest

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook

MONTHS = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26",
          "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip


@pytest.mark.parametrize("mark", [" £k", " (£000)", " £'000", " [£000s]"])
def test_month_headings_marked_in_thousands_are_read_in_thousands(tmp_path, mark):
    """Refused before: 'Apr-26 £k' was no month ('unknown column ... ignored' twelve times)."""
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *[m + mark for m in MONTHS]],
                     ["All", *[6_000] * 11, "6,500"], ["IFA", *["£1m"] * 12]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72_500_000.0, 12_000_000.0]
    assert table["month_profile"].iloc[0] == (6e6,) * 11 + (6.5e6,)
    said = [n for n in notes if "thousands" in n]
    first, last = "Apr-26" + mark, "Mar-27" + mark
    assert said == [f"{path}: gives its budget in thousands of pounds, as the mark on its month "
                    f"headings ({first!r} to {last!r}) says: each figure is read as "
                    "£000s and multiplied by 1,000 (72,500 read as £72,500,000)"]  # fmt: skip


def test_a_total_column_marked_in_thousands_says_the_grid_is(tmp_path):
    """Read silently as £72,000 before: the Total £k column was left out, unheeded."""
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *MONTHS, "Total £k"],
                     ["All", *[6_000] * 12, 72_000]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72_000_000.0]
    assert any("as its total column's heading 'Total £k' says" in n for n in notes), notes


def test_a_grid_over_two_years_marked_in_thousands(tmp_path):
    later = [m[:-2] + str(int(m[-2:]) + 1) for m in MONTHS]
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *[m + " £k" for m in MONTHS + later]],
                     ["All", *[6_000] * 12, *[7_000] * 12]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [
        ["2026-27", 72_000_000.0], ["2027-28", 84_000_000.0]]  # fmt: skip
    assert sum("in thousands of pounds" in n for n in notes) == 2, notes


def test_a_grid_in_pounds_is_not_multiplied(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *MONTHS, "Total £"],
                     ["All", *[6e6] * 12, 72e6]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72_000_000.0]
    assert not any("thousands" in n for n in notes)
