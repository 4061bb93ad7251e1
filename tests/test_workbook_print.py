"""The members' own workbooks as a council officer prints them (A4 landscape): the Data
quality sheet forecast.xlsx, spend.xlsx and commissioning.xlsx share printed one page wide
at 57% (its columns 183 characters across); commissioning.xlsx's tables of figures at
47-75%. Each now prints at full size or near it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sufficiency.errors import Problem
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.ssda903 import read_history
from sufficiency.io.xlsx import (
    A4_LANDSCAPE_CHARS,
    narrow_to_page,
    page_ends,
    sheet_widths,
    widen_pages,
    wrapped_lines,
)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_widen_pages_gives_each_page_across_back_the_text_width_it_holds() -> None:
    """Narrowed to fit one page, a table printed across pages anyway kept its sentences in
    columns narrower than its pages had room for (Children placed's Why not at 26 of 43)."""
    widths = [9, 10, 30, 30, 14, 11, 11, 60, 21, 60, 21]
    narrowed = narrow_to_page(widths, {2: 20, 3: 20, 7: 40, 8: 14, 9: 40, 10: 12})
    ends = page_ends(narrowed, keep=1)
    assert ends == [7, 11]
    wide = widen_pages(widths, narrowed, ends, keep=1)
    assert wide[:7] == widths[:7]  # page 1 holds its columns as they were
    assert wide[0] + sum(wide[7:]) == A4_LANDSCAPE_CHARS  # page 2 full, not wider
    assert all(n <= w <= o for n, w, o in zip(narrowed, wide, widths, strict=True))
    assert page_ends(wide[:1] + wide[7:], keep=1) == [5]  # page 2 still one page


def test_widen_pages_gives_the_room_where_it_saves_printed_lines() -> None:
    """Other options' second page gave Why not (its sentences a line or two at 46) all its
    room, to 65, beside Flags at 19, where one child's approvals ran to ten lines and put
    the row on a page of its own. Given the cells' texts, the room goes where it saves the
    most lines, a row as tall as its most wrapped cell."""
    why = ["Worse for this child on the plan's priorities: dearer and further from school."]
    flags = ["out of area for Worcestershire: needs Worcestershire's nominated officer's "
             "approval (its Director of Children's Services if the home's area does not "
             "adjoin Worcestershire)"] + [""] * 5  # fmt: skip
    texts = {1: why * 6, 2: flags}
    widths, narrowed = [9, 650, 240], [9, 26, 12]  # wanted: each its longest text
    rows = list(zip(*texts.values(), strict=True))

    def printed(w: list[int]) -> int:
        return sum(max(wrapped_lines(t, w[k + 1]) if t else 1 for k, t in enumerate(r))
                   for r in rows)  # fmt: skip

    old = widen_pages(widths, narrowed, [3], keep=1)
    new = widen_pages(widths, narrowed, [3], keep=1, texts=texts)
    assert sum(old) == sum(new) == A4_LANDSCAPE_CHARS
    assert old[2] < 20 and printed(old) >= 15  # Flags left narrow: its row 10 lines and more
    assert printed(new) <= printed(old) - 5, (old, new)
    assert all(n <= w <= o for n, w, o in zip(narrowed, new, widths, strict=True))


def test_narrow_to_page_narrows_the_widest_text_first_and_no_further_than_its_least() -> None:
    assert narrow_to_page([10, 80, 70], {1: 30, 2: 30}) == [10, 57, 57]
    assert narrow_to_page([10, 80, 70], {1: 75, 2: 68}) == [10, 75, 68]  # cannot fit
    assert narrow_to_page([10, 20], {1: 5}) == [10, 20]  # fits already


def _quality_with_findings() -> DataQuality:
    quality = read_history(SAMPLE / "ssda903").quality
    assert quality is not None
    long_name = "ssda903/2025/episodes_" + "x" * 40 + ".csv"
    found = tuple(
        Problem(long_name, 10 + i, "DECOM", None, "The episode's end date is before its start "
                "date, so the episode cannot be counted as it stands.", "warning",
                "end_before_start", "Set aside: the child's other episodes are kept.")
        for i in range(3)
    )  # fmt: skip
    return replace(quality, problems=found)


def test_data_quality_sheet_of_findings_on_whole_files_only() -> None:
    """A finding on a whole file has no row or column: the sheet is still written."""
    quality = _quality_with_findings()
    whole = tuple(replace(p, row=None, column=None) for p in quality.problems)
    wb = Workbook()
    add_quality_sheet(wb, replace(quality, problems=whole))
    assert sum(sheet_widths(wb["Data quality"])) <= A4_LANDSCAPE_CHARS


def test_data_quality_sheet_prints_on_a4_landscape_at_full_size() -> None:
    """With findings or without, the sheet's columns fit an A4 landscape page at full
    size (they were 183 characters: one page wide at 57%), its long text wrapped."""
    for quality in (read_history(SAMPLE / "ssda903").quality, _quality_with_findings()):
        assert quality is not None
        wb = Workbook()
        add_quality_sheet(wb, quality)
        ws = wb["Data quality"]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert sum(sheet_widths(ws)) <= A4_LANDSCAPE_CHARS, sheet_widths(ws)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.column in (1, 4, 5):
                    width = ws.column_dimensions[get_column_letter(cell.column)].width
                    if len(cell.value) > width and cell.row > 8:
                        assert cell.alignment.wrap_text, (cell.coordinate, cell.value)
                        assert ws.row_dimensions[cell.row].height >= 28, cell.coordinate


def test_a_note_in_one_cell_becomes_a_paragraph_on_the_first_printed_page() -> None:
    """A note in one cell ran past its table, and LibreOffice fitted it to the page too
    (the forecast's Summary printed at 41%); printed across, it was cut at the first page's
    edge and its first words printed again on every page. It becomes a paragraph wrapped
    across the table, or across the first page's columns not repeated on every page; a
    short label and a row of the table are left as they are."""
    from sufficiency.io.xlsx import notes_as_paragraphs

    note = "Means add up across rows and columns; " * 6
    for columns, keep, first in ((5, 1, "A"), (16, 2, "C")):
        book = Workbook()
        ws = book.active
        assert ws is not None
        ws.append(["Month", *[f"Line {j}" for j in range(2, columns + 1)]])
        ws.append(["2026-04", *range(2, columns + 1)])
        ws.append(["Total"])
        ws.append([note])
        for j in range(1, columns + 1):
            ws.column_dimensions[get_column_letter(j)].width = 15
        assert notes_as_paragraphs(ws, keep) == [4]
        ends = page_ends(sheet_widths(ws), keep)
        # beside the repeated columns, labelled (it began there as if indented)
        assert ws["A4"].value == ("Note" if first != "A" else note)
        assert ws[f"{first}4"].value == note and ws[f"{first}4"].alignment.wrap_text
        merged = f"{first}4:{get_column_letter(ends[0])}4"
        assert merged in {str(r) for r in ws.merged_cells.ranges}
        assert ws["A3"].value == "Total" and ws["A2"].value == "2026-04"
