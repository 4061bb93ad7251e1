"""A budget by month whose months are ledger periods (P1 ... P12, M1 ... M12) or month
names alone (April ... March), the year being the row's or the sheet's."""

from __future__ import annotations

import pytest

from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook

NAMES = ["April", "May", "June", "July", "August", "September", "October", "November",
         "December", "January", "February", "March"]  # fmt: skip
PROFILE = [5e6, 5e6, 5e6, 6e6, 6e6, 6e6, 6e6, 6e6, 6e6, 7e6, 7e6, 7e6]


@pytest.mark.parametrize("heads", [[f"P{i}" for i in range(1, 13)],
                                   [f"M{i:02d}" for i in range(1, 13)],
                                   [f"Period {i}" for i in range(1, 13)]])  # fmt: skip
def test_periods_across_are_the_row_s_year_s_months_from_april(tmp_path, heads):
    """Refused before: twelve 'unknown column', then 'required column is missing'."""
    path = _workbook(tmp_path / "budget.xlsx", [
        ["Financial year", "Cost line", *heads],
        ["2026-27", "All", *PROFILE], ["2027-28", "All", *[p + 1e6 for p in PROFILE]],
    ])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [
        ["2026-27", 72e6], ["2027-28", 84e6]]  # fmt: skip
    assert table["month_profile"].iloc[0] == tuple(PROFILE)  # P1 is April: the profile's first
    assert any(f"{heads[0]} of 2026-27 as Apr 2026" in n for n in notes), notes


def test_month_names_across_a_sheet_named_for_its_year(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *NAMES], ["All", *PROFILE]],
                     title="Budget 2026-27")  # fmt: skip
    table, _ = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [["2026-27", 72e6]]
    assert table["month_profile"].iloc[0] == tuple(PROFILE)


def test_periods_as_rows(tmp_path):
    """Every row set aside before: 'P1 is not a month such as 2025-04'."""
    rows = [["2026-27", "All", f"P{i + 1}", v] for i, v in enumerate(PROFILE)]
    path = _workbook(tmp_path / "budget.xlsx", [["Financial year", "Cost line", "Period",
                                                 "Budget"], *reversed(rows)])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [72e6]
    assert table["month_profile"].iloc[0] == tuple(PROFILE)
    assert any("column Period: gives its months as periods" in n and "P1 is April" in n
               for n in notes), notes  # fmt: skip


def test_periods_with_no_year_are_refused_saying_what_to_do(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *[f"P{i}" for i in range(1, 13)]],
                                                ["All", *PROFILE]])  # fmt: skip
    with pytest.raises(InputDataError) as err:
        budget_for_run(path, CATEGORIES)
    assert [p.message for p in err.value.problems] == [
        "gives its months as periods or month names across (P1 to P12) but no financial year "
        "to date them: name the sheet for its year (2026-27) or give each row's financial_year "
        "(P1 is April)"
    ]
