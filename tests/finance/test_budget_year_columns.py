"""A budget with a column per financial year (Budget 2026-27, Budget 2027-28), as a
medium-term financial plan lays it out."""

from __future__ import annotations

import pytest

from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook


@pytest.mark.parametrize("heads", [["Budget 2026-27", "Budget 2027-28"], ["2026/27", "2027/28"],
                                   ["FY26-27 budget £", "FY27-28 budget £"]])  # fmt: skip
def test_each_year_s_column_is_its_year_s_budget(tmp_path, heads):
    """Refused before: each column 'unknown ... ignored', then 'required column is missing'."""
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *heads],
                     ["All", 74e6, "£77.5m"], ["IFA", 11e6, "11,500,000"]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "cost_line", "budget_gbp"]].values.tolist() == [
        ["2026-27", "all", 74e6], ["2026-27", "ifa_foster", 11e6],
        ["2027-28", "all", 77.5e6], ["2027-28", "ifa_foster", 11.5e6],
    ]  # fmt: skip
    assert any(f"gives a column per financial year: read {heads[0]} as 2026-27's, {heads[1]} "
               "as 2027-28's budget" in n for n in notes), notes  # fmt: skip


def test_two_columns_for_one_year_are_not_guessed_between(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", "Budget 2026-27", "2026/27"],
                                                ["All", 74e6, 76e6]])  # fmt: skip
    with pytest.raises(InputDataError):
        budget_for_run(path, CATEGORIES)


def test_a_year_s_revised_column_is_read_and_its_original_named(tmp_path):
    """2026-27 was compared with no budget before: both its columns 'unknown ... ignored'."""
    path = _workbook(tmp_path / "budget.xlsx", [
        ["Cost line", "Original budget 2026-27", "Revised budget 2026-27", "Budget 2027-28"],
        ["All", 74e6, 76e6, 78e6]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [
        ["2026-27", 76e6], ["2027-28", 78e6]]  # fmt: skip
    assert notes == [f"{path}: gives a column per financial year: read Revised budget 2026-27 as "
                     "2026-27's, Budget 2027-28 as 2027-28's budget; of a year's versions the "
                     "most current is read, 'Original budget 2026-27' not"]  # fmt: skip
