"""``match_report.xlsx``: the 8am match report as a workbook (content from :mod:`.report`).

Page 1 ("Summary") prints on A4 landscape at full size, one page or two (the flags' header
again atop the second): the headline, every flag with its count,
a sentence and the sheet to look at (raised flags bold on red, and marked "Check" in
words). Every other sheet is a table with plain-word headers (bold, filled, numeric
headers right-aligned), its header row frozen and repeated on every printed page, long
text wrapped in rows tall enough to show it whole, and A4 landscape one page wide: its
columns of text narrowed (never below their longest word) to fit a page at full size, or
to fit one at 85% or more, narrower still (Children placed, Other options), or else
printed across at full size (:func:`_page_widths`); a column is never printed on a page
apart from its child's row. Text after figures is left-aligned one indent in.
Hashes, configuration and the solver are on the last sheet only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.io.xlsx import (
    A4_LANDSCAPE_CHARS,
    narrow_to_page,
    one_page_widths,
    page_ends,
    print_a4_landscape,
    print_across,
    save_workbook,
    widen_pages,
)
from sufficiency.io.xlsx_style import COUNT, HEADER_FILL, WRAP
from sufficiency.matching import text_rows
from sufficiency.matching.by_council import COUNCIL_HEADERS
from sufficiency.matching.report import MatchReport

#: Number formats: whole pounds on page 1, pounds and pence in tables, miles (counts are
#: :data:`~sufficiency.io.xlsx_style.COUNT`).
GBP = '"£"#,##0'
GBP_SIGNED = '"£"#,##0;-"£"#,##0;"£"0'
GBP_PENCE = '"£"#,##0.00'
GBP_PENCE_SIGNED = '"£"#,##0.00;-"£"#,##0.00;"£"0.00'
MILES = "0.0"
SCORE = "#,##0.00"

BOLD = Font(name="Calibri", bold=True)
TITLE = Font(name="Calibri", bold=True, size=16)
#: A raised flag: dark red bold text on a light red fill (and the word "Check").
FLAG_FONT = Font(name="Calibri", bold=True, color="9C0006")
FLAG_FILL = PatternFill("solid", fgColor="FFC7CE")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
TOP = Alignment(vertical="top")
LEFT = Alignment(vertical="top", horizontal="left", wrap_text=True)
#: Text after a column of right-aligned figures starts one indent in, clear of them.
WRAP_INDENT = Alignment(wrap_text=True, vertical="top", horizontal="left", indent=1)
#: Figures stop one indent short of the column's right edge, clear of the text after them.
FIGURE = Alignment(vertical="top", horizontal="right", indent=1)
#: Points per printed line of 11-point text.
LINE_HEIGHT = 15.0

#: Column formats in the tables.
_FORMATS: dict[str, str] = {
    "weekly_cost": GBP_PENCE,
    "weekly_cost_difference": GBP_PENCE_SIGNED,
    "miles_from_home": MILES,
    "miles_from_school": MILES,
    "nearest_miles_from_home": MILES,
    "rank": COUNT,
    "row": COUNT,
}
#: Widest a column grows (characters); text beyond it wraps.
_MAX_WIDTH: dict[str, int] = {
    "why": 42, "why_not": 42, "reason": 80, "nearest_breaks": 42, "problem": 70,
    "note": 60, "flags": 20, "home_type": 16, "provider": 16, "next_best": 20,
    "assumption": 130, "value": 72, "item": 46,
}  # fmt: skip
#: Narrowest a column of text is made (characters) for its table to print on A4 at full
#: size; its text wraps. IDs, figures and short codes are never narrowed.
_LEAST_WIDTH: dict[str, int] = {
    "why": 26, "why_not": 26, "reason": 30, "nearest_breaks": 24, "problem": 30,
    "note": 24, "flags": 12, "home_type": 12, "provider": 12, "next_best": 14,
    "assumption": 60, "value": 40, "item": 24,
}  # fmt: skip
#: Narrowest a column of text is made for its table to print one page wide at 85% or more
#: (:func:`~sufficiency.io.xlsx.one_page_widths`), before it is printed across pages.
_ONE_PAGE_WIDTH: dict[str, int] = {
    "why": 20, "why_not": 20, "reason": 24, "nearest_breaks": 20, "problem": 24,
    "note": 20, "flags": 10, "home_type": 10, "provider": 10, "next_best": 12,
    "assumption": 60, "value": 40, "item": 24,
}  # fmt: skip
_DECISION_HEADERS = {"status": "What the run did", "placement_id": "Home"}


#: The Summary's row of the flags' header, printed again atop each page after the one it is
#: on (the sheet runs onto a second page on a night of long sentences).
FLAGS_HEADER_ROW = 11
#: After the urgent line on page 1, which names the children in brackets.
URGENT_WORDS = ". Urgent means needed today; the reasons are in full under Not placed."


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _value(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value.item() if hasattr(value, "item") else value


def _text_width(value: Any, fmt: str | None) -> int:
    if _blank(value):
        return 0
    if isinstance(value, float) and fmt:
        return len(f"{value:,.2f}") + 1
    return len(str(value))


def _lines(text: str, width: float) -> int:
    """Printed lines ``text`` takes in a column ``width`` characters wide (word wrap)."""
    # a column ``width`` wide holds about 1.2 ``width`` characters of ordinary text in
    # Calibri (Carlito), less its indent: 25 at 21 wide, 28 at 23, printed without one;
    # 1.15 less 2, measured in DejaVu Sans, made Children placed's rows half as tall again
    usable = max(width * 1.18 - 2.5, 4.0)
    lines = 0
    for para in str(text).split("\n"):
        n, line = 1, 0.0
        for word in para.split():
            w = len(word)
            if line and line + 1 + w > usable:
                n += 1 + int(w // usable)
                line = w % usable
            else:
                line += (1 if line else 0) + w
        lines += n
    return max(lines, 1)


def _fit_rows(ws: Worksheet, first: int, last: int, widths: Mapping[int, float]) -> None:
    """Rows tall enough for every wrapped cell's text to show whole."""
    for r in range(first, last + 1):
        lines = 1
        for j, width in widths.items():
            value = ws.cell(row=r, column=j).value
            if isinstance(value, str):
                lines = max(lines, _lines(value, width))
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 2


