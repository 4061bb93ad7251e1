"""Row breaks keeping groups of rows on one printed page (sufficiency/io/xlsx_breaks.py)."""

from __future__ import annotations

from openpyxl import Workbook

from sufficiency.io.xlsx import print_a4_landscape
from sufficiency.io.xlsx_breaks import MAX_BREAKS, keep_together, print_scale


def _sheet(heights: list[float], width: int = 100):
    ws = Workbook().active
    assert ws is not None
    ws.append(["Child"])
    ws.row_dimensions[1].height = 30
    for r, height in enumerate(heights, start=2):
        ws.append([f"row {r}"])
        ws.row_dimensions[r].height = height
    print_a4_landscape(ws)
    return ws


def test_a_group_that_would_cross_the_foot_of_a_page_starts_the_next():
    # groups of a 48-point figures row and 150 points of sentences: a page (A4 landscape,
    # 1-inch margins: 451 points, less the 30-point header) holds two, not three
    ws = _sheet([48, 150] * 5)
    starts = list(range(2, 12, 2))
    assert keep_together(ws, starts, [100]) == [6, 10]
    assert [b.id for b in ws.row_breaks.brk] == [5, 9]  # the break after the row before


def test_a_group_taller_than_a_page_starts_one_and_runs_on():
    # 100 points; then 20 and ten rows of 60 (620, more than the page's 408): it starts
    # page 2 and the spreadsheet breaks it after its sixth 60; the last group follows it
    ws = _sheet([100, 20, *[60] * 10, 50])
    assert keep_together(ws, [2, 3, 14], [100]) == [3]


def test_a_sheet_printed_smaller_holds_more_on_a_page():
    # fitted one page wide at half size (248 characters), a page holds twice the height
    ws = _sheet([48, 150] * 5)
    assert print_scale(ws, [248]) == 0.5
    assert keep_together(ws, list(range(2, 12, 2)), [248]) == [10]


def test_a_sheet_printed_across_prints_at_its_scale():
    ws = _sheet([20])
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 100
    assert print_scale(ws, [400]) == 1.0


def test_no_more_breaks_than_excel_keeps():
    ws = _sheet([300] * (MAX_BREAKS + 50))
    begun = keep_together(ws, list(range(2, MAX_BREAKS + 52)), [100])
    assert len(begun) == len(ws.row_breaks.brk) == MAX_BREAKS
