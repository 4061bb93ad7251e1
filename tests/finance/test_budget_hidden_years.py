"""A budget workbook of a sheet per year whose old sheet is hidden in Excel."""

from __future__ import annotations

import openpyxl

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

HEAD = ["Cost line", "Budget"]


def _workbook(path, sheets, hidden):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, figure in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(HEAD)
        ws.append(["All", figure])
        ws.sheet_state = "hidden" if title in hidden else "visible"
    wb.active = next(i for i, t in enumerate(sheets) if t not in hidden)
    wb.save(path)
    return path


def test_a_hidden_draft_of_the_year_does_not_refuse_the_visible_one(tmp_path):
    """Refused before: 'has 2 sheets named for 2026-27 ... which is the budget is not known'."""
    sheets = {"Budget 2026-27 old": 60_000_000, "Budget 2026-27": 74_000_000}
    path = _workbook(tmp_path / "budget.xlsx", sheets, hidden={"Budget 2026-27 old"})
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [["2026-27", 74e6]]
    assert notes == [
        f"{path}: gives a sheet per financial year, its year in the sheet's name only: read "
        "sheet 'Budget 2026-27' as 2026-27's budget; sheet(s) Budget 2026-27 old (hidden in "
        "Excel: unhide it to read it) not read"
    ]


def test_last_year_s_hidden_sheet_is_not_read_as_its_year(tmp_path):
    """Read before as 2025-26's budget (£60m) with no word that it was hidden."""
    path = _workbook(tmp_path / "budget.xlsx", {"2025-26": 60_000_000, "2026-27": 74_000_000},
                     hidden={"2025-26"})  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["financial_year"].tolist() == ["2026-27"]
    assert any("2025-26 (hidden in Excel: unhide it to read it) not read" in n for n in notes)


def test_every_year_sheet_hidden_is_still_read(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", {"Cover": 0, "2026-27": 74_000_000},
                     hidden={"2026-27"})  # fmt: skip
    table, _ = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0]
