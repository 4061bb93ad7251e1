"""spend.xlsx as a finance reader prints it: header words whole, rows as tall as their
text in Calibri (Carlito), and a financial year covered in part named by its months."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sufficiency.config import FinanceParams
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.finance.run import SpendResult
from sufficiency.finance.writers import write_spend_outputs
from sufficiency.io.xlsx import wrapped_lines  # the one every workbook writer sizes rows with
from sufficiency.io.xlsx_text import available_points, text_points
from tests.finance.conftest import _result


def test_every_header_word_prints_whole(workbook):
    """Monthly's "Supported accommodation" header printed "accommoda / tion" in a column
    11 wide; every header word of every table now fits its column's line."""
    out, _ = workbook
    wb = load_workbook(out / "spend.xlsx")
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (cell.font.b and cell.fill.fgColor.rgb == "00DDEBF7"):
                    continue  # only the bold blue table headers
                if not isinstance(cell.value, str):
                    continue
                width = ws.column_dimensions[get_column_letter(cell.column)].width
                for word in cell.value.split():
                    seen.add(word)
                    fits = text_points(word, bold=True) <= available_points(width)
                    assert fits, (ws.title, cell.value, width)
    assert "accommodation" in seen


def test_rows_are_measured_in_calibri_not_dejavu():
    """Rows were sized at 0.85 characters a unit of width (DejaVu Sans): the Summary's
    outturn paragraph (465 characters across 121) was given 5 lines where LibreOffice, in
    Carlito, prints 4; a column 30 wide holds "Run-rate for 2026-04-30 (today's" (32
    characters) on one line, as the render shows, where 2 were counted."""
    outturn = (
        "2025-26 outturn, the year closed at the forecast start (every month from the 903 "
        "history, none forecast): £64.5m (1 April 2025 to 31 March 2026) at 2026-27 prices, "
        "ESTIMATED from the 903 history (children in care each day by cost line, at the unit "
        "costs and price index the projection uses), not the ledger's actuals; budget missing "
        "(no budget line for 2025-26 was given), so no variance: month by month as the "
        "Monthly sheet's 'history' rows and spend_to_date.csv."
    )
    assert wrapped_lines(outturn, 121) == 4  # the render: 4 lines
    assert wrapped_lines("Run-rate for 2026-04-30 (today's", 30) == 1
    assert wrapped_lines("a\nb", 10) == 2
    # in bold, as the headers: the forecast's "Scenario: Step-downs and in-house shift
    # (mean)" prints on 4 lines in its column 12 wide (6 were counted)
    assert wrapped_lines("Scenario: Step-downs and in-house shift (mean)", 12, bold=True) == 4
    assert wrapped_lines("Variance (mean - budget)", 13, bold=True) == 3  # as printed
    assert wrapped_lines("x" * 40, 10) == 4  # a word wider than a line breaks across lines


def _part_year(tmp_path):
    """A projection from October 2026: 2026-27 covered October to March only."""
    ends = pd.date_range("2026-09-30", periods=19, freq="ME")
    base = _result(np.full((5, len(ends), 10), 10, dtype=np.int32), ends)
    params = FinanceParams()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 2026-27 budget, covered in part, set aside
        report = spend_report(base, params, costs=default_costs(params),
                              run_date=dt.date(2026, 10, 1))  # fmt: skip
    write_spend_outputs(report, tmp_path, dt.date(2026, 10, 1))
    return SpendResult(report, dt.date(2026, 10, 1))


def test_a_year_covered_in_part_says_which_months(tmp_path):
    """The headline said "2026-27: £6.42m (P10 ..., 6 months)" and the Summary sheet
    "2026-27 (current)" beside £6,422,000: half a year read as the year. Both now name the
    months it covers; a whole year is said as before."""
    result = _part_year(tmp_path)
    said = result.headline
    assert "2026-27, October 2026 to March 2027 only (6 of its 12 months): £" in said
    assert "2027-28: £" in said and "12 months" in said
    summary = load_workbook(tmp_path / "spend.xlsx")["Summary"]
    years = [summary.cell(row=r, column=1).value for r in (5, 6)]
    assert years == ["2026-27 (current, Oct-Mar only)", "2027-28"]
    assert text_points(years[0]) <= available_points(summary.column_dimensions["A"].width)


def test_the_scenario_section_starts_a_page_of_its_own(workbook):
    """With rows no taller than their text, the Summary's "Scenario: ..." heading printed
    alone at the foot of page 1 and its table on page 2; a page break now goes above it."""
    out, _ = workbook
    summary = load_workbook(out / "spend.xlsx")["Summary"]
    heads = [str(summary.cell(row=r, column=1).value or "") for r in range(1, summary.max_row + 1)]
    (row,) = [r for r, text in enumerate(heads, start=1) if text.startswith("Scenario: ")]
    assert row - 1 in [b.id for b in summary.row_breaks.brk]


def test_no_header_row_is_taller_than_three_lines(workbook):
    """Budget's "Spend to date (£, estimated from the 903 history, not the ledger: see
    Basis)" wrapped to 6 lines in its column 14 wide, and the header row, as tall, stood
    blank over every other header of the page; its column is widened to 3 lines."""
    out, _ = workbook
    wb = load_workbook(out / "spend.xlsx")
    budget = wb["Budget"]
    heads = {c.value: c.column for c in budget[1] if isinstance(c.value, str)}
    spend = next(h for h in heads if h.startswith("Spend to date"))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.font.b and cell.fill.fgColor.rgb == "00DDEBF7" and cell.value:
                    width = ws.column_dimensions[get_column_letter(cell.column)].width
                    lines = wrapped_lines(str(cell.value), width, bold=True)
                    assert lines <= 3, (ws.title, cell.value, width)
    assert budget.row_dimensions[1].height <= 15 * 3 + 3
    assert budget.column_dimensions[get_column_letter(heads[spend])].width > 14