def _longest_word(values: pd.Series) -> int:
    return max((len(w) for v in values if isinstance(v, str) for w in v.split()), default=0)


def _page_widths(
    frame: pd.DataFrame, widths: list[int], figures: Mapping[str, int] | None = None
) -> list[int]:
    """Column widths for A4 landscape: the columns of text narrowed (they wrap; none below
    its longest word) to fit one page, at 85% or more, narrower still if need be
    (:data:`_ONE_PAGE_WIDTH`, figures as wide as their widest, ``figures``): printed across
    at full size, Children placed took 22 pages on the sample night, two across for each
    four children; a table still too wide prints at
    full size on pages across, the child's ID on each, each page's text as wide as the page
    holds (:func:`~sufficiency.io.xlsx.widen_pages`): narrowed for one page, Children
    placed printed across on 32 pages, three children a page, its sentences in columns
    half as wide as their pages had room for. Before narrowing, Children placed printed at
    48%, Other options at 58% and Not placed at 63%."""
    figures = figures or {}
    least = {
        k: max(_LEAST_WIDTH[c], _longest_word(frame[c]) + 3)
        for k, c in enumerate(map(str, frame.columns)) if c in _LEAST_WIDTH
    }  # fmt: skip
    narrowed = narrow_to_page(widths, least)
    ends = page_ends(narrowed, keep=1)
    if len(ends) == 1:
        return narrowed
    wanted = [max(w, _longest_text(frame[c]) + 3) if c in _LEAST_WIDTH else w
              for w, c in zip(widths, map(str, frame.columns), strict=True)]  # fmt: skip
    # each page's room where it saves the most printed lines (a row is as tall as its most
    # wrapped cell): Why not took it all beside Flags at 19 wrapped to ten lines
    texts = {k: [v if isinstance(v, str) else "" for v in frame[c]]
             for k, c in enumerate(map(str, frame.columns)) if c in _LEAST_WIDTH}  # fmt: skip
    # one page wide, its sentences narrower still, before pages across: a child's row whole
    narrowest = [
        max(_ONE_PAGE_WIDTH[c], _longest_word(frame[c]) + 3) if c in _ONE_PAGE_WIDTH
        else min(w, figures[c] + 2) if c in figures else w
        for w, c in zip(widths, map(str, frame.columns), strict=True)
    ]  # fmt: skip
    one_page = one_page_widths(narrowest, wanted, texts, lines=_lines)
    if one_page is not None:
        return one_page
    return widen_pages(wanted, narrowed, ends, keep=1, texts=texts, lines=_lines)


def _longest_text(values: pd.Series) -> int:
    return max((len(v) for v in values if isinstance(v, str)), default=0)


