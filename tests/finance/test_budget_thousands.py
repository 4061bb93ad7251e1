"""A budget kept in £000s: said in its heading (Budget £k, Budget (£000)) or in a title
above the table (Figures in £000)."""

from __future__ import annotations

import pytest

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook


@pytest.mark.parametrize("heading", ["Budget £k", "Budget (£000)", "Budget £'000", "Budget £000s"])
def test_a_budget_headed_in_thousands_is_read_in_pounds(tmp_path, heading):
    """The heading was no budget column: the budget was refused."""
    path = _workbook(tmp_path / "budget.xlsx", [["Financial year", "Cost line", heading],
                     ["2026-27", "All", 74_000], ["2026-27", "IFA", "11,000.5"]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0, 11_000_500.0]
    assert any(f"in thousands of pounds, as its heading {heading!r} says" in n for n in notes)


def test_a_title_saying_figures_in_thousands_is_heeded(tmp_path):
    """Silently read as £74,000 before: the year's variance was the whole spend."""
    path = _workbook(tmp_path / "budget.xlsx", [["Placements budget: figures in £000"],
                     ["Financial year", "Cost line", "Budget"], ["2026-27", "All", 74_000],
                     ["2026-27", "External residential", "(1,234)"],
                     ["2026-27", "IFA", "£11m"]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table.set_index("cost_line")["budget_gbp"].to_dict() == {
        "all": 74_000_000.0,
        "external_residential": -1_234_000.0,
        "ifa_foster": 11_000_000.0,
    }
    said = [n for n in notes if "thousands" in n]
    assert said == [f"{path}: gives its budget in thousands of pounds, as the title above the "
                    "table 'Placements budget: figures in £000' says: each figure is read as "
                    "£000s and multiplied by 1,000 (74,000 read as £74,000,000)"]  # fmt: skip


def test_a_csv_title_in_thousands_and_a_grid_s_profile(tmp_path):
    months = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26",
              "Dec-26", "Jan-27", "Feb-27", "Mar-27"]  # fmt: skip
    path = tmp_path / "budget.csv"
    path.write_text("Budget (£000s)\nCost line," + ",".join(months) + "\nAll,"
                    + ",".join(["6000"] * 12) + "\n", encoding="utf-8")  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert any("'Budget (£000s)' says" in n for n in notes), notes
    assert table["budget_gbp"].tolist() == [72_000_000.0]
    assert table["month_profile"].tolist() == [(6_000_000.0,) * 12]


def test_a_budget_in_pounds_is_not_multiplied(tmp_path):
    path = _workbook(
        tmp_path / "budget.xlsx",
        [
            ["Children's placements 2026-27 (£)"],
            ["Financial year", "Cost line", "Budget £"],
            ["2026-27", "All", 74e6],
        ],
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0]
    assert not any("thousands" in n for n in notes)
