"""A budget workbook of a sheet per financial year, its year only in the sheet's name."""

from __future__ import annotations

import openpyxl
import pytest

from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run
from sufficiency.finance.year_sheets import year_in_name
from sufficiency.forecast import CATEGORIES


def _workbook(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_each_sheet_named_for_a_year_is_read_as_that_year_s_budget(tmp_path):
    """'2026-27' and 'Budget 2027-28', a title row above one, and a Notes sheet of one
    line: the workbook was refused ("column financial_year: required column is missing",
    or "Notes has a header row but no data rows"), the spend compared with no budget.
    Each year's sheet is now read as its year, said in a note; Notes is named, not read."""
    path = _workbook(tmp_path / "budget.xlsx", {
        "2026-27": [["Children's placements budget 2026-27"], ["Cost line", "Budget £"],
                    ["All placements", 74_000_000], ["IFA foster care", 11_000_000]],
        "Budget 2027-28": [["Cost line", "Budget £"], ["All placements", 77_500_000]],
        "Notes": [["Prepared by finance"]],
    })  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    got = list(zip(table["financial_year"], table["cost_line"], table["budget_gbp"], strict=True))
    assert got == [("2026-27", "all", 74_000_000.0), ("2026-27", "ifa_foster", 11_000_000.0),
                   ("2027-28", "all", 77_500_000.0)]  # fmt: skip
    said = next(n for n in notes if "sheet per financial year" in n)
    assert "sheet '2026-27' as 2026-27's budget" in said
    assert "sheet 'Budget 2027-28' as 2027-28's budget" in said
    assert "sheet(s) Notes not read" in said


def test_a_workbook_of_one_sheet_named_for_its_year_is_read(tmp_path):
    rows = [["Cost line", "Budget £"], ["All placements", "£74m"]]
    path = _workbook(tmp_path / "budget.xlsx", {"2026-27": rows})
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["financial_year", "budget_gbp"]].values.tolist() == [["2026-27", 74_000_000.0]]
    assert any("sheet '2026-27' as 2026-27's budget" in n for n in notes), notes


def test_a_row_of_a_year_sheet_is_named_by_its_sheet_and_row(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", {
        "2026-27": [["Cost line", "Budget £"], ["All placements", 74_000_000]],
        "2027-28": [["Cost line", "Budget £"], ["All placements", "tbc"]],
    })  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["financial_year"].tolist() == ["2026-27"]
    assert any(
        n.startswith(
            "budget.xlsx[2027-28]: 1 budget row set aside for errors (row 2: "
            "Budget £: is not a number (value 'tbc')): no line of it is left, "
            "so its year is compared with no budget"
        )
        for n in notes
    ), notes


def test_two_sheets_for_one_year_are_refused_naming_both(tmp_path):
    rows = [["Cost line", "Budget £"], ["All placements", 74_000_000]]
    path = _workbook(tmp_path / "budget.xlsx", {"2026-27 draft": rows, "2026-27 final": rows})
    with pytest.raises(InputDataError) as refused:
        budget_for_run(path, CATEGORIES)
    assert "has 2 sheets named for 2026-27 (2026-27 draft, 2026-27 final)" in str(refused.value)


@pytest.mark.parametrize(("title", "year"), [
    ("2026-27", "2026-27"), ("Budget 2026_27", "2026-27"), ("FY26-27", "2026-27"),
    ("2026-2027", "2026-27"), ("Sheet1", None), ("2026-28", None), ("2025-26 v 2026-27", None),
])  # fmt: skip
def test_the_year_a_sheet_s_name_gives(title, year):
    assert year_in_name(title) == year


def test_year_sheets_with_no_rows_are_named_and_refused_when_all_are(tmp_path):
    head = [["Cost line", "Budget £"]]
    path = _workbook(tmp_path / "budget.xlsx", {"2026-27": head, "2027-28": head})
    with pytest.raises(InputDataError, match=r"has a sheet per financial year \(2026-27, "
                       r"2027-28\) but no budget row in any"):  # fmt: skip
        budget_for_run(path, CATEGORIES)
    path = _workbook(
        tmp_path / "budget.xlsx",
        {"2026-27": [*head, ["All placements", 74_000_000]], "2027-28": head},
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["financial_year"].tolist() == ["2026-27"]
    assert any("sheet(s) 2027-28 (no rows) not read" in n for n in notes), notes


def test_a_cover_sheet_named_for_the_year_is_not_a_year_s_budget(tmp_path):
    """A cover 'Budget 2026-27 cover' beside a sheet with the year on its rows: the
    budget sheet is read as before, not the cover as 2026-27's (empty) budget."""
    path = _workbook(tmp_path / "budget.xlsx", {
        "Budget 2026-27 cover": [["Placements budget 2026-27"], ["Prepared by finance"]],
        "Budget": [["financial_year", "cost_line", "budget_gbp"], ["2026-27", "all", 74e6]],
    })  # fmt: skip
    table, _ = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [74_000_000.0]
