"""region.xlsx as a commissioner prints it: every sheet on A4 landscape at full size or
near it (a sheet one page wide was shrunk to 65-80%), the Summary's notes printed with its
headline (under the table, printed across, they came on a page of their own under the
header row repeated over nothing), and the cells a reader reads as they are meant."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE
from sufficiency.region import load_members
from sufficiency.region.members import Member, Region
from sufficiency.region.report import BACKTEST_NOTE, ROUNDING_NOTE
from sufficiency.region.run import RegionResult, plan_member_tasks, scenario_specs
from sufficiency.region.specs import CommissionSummary, CommissionTask, MemberFailure, MemberSummary
from sufficiency.region.tasks import run_commission, run_member
from sufficiency.region.writers import write_workbook

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def workbook(region_dir: Path, params: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """region.xlsx of two members run in this process (the second with two episodes set
    aside, the first with its own plan) and a third whose history could not be read."""
    tmp = tmp_path_factory.mktemp("print")
    first, second = load_members(region_dir / "members.toml").members[:2]
    history = tmp / "ssda903"
    shutil.copytree(second.history, history)
    episodes = history / "2025" / "episodes.csv"
    lines = episodes.read_text().splitlines()
    for i in (3, 7):
        fields = lines[i].split(",")
        fields[1] = ""
        lines[i] = ",".join(fields)
    episodes.write_text("\n".join(lines) + "\n")
    messy = Member(second.code, second.name, history, budget=second.budget)
    broken = Member("E99000009", "Broken Borough", tmp / "missing")
    region = Region("Two and one", (first, messy, broken), None, None)
    tasks = plan_member_tasks(region, scenario_specs([]), params, SEED, tmp, RUN_DATE)
    ran = tuple(run_member(t) for t in tasks[:2])
    assert all(isinstance(s, MemberSummary) for s in ran), ran
    failed = tuple(MemberFailure(broken.code, broken.name, key, "Its 903 history could not be "
                                 "read.", (), "Nothing was read from its 903 history.")
                   for key in ("base", "entries_up_20"))  # fmt: skip
    own = run_commission(CommissionTask(first, SEED, params, tmp, run_date=RUN_DATE))
    assert isinstance(own, CommissionSummary), own
    result = RegionResult(region, ("base",), SEED, ran, (own,), None, failed)  # type: ignore[arg-type]
    return write_workbook(result, tmp / "region.xlsx")


def _widths(ws: Any) -> list[float]:
    return [float(ws.column_dimensions[get_column_letter(c)].width or 0)
            for c in range(1, ws.max_column + 1)]  # fmt: skip


def test_every_sheet_prints_on_a4_landscape_at_full_size_or_near_it(workbook: Path) -> None:
    """Every sheet was printed one page wide: Read with care (139 characters across),
    Failed (146), Sensitivity and the Placement mix (141-159) shrank to 65-80%. Now a
    sheet's columns of text are narrowed (they wrap) to fit a page; one that still does
    not fit at 80% prints at full size on pages across, its code and authority on each."""
    wb = load_workbook(workbook)
    tables = [ws for ws in wb.worksheets if ws["A1"].value != "Nothing to show."]
    assert {"Summary", "Read with care", "Failed", "Placement mix now", "Sensitivity"} <= {
        ws.title for ws in tables
    }
    for ws in tables:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        widths = _widths(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # one page wide, at 80% or more
            assert sum(widths) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, ws.title
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        else:  # at full size, on pages across, whose row it is on each
            keep = 3 if ws.title == "Sensitivity" else 2  # its factor and change too
            assert ws.page_setup.scale == 100, ws.title
            assert ws.print_title_cols == f"$A:${get_column_letter(keep)}", ws.title
            ends = [b.id for b in ws.col_breaks.brk] + [len(widths)]
            for start, end in zip([keep, *ends], ends, strict=False):
                assert sum(widths[:keep]) + sum(widths[start:end]) <= A4_LANDSCAPE_CHARS
        header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Code")
        assert ws.print_title_rows == f"${header}:${header}", ws.title
    care = wb["Read with care"]
    assert sum(_widths(care)) <= A4_LANDSCAPE_CHARS  # sentences: at full size
    assert care.column_dimensions["D"].width >= 40


def test_summary_notes_print_with_its_headline_not_under_a_repeated_header(
    workbook: Path,
) -> None:
    """Printed across pages, the Summary's notes came under the table on a page of their
    own, with the table's header row (repeated on every page after it) over nothing. They
    are above the table, printed with the headline; nothing is under the table."""
    ws = load_workbook(workbook)["Summary"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Code")
    texts = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    assert texts[ROUNDING_NOTE] < header and texts[BACKTEST_NOTE] < header
    last = next(r for r in range(header, ws.max_row + 1) if ws.cell(r, 1).value == "region")
    assert last == ws.max_row
    areas = str(ws.print_area).replace("'Summary'!", "").replace("$", "").split(",")
    assert len(areas) == 2 and areas[0].startswith("A1:") and areas[0].endswith(f"{header - 1}")
    assert areas[1].startswith(f"A{header}:") and areas[1].endswith(str(last))


def test_region_workbook_cells_read_as_meant(workbook: Path) -> None:
    """A member's status read "(its data quality.csv)" and "Failed: base, entries up 20"
    (the solver statuses' words put on a sentence: no such file, no such scenario); it
    names the file and folder. A Yes or No, or a financial year, left-aligned after a
    figure aligned right printed as one with it ("8.5Yes", "49.02026-27"): centred."""
    wb = load_workbook(workbook)
    ws = wb["Summary"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Code")
    heads = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    status = {ws.cell(r, 1).value: ws.cell(r, heads["Status"]).value
              for r in range(header + 1, ws.max_row + 1)}  # fmt: skip
    code = load_workbook(workbook)["Seeds"].cell(3, 1).value
    assert re.fullmatch(
        r"Ran; \d findings? in its 903 data repaired or set aside \(each in "
        rf"data_quality\.csv in members/{code}/base/forecast\)",
        status[code],
    ), status[code]
    assert status["E99000009"] == "Failed: base, entries_up_20"
    for name in ("Financial year", "Backtest placement starts inside P10-P90"):
        cell = ws.cell(header + 1, heads[name])
        assert cell.value and cell.alignment.horizontal == "center", name
    # on each page across, whose row and which change it is
    assert [c.value for c in wb["Sensitivity"][1][:3]] == ["Code", "What changes", "Change"]
    failed = wb["Failed"]
    assert failed.cell(1, 5).value == "Data quality"
    assert failed.cell(2, 5).value == "Nothing was read from its 903 history."


def test_every_header_word_prints_whole(workbook: Path) -> None:
    """A figure's column was 11 characters wide whatever its header: 'Supported
    accommodation' printed 'accommoda' / 'tion'. Each header's longest word fits its column."""
    wb = load_workbook(workbook)
    for ws in wb.worksheets:
        header = next((r for r in range(1, 30) if ws.cell(r, 1).value == "Code"), None)
        if header is None:
            continue
        for c in range(1, ws.max_column + 1):
            words = str(ws.cell(header, c).value or "").split()
            width = ws.column_dimensions[get_column_letter(c)].width
            assert all(len(w) + 1 <= width for w in words), (ws.title, words, width)


def test_a_note_over_a_table_printed_across_is_on_its_first_page(workbook: Path) -> None:
    """Placement mix forecast's rounding note, above a table printed across, was a print
    area of its own: LibreOffice and Excel print each area from a new page, so the note
    had a page to itself. It stands beside the columns repeated on every page, wrapped
    across the first page's other columns, and the sheet has one print area."""
    from sufficiency.io.xlsx import page_ends, sheet_widths

    ws = load_workbook(workbook)["Placement mix forecast"]
    assert ws.print_title_cols == "$A:$B" and ws.col_breaks.brk
    assert ws.print_area is None or "," not in str(ws.print_area)
    (note,) = [c for row in ws.iter_rows() for c in row if c.value == ROUNDING_NOTE]
    assert note.column == 3 and note.alignment.wrap_text
    end = page_ends(sheet_widths(ws), 2)[0]
    assert f"C{note.row}:{get_column_letter(end)}{note.row}" in {
        str(r) for r in ws.merged_cells.ranges
    }


def test_a_sheet_with_nothing_to_show_prints_as_every_other(workbook: Path) -> None:
    """A sheet saying "Nothing to show." had no page setup: it printed portrait, its page
    naming neither its sheet nor its page. It prints A4 landscape, one page wide, with the
    footer every other sheet has."""
    from sufficiency.io.xlsx import FOOTER

    wb = load_workbook(workbook)
    empty = [ws for ws in wb.worksheets if ws["A1"].value == "Nothing to show."]
    assert empty, "the fixture's region has no sheet with nothing to show"
    for ws in empty:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert str(ws.page_setup.paperSize) == "9", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert str(ws.oddFooter.center.text) == FOOTER, ws.title


def test_every_region_sheet_prints_readably_in_libreoffice(workbook: Path, tmp_path: Path) -> None:
    """Rendered by LibreOffice (scripts/rendering.py, as tests/render does the demo's
    workbooks; the region is not in ``make demo``): every sheet of region.xlsx prints at
    85% or more, no column on a page apart from its row's code, every page naming its
    sheet and page."""
    import os

    import rendering

    missing = rendering.missing_tools(html=False)
    if missing:
        reason = f"render tools missing: {', '.join(missing)}"
        if os.environ.get("SUFFICIENCY_REQUIRE_RENDER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    found = rendering.sheet_pages([workbook], tmp_path / "sheets")[workbook]
    assert [s.title for s in found] == load_workbook(workbook).sheetnames
    small = [f"{s.title} ({s.scale:.0%})" for s in found
             if s.scale is not None and s.scale < MIN_PRINT_SCALE]  # fmt: skip
    assert small == []
    assert [s.title for s in found if s.columns_cut] == []
    pdf = tmp_path / "region.pdf"
    rendering.workbooks_to_pdf([workbook], [pdf])
    texts = rendering.page_texts(pdf)
    unnamed = [i for i, text in enumerate(texts, start=1)
               if not re.search(rf" - page {i} of {len(texts)}\b", text)]  # fmt: skip
    assert unnamed == [], f"pages {unnamed} of {len(texts)} name neither sheet nor page"
    # no page holds a note alone: Placement mix forecast's rounding note printed in a print
    # area of its own, a page with two lines on it (only the Summary's headline has a page)
    alone = [i for i, text in enumerate(texts[1:], start=2)
             if "Code" not in text.split() and "Nothing to show." not in text]  # fmt: skip
    assert alone == [], [texts[i - 1][:200] for i in alone]
