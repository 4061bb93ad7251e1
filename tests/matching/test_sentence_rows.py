"""Children placed and Other options as a placement team prints them: each row's figures on
one line and its sentences (why this home, why not, flags) each on a row of its own across
the page. In narrow wrapped columns beside the figures, the sentences made each child's row
ten lines tall and more: the sample night's workbook printed on 62 pages (tests/render
counts the pages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency import vocabulary
from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, sheet_widths
from sufficiency.io.xlsx_text import wrapped_lines
from sufficiency.matching import match
from sufficiency.matching.report import match_report
from sufficiency.matching.text_rows import fold_texts
from sufficiency.matching.workbook import write_workbook

SHEETS = {"Children placed": "children", "Other options": "options"}


@pytest.fixture(scope="module")
def written(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The sample night's report and its workbook."""
    run = match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                run_date=dt.date(2026, 4, 1))  # fmt: skip
    report = match_report(run)
    path = write_workbook(report, tmp_path_factory.mktemp("rows") / "match_report.xlsx")
    return report, path


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=vocabulary.column)


@pytest.mark.parametrize("title", SHEETS)
def test_every_sentence_and_figure_is_still_in_the_workbook(written, title):
    """Nothing dropped: every why, why not and flags text of every row is in a cell of its
    own, whole, and read back (as the web pages read the sheet) the table is the report's,
    figure for figure."""
    report, path = written
    expected = _table(getattr(report, SHEETS[title]))
    cells = {c.value for row in load_workbook(path)[title].iter_rows() for c in row}
    texts = [t for c in ("why", "why_not", "flags") if c in getattr(report, SHEETS[title])
             for t in getattr(report, SHEETS[title])[c] if t]  # fmt: skip
    assert len(texts) > len(expected) and set(texts) <= cells
    sheet = pd.read_excel(path, sheet_name=title, dtype=object)
    back = fold_texts(sheet, title)
    assert list(back.columns) == list(expected.columns)
    assert len(back) == len(expected) == (44 if title == "Children placed" else 128)

    def blank(v: object) -> bool:
        return v is None or v is pd.NA or v == "" or (isinstance(v, float) and v != v)

    for column in expected.columns:
        want = [None if blank(v) else v for v in expected[column]]
        got = [None if blank(v) else v for v in back[column]]
        if pd.api.types.is_numeric_dtype(expected[column]):
            assert got == pytest.approx(want, nan_ok=True), column
        else:
            assert [str(v) if v is not None else v for v in got] == want, column


@pytest.mark.parametrize("title", SHEETS)
def test_sentences_print_across_the_page_under_their_row(written, title):
    """The figures print at full size on A4 landscape (no sentence in their columns); each
    sentence is labelled in column A, merged across the rest of the page, wrapped, its row
    tall enough for its lines; a row of figures prints on one line and has a rule over it."""
    _, path = written
    ws = load_workbook(path)[title]
    widths = sheet_widths(ws)
    head = [c.value for c in ws[1]]
    assert not {"Why this home", "Why not", "Flags"} & set(head)
    assert sum(widths) <= A4_LANDSCAPE_CHARS and ws.sheet_properties.pageSetUpPr.fitToPage
    merged = {r.min_row: r for r in ws.merged_cells.ranges}
    labels, figures = 0, 0
    for r in range(2, ws.max_row + 1):
        label, text = ws.cell(r, 1).value, ws.cell(r, 2).value
        if label in ("Why this home", "Why not", "Flags"):
            labels += 1
            span = merged[r]
            assert (span.min_col, span.max_col) == (2, len(head)), r
            assert ws.cell(r, 2).alignment.wrap_text
            # the merged cell is as wide as its columns, 7w + 5 pixels each
            lines = wrapped_lines(text, sum(widths[1:]) + 5 * (len(widths) - 2) / 7)
            assert ws.row_dimensions[r].height >= 15 * lines, (r, text)
        else:
            figures += 1
            assert ws.cell(r, 1).border.top.style == "thin", r
            assert r not in merged
    assert labels > figures > 40
    # nine rows of figures in ten on a line or two, of the options on one (each was ten lines
    # tall and more)
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)
               if ws.cell(r, 1).value not in ("Why this home", "Why not", "Flags")]  # fmt: skip
    assert sum(h <= 33 for h in heights) >= 0.9 * len(heights), heights
    if title == "Other options":
        assert sum(h <= 18 for h in heights) >= 0.9 * len(heights), heights


def test_a_sheet_of_the_old_layout_is_read_as_it_is():
    """A workbook written before (its sentences in columns) is read as it was: the web pages
    show reports of earlier nights."""
    old = pd.DataFrame({"Child": ["R1"], "Home": ["P1"], "Type of home": ["x"],
                        "Why not": ["It is full."], "Flags": [None]})  # fmt: skip
    assert fold_texts(old, "Children placed") is old


def test_a_child_id_like_a_label_is_a_child_when_its_row_has_figures():
    """A row is a sentence only when labelled and nothing but its text follows: a child
    whose ID is "Flags" keeps its row."""
    sheet = pd.DataFrame({
        "Child": ["Flags", "Why not", "R2"], "Rank": [1, "Its only place goes to R9.", 1],
        "Home": ["P1", None, "P2"], "Type of home": ["x", None, "y"],
    })  # fmt: skip
    folded = fold_texts(sheet, "Other options")
    assert list(folded["Child"]) == ["Flags", "R2"]
    assert folded.loc[0, "Why not"] == "Its only place goes to R9."
    assert pd.isna(folded.loc[1, "Why not"])
