"""The workbooks' "Data quality" sheet prints whole, with findings or without."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook

from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.ssda903 import read_history

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_summary_lines_are_not_cut_off_when_nothing_was_set_aside() -> None:
    """The sample needs no repair: spend.xlsx's and commissioning.xlsx's sheet printed
    '903 history: 6 return(s), 2020-21 to 2025-26, data to' and lost '31/03/2026.' and
    the count of children (default column widths, rows one line tall)."""
    quality = read_history(SAMPLE / "ssda903").quality
    assert quality is not None and quality.table().empty
    wb = Workbook()
    add_quality_sheet(wb, quality)
    ws = wb["Data quality"]
    # the merged A-E width, in characters, that a summary line wraps within
    width = sum(ws.column_dimensions[c].width for c in "ABCDE")
    lines = quality.summary_lines()
    assert lines
    for row, line in enumerate(lines, start=3):
        assert ws.cell(row=row, column=1).value == line.strip()
        tall = ws.row_dimensions[row].height / 15  # printed lines the row holds
        assert math.ceil(len(line) / (0.8 * width)) <= tall, (line, width, tall)
    assert ws.page_setup.orientation == "landscape"


def test_counts_in_the_reports_sentences_agree_in_number() -> None:
    """'903 history: 6 return(s)', '(and breaks 2 other rule(s))', '1 placement(s) meet':
    the reports' sentences say a count's noun (and verb) as it is."""
    from sufficiency.matching.explain import _meeting

    quality = read_history(SAMPLE / "ssda903").quality
    assert quality is not None
    assert quality.summary_lines()[0].startswith("903 history: 6 returns, 2020-21 to 2025-26")
    assert [_meeting(1), _meeting(3)] == ["1 placement meets", "3 placements meet"]


def test_the_history_line_says_its_last_day_as_people_read_it() -> None:
    """The spend console's first line said 'data to 31/03/2026' above a headline that says
    '1 April 2025 to 31 March 2026': one day now has one form for people."""
    quality = read_history(SAMPLE / "ssda903").quality
    assert quality is not None
    assert quality.summary_lines()[0].endswith(", data to 31 March 2026.")
