"""A budget workbook with last year's budget on a hidden sheet before this year's."""

from __future__ import annotations

import openpyxl
import pytest

from sufficiency.config import FinanceParams
from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run, costs_for_run
from sufficiency.finance.report import default_costs
from sufficiency.forecast import CATEGORIES

HEAD = ["financial_year", "cost_line", "budget_gbp"]


def _workbook(path, sheets, hidden):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = "hidden" if title in hidden else "visible"
    wb.active = next(i for i, t in enumerate(sheets) if t not in hidden)
    wb.save(path)
    return path


def test_a_visible_budget_sheet_is_read_before_a_hidden_one(tmp_path):
    """The hidden 'Old' sheet (£60m) came first and was read, the visible 'Budget'
    (£74m) left with "only Old is read" and no word that Old was hidden."""
    path = _workbook(tmp_path / "budget.xlsx", {"Old": [HEAD, ["2026-27", "all", 60_000_000]],
                     "Budget": [HEAD, ["2026-27", "all", 74_000_000]]}, hidden={"Old"})  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0]
    assert notes == [
        f"{path}: hides sheet(s) Old in Excel that read as budget: Budget is read, a "
        "hidden sheet only when no visible one reads as budget"
    ]
    assert not any("only Old is read" in n for n in notes), notes


def test_a_hidden_sheet_is_read_when_no_visible_one_is_a_budget(tmp_path):
    sheets = {"Cover": [["Placements budget"]], "Budget": [HEAD, ["2026-27", "all", 74_000_000]]}
    path = _workbook(tmp_path / "budget.xlsx", sheets, hidden={"Budget"})
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0]
    assert any("Budget is read, hidden, as no visible sheet reads as budget" in n for n in notes)


def test_a_cost_file_s_hidden_sheet_of_old_fees_is_not_read(tmp_path):
    head = ["category", "weekly_cost"]
    path = _workbook(tmp_path / "costs.xlsx", {"2025 fees": [head, ["ifa_foster", 900]],
                     "Fees": [head, ["ifa_foster", 1_050]]}, hidden={"2025 fees"})  # fmt: skip
    costs, _, notes = costs_for_run(path, CATEGORIES, default_costs(FinanceParams()))
    assert costs.weekly_cost_gbp["ifa_foster"] == 1_050.0
    assert any("hides sheet(s) 2025 fees" in n for n in notes), notes


def test_a_budget_sheet_with_no_rows_is_still_refused(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", {"Cover": [["Placements budget"]],
                     "Budget": [HEAD]}, hidden=set())  # fmt: skip
    with pytest.raises(InputDataError, match=r"budget.xlsx\[Budget\] has a header row but no "):
        budget_for_run(path, CATEGORIES)
