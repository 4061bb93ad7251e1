"""A budget giving its original and revised (current, working) figures side by side: the
revised read, the other named."""

from __future__ import annotations

import pytest

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook


@pytest.mark.parametrize(
    ("original", "revised"),
    [("Original budget", "Revised budget"), ("Original Budget £", "Current Budget £"),
     ("Budget (original)", "Budget (working)"), ("Original net budget", "Latest net budget")],
)  # fmt: skip
def test_the_revised_budget_is_read_and_the_original_named(tmp_path, original, revised):
    """Refused before: each column 'unknown ... ignored', then budget_gbp 'missing'."""
    rows = [["Financial year", "Cost line", original, revised], ["2026-27", "All", 74e6, 76e6],
            ["2026-27", "IFA", 11e6, "11,500,000"]]  # fmt: skip
    path = _workbook(tmp_path / "budget.xlsx", rows)
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [76e6, 11.5e6]
    assert notes == [f"{path}: gives more than one budget: read {revised!r} as the budget, "
                     f"the one finance reports against in year; {original!r} not read"]  # fmt: skip


def test_the_revised_budget_in_thousands_and_in_either_order(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [
        ["Financial year", "Cost line", "Revised budget £k", "Original budget £k"],
        ["2026-27", "All", 76_000, 74_000]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [76e6]
    assert any("read 'Revised budget £k' as the budget" in n for n in notes), notes
    assert any("as its heading 'Revised budget £k' says" in n for n in notes), notes


def test_an_original_budget_alone_is_the_budget_and_a_plain_budget_wins(tmp_path):
    alone = _workbook(tmp_path / "alone.xlsx", [["Financial year", "Cost line", "Original budget"],
                      ["2026-27", "All", 74e6]])  # fmt: skip
    table, notes = budget_for_run(alone, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74e6]
    assert notes == [f"{alone}: gives one budget, 'Original budget': read as the budget"]
    plain = _workbook(tmp_path / "plain.xlsx", [
        ["Financial year", "Cost line", "Budget", "Original budget"],
        ["2026-27", "All", 75e6, 74e6]])  # fmt: skip
    table, notes = budget_for_run(plain, CATEGORIES)
    assert table["budget_gbp"].tolist() == [75e6]
    assert not any("more than one budget" in n for n in notes)


def test_a_blank_revised_figure_is_said_in_a_finance_officer_s_words(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [
        ["Financial year", "Cost line", "Original budget", "Current budget"],
        ["2026-27", "All", 74e6, 76e6], ["2026-27", "IFA", 11e6, None]])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [76e6]
    assert any("row 3: Current budget: is blank: give the figure, 0 where there is no budget"
               in n for n in notes), notes  # fmt: skip