def table_sheet(
    wb: Workbook,
    title: str,
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    empty: str = "None tonight.",
    texts: bool = False,
) -> Worksheet:
    """``frame`` on its own sheet: plain-word headers in row 1, formats, widths, wrapped
    text whole, frozen and repeated header, A4 landscape at full size (:func:`_page_widths`);
    with ``texts``, its sentences each on a row of its own across the page under its row
    (:mod:`.text_rows`)."""
    ws = wb.create_sheet(title)
    said = [c for c in map(str, frame.columns) if texts and c in text_rows.TEXT_COLUMNS]
    sentences, frame = frame[said], frame.drop(columns=said)
    text_at: list[int] = []
    cols = [str(c) for c in frame.columns]
    numeric = {
        c for c in cols
        if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool
    }  # fmt: skip
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=vocabulary.column(col, headers))
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = WRAP_RIGHT if col in numeric else WRAP_INDENT if j > 1 else WRAP
    i = 1
    for k, row in enumerate(frame.itertuples(index=False)):
        i += 1
        for j, (col, value) in enumerate(zip(cols, row, strict=True), start=1):
            cell = ws.cell(row=i, column=j, value=_value(value))
            if col in _FORMATS:
                cell.number_format = _FORMATS[col]
            elif col in numeric and isinstance(cell.value, float):
                cell.number_format = SCORE
            cell.alignment = FIGURE if col in numeric else WRAP_INDENT if j > 1 else WRAP
        if said:
            text_rows.rule_over(ws, i, len(cols))
            written = text_rows.write_texts(ws, i + 1, sentences.iloc[k].to_dict(), len(cols))
            text_at += written
            i += len(written)
    if frame.empty:  # one line under the header, read across the empty columns
        ws.cell(row=2, column=1, value=empty).alignment = TOP
    widths: dict[int, float] = {}
    for j, col in enumerate(cols, start=1):
        head = vocabulary.column(col, headers)
        body = max((_text_width(v, _FORMATS.get(col)) for v in frame[col]), default=0)
        longest_word = max((len(w) for w in head.split()), default=4)
        width = min(max(body, longest_word, 6) + 3, _MAX_WIDTH.get(col, 30))
        width = max(width, longest_word + 3) + (2 if col in numeric else 1 if j > 1 else 0)
        widths[j] = max(width, text_rows.label_width(said)) if j == 1 else width
    # a column of figures as wide as its widest figure or its header's longest word
    figures = {
        c: max(max((_text_width(v, _FORMATS.get(c)) for v in frame[c]), default=0),
               max((len(w) for w in vocabulary.column(c, headers).split()), default=4))
        for c in cols if c in numeric
    }  # fmt: skip
    printed = _page_widths(frame, [int(w) for w in widths.values()], figures)
    printed = text_rows.fill_page(frame, printed) if said else printed
    for j, width in enumerate(printed, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
        widths[j] = width
    _fit_rows(ws, 1, max(ws.max_row, 1), widths)
    text_rows.fit_texts(ws, text_at, printed)
    if frame.empty:  # sized as wrapped in column A, the sentence sat four lines down
        ws.row_dimensions[2].height = LINE_HEIGHT + 2
    ws.freeze_panes = "B2"
    # one page wide at 85% or more, else at full size on pages across with the child's ID on
    # each: one page wide, Children placed printed at 64% and Other options at 66%
    print_across(ws, printed, keep=1)
    ws.print_title_rows = "1:1"
    if said:  # each row's figures and its sentences on one printed page
        text_rows.keep_rows_together(ws, text_at, printed)
    return ws


def _summary_sheet(wb: Workbook, report: MatchReport) -> Worksheet:
    """Page 1: the headline and every flag, on A4 landscape at full size."""
    ws = wb.create_sheet("Summary")
    # A4 landscape at full size (the sentences wrap): 157 characters across printed at 66%
    widths = {1: 24.0, 2: 10.0, 3: 7.0, 4: 48.0, 5: 15.0}
    assert sum(widths.values()) <= A4_LANDSCAPE_CHARS
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.cell(row=1, column=1, value=report.title).font = TITLE
    ws.row_dimensions[1].height = 24
    ws.cell(row=2, column=1, value=(
        f"Proposed homes for tonight's referrals. The plan is {report.status_words[0].lower()}"
        f"{report.status_words[1:]}. Urgent means needed today. Figures in pounds are weekly "
        "fees."))  # fmt: skip

    def header(row: int, names: Sequence[str]) -> None:
        for j, name in enumerate(names, start=1):
            cell = ws.cell(row=row, column=j, value=name)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = WRAP_RIGHT if j == 2 else WRAP

    def line(row: int, label: str, figure: Any, fmt: str | None, sentence: str,
             sheet: str = "", raised: bool = False) -> None:  # fmt: skip
        values = (label, figure, "Check" if raised else "", sentence, sheet)
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=row, column=j, value=v)
            cell.alignment = TOP if j == 2 else WRAP
            if raised:
                cell.font, cell.fill = FLAG_FONT, FLAG_FILL
        if fmt:
            ws.cell(row=row, column=2).number_format = fmt

    header(4, ("Tonight", "Figure", "", "In words", "Where to look"))
    urgent = report.urgent_unplaced
    line(
        5,
        "Children placed",
        report.placed,
        COUNT,
        report.placed_line + ".",
        "Children placed",
        raised=report.placed < report.referred,
    )
    line(
        6,
        "Urgent children not placed",
        len(urgent),
        COUNT,
        # one pair of brackets: the line's own already name the children
        report.urgent_line + (URGENT_WORDS if urgent else "."),
        "Not placed",
        raised=bool(urgent or report.set_aside_children),
    )
    line(
        7,
        "Weekly cost of the plan",
        report.weekly_cost_gbp,
        GBP,
        f"The proposed homes' weekly fees: £{report.weekly_cost_gbp:,.0f} a week.",
        "Children placed",
    )
    line(
        8,
        "Weekly cost of today's practice",
        report.baseline_weekly_cost_gbp,
        GBP,
        report.baseline_sentence,
    )
    line(
        9,
        "Difference (plan less today's practice)",
        report.cost_difference_gbp,
        GBP_SIGNED,
        f"The plan costs {report.difference_words}.",
    )
    header(FLAGS_HEADER_ROW, ("Flag", "Count", "Check?", "What it means", "Where to look"))
    row = FLAGS_HEADER_ROW + 1
    for flag in report.flags:
        line(row, flag.label, flag.count, COUNT, flag.sentence, flag.sheet, raised=flag.raised)
        row += 1
    councils = (
        f"Each of the {len(report.councils)} councils' children placed, out of the council's "
        "own area, over 20 miles from home and their weekly cost are on the next sheet (By "
        "council); every child placed follows, "
        if not report.councils.empty
        else "Every child placed is on the next sheet, "
    )
    note = ws.cell(row=row + 1, column=1, value=(
        f"{councils}in plain words; children not placed, with "
        "their reasons in full, follow. How the plan was worked out, the inputs and the "
        "settings are on the last sheet (Technical detail). Every figure is also in the CSV "
        "files beside this workbook."
    ))  # fmt: skip
    note.alignment = WRAP
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=5)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    ws.cell(row=2, column=1).alignment = WRAP
    _fit_rows(ws, 5, row - 1, {1: widths[1], 4: widths[4], 5: widths[5]})
    across = sum(widths.values())
    ws.row_dimensions[2].height = LINE_HEIGHT * _lines(ws.cell(row=2, column=1).value, across)
    ws.row_dimensions[row + 1].height = LINE_HEIGHT * _lines(note.value, across) + 2
    # half a line between the flags and the note: a flag listed only when raised (pets
    # answers not known) then still leaves the sample night's Summary on two pages
    ws.row_dimensions[row].height = LINE_HEIGHT / 2
    # one page wide at full size, over a second page if it needs one, the flags' header
    # row printed again at its top: held to one page tall, the sample night's sentences
    # shrank it to 57%, unreadable
    print_a4_landscape(ws)
    ws.print_area = f"A1:E{row + 1}"
    ws.print_title_rows = f"{FLAGS_HEADER_ROW}:{FLAGS_HEADER_ROW}"
    return ws


