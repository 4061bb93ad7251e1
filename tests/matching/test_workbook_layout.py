"""Workbook layout as printed: a note beside the columns repeated on every page is
labelled, and text set one indent in is left-aligned, so spreadsheets indent it."""

from __future__ import annotations

from pathlib import Path

from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame
from openpyxl import Workbook, load_workbook

from sufficiency.config import Params
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.ssda903 import read_history
from sufficiency.io.xlsx import first_page_note, print_sheet
from sufficiency.matching.run import run_matching
from sufficiency.matching.writers import write_match_outputs

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _wide_sheet(keep: int) -> tuple[Workbook, object]:
    """A table of 30 columns of figures, printed across with ``keep`` key columns."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in range(1, 6):
        for j in range(1, 31):
            sheet.cell(row=r, column=j, value=r * j)
    for j in range(1, 31):
        sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = 12
    assert len(print_sheet(sheet, keep)) > 1
    return book, sheet


def test_a_note_beside_the_repeated_columns_is_labelled() -> None:
    """Printed across, a note under the table starts beside the key columns (it would be
    cut at the page's edge or repeat its first words on every page from column A): it
    began there unlabelled, as if indented for no reason (spend's Quarterly); now column
    A says "Note", and "Notes" over several."""
    _, sheet = _wide_sheet(keep=2)
    first_page_note(sheet, 8, "Means add up across rows and columns. " * 4, keep=2)
    assert sheet["A8"].value == "Note" and sheet["A8"].font.bold
    assert sheet["C8"].value.startswith("Means add up")
    first_page_note(sheet, 9, "Months marked history are past. " * 4, keep=2)
    assert (sheet["A8"].value, sheet["A9"].value) == ("Notes", None)
    _, alone = _wide_sheet(keep=1)
    first_page_note(alone, 8, "A note on its own. " * 8, keep=1)
    first_page_note(alone, 11, "Another, further down. " * 8, keep=1)
    assert (alone["A8"].value, alone["A11"].value) == ("Note", "Note")


def _indented_not_aligned(path: Path) -> list[str]:
    """Cells indented whose horizontal alignment is not left, right or distributed: the
    spreadsheets ignore the indent of text aligned 'general'."""
    found = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                a = cell.alignment
                if a.indent and a.horizontal not in ("left", "right", "distributed"):
                    found.append(f"{sheet.title}!{cell.coordinate}")
    return found


def test_text_set_an_indent_in_is_left_aligned(tmp_path: Path) -> None:
    """The match report's text after a column of figures, and the data quality summary's
    sub-lines, were set one indent in with no horizontal alignment: LibreOffice printed them
    flush against the figures before them ("7.4In-house foster care")."""
    refs = referrals_frame([referral("C1"), referral("C2", age=12)])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=700.0)])
    write_match_outputs(run_matching(refs, plcs, RUN_DATE, Params()), tmp_path)
    book = Workbook()
    quality = read_history(SAMPLE / "ssda903").quality
    assert quality is not None
    add_quality_sheet(book, quality)
    book.save(tmp_path / "quality.xlsx")
    assert load_workbook(tmp_path / "match_report.xlsx")["Children placed"]["H1"].alignment.indent
    assert _indented_not_aligned(tmp_path / "match_report.xlsx") == []
    assert _indented_not_aligned(tmp_path / "quality.xlsx") == []


def test_an_empty_table_says_so_on_the_line_under_its_header(tmp_path: Path) -> None:
    """ "No warnings about the inputs." sat at the foot of a row four lines tall (sized as if
    wrapped in the narrow first column, set at the bottom), far below the header."""
    refs = referrals_frame([referral("C1")])
    write_match_outputs(run_matching(refs, placements_frame([placement("P1")]), RUN_DATE,
                                     Params()), tmp_path)  # fmt: skip
    book = load_workbook(tmp_path / "match_report.xlsx")
    for title in ("Input notes", "Set aside", "Decisions"):
        sheet = book[title]
        assert sheet.max_row == 2 and sheet["A2"].value, title
        assert sheet["A2"].alignment.vertical == "top", title
        assert sheet.row_dimensions[2].height <= 17, (title, sheet.row_dimensions[2].height)
