"""A column of words after a column of figures is indented (sufficiency/io/xlsx_gaps.py)."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from sufficiency.io.xlsx_gaps import indent_after_figures


def test_words_after_dates_are_indented_and_words_after_words_are_not():
    ws = Workbook().active
    assert ws is not None
    ws.append(["Scenario", "Quarter ending", "Category", "Places", "Note"])
    ws.append(["Base", dt.datetime(2026, 6, 30), "IFA foster care", 60, "spot"])
    ws.append(["Base", dt.datetime(2026, 9, 30), "Supported accommodation", 20, "block"])
    ws.append([])
    ws.append(["A note under the table, in column A, longer than any of its cells"])
    ws.column_dimensions["C"].width = 27
    assert indent_after_figures(ws) == [3, 5]
    assert [ws.cell(r, 3).alignment.indent for r in (1, 2, 3)] == [1, 1, 1]
    assert ws.cell(2, 3).alignment.horizontal == "left"
    assert ws.column_dimensions["C"].width == 28
    assert [ws.cell(r, 1).alignment.indent for r in (1, 2)] == [0, 0]  # words after nothing
    assert ws.cell(2, 4).alignment.indent == 0  # figures after words


def test_a_column_of_mixed_values_is_left_alone():
    ws = Workbook().active
    assert ws is not None
    ws.append(["Month", "Total"])
    ws.append([dt.datetime(2026, 4, 30), "n/a"])
    ws.append([dt.datetime(2026, 5, 31), 12])
    assert indent_after_figures(ws) == []


def test_columns_are_widened_to_their_headers_words_and_printed_figures():
    from sufficiency.io.xlsx_gaps import widen_to_contents
    from sufficiency.io.xlsx_text import width_for_words

    ws = Workbook().active
    assert ws is not None
    ws.append(["Case", "Recommended plan's cost (£)", "Households"])
    ws.append(["Demand -20%", 198121755.4, 71])
    ws.cell(2, 2).number_format = '"£"#,##0;-"£"#,##0'
    for column in "ABC":
        ws.column_dimensions[column].width = 12
    assert widen_to_contents(ws) == [2]  # "£198,121,755" is 12 characters, and 2 to spare
    assert ws.column_dimensions["B"].width == max(14, width_for_words("Recommended"))
    assert ws.column_dimensions["A"].width == ws.column_dimensions["C"].width == 12


def test_a_column_of_formulas_is_figures():
    """The spend's Scenario comparison works out its difference by formula: a column of
    figures, the scenario's name after it indented, the formulas themselves left alone."""
    ws = Workbook().active
    assert ws is not None
    ws.append(["Base case", "Scenario", "Difference", "Scenario name"])
    ws.append([2415813, 2422103, "=B2-A2", "Step-downs and in-house shift"])
    assert indent_after_figures(ws) == [4]
    assert ws.cell(2, 3).alignment.indent == 0 and ws.cell(2, 3).alignment.horizontal is None
    assert ws.cell(2, 4).alignment.indent == 1