def _technical_sheet(wb: Workbook, report: MatchReport) -> Worksheet:
    rows = [*report.technical, ("Solver runtime (seconds)", report.runtime_seconds)]
    frame = pd.DataFrame(rows, columns=["item", "value"]).astype({"value": object})
    ws = table_sheet(wb, "Technical detail", frame)
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = LEFT
    return ws


def write_workbook(report: MatchReport, path: Path | str) -> Path:
    """Write ``match_report.xlsx`` for ``report`` at ``path`` (byte-for-byte reproducible)."""
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, report)
    if not report.councils.empty:  # a regional night: each council's own figures
        table_sheet(wb, "By council", report.councils, headers=COUNCIL_HEADERS)
    table_sheet(wb, "Children placed", report.children, texts=True)
    table_sheet(wb, "Not placed", report.not_placed, empty="Every child referred is placed.")
    table_sheet(wb, "Other options", report.options, texts=True)
    table_sheet(wb, "Set aside", report.set_aside, empty="No input rows were set aside.")
    table_sheet(wb, "Input notes", report.input_notes, empty="No warnings about the inputs.")
    table_sheet(wb, "Decisions", report.decisions, headers=_DECISION_HEADERS,
                empty="No team decisions tonight.")  # fmt: skip
    table_sheet(wb, "Assumptions", pd.DataFrame({"assumption": list(report.assumptions)}))
    _technical_sheet(wb, report)
    return save_workbook(wb, path, report.run_date)
