"""The finance workbook's sheet helpers: bold blue headers right-aligned over figures,
column widths, chart axes in pounds and charts on a page of their own (its money and
variance formats are the house ones, :mod:`sufficiency.io.xlsx_style`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from openpyxl.chart.axis import ChartLines
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency.io.xlsx import (
    notes_as_paragraphs,
    page_ends,
    print_sheet,
    sheet_widths,
    show_axes,
)
from sufficiency.io.xlsx_gaps import indent_after_figures
from sufficiency.io.xlsx_style import BOLD, HEADER_FILL
from sufficiency.io.xlsx_text import width_for_words, wrapped_lines

PCT = "0.0%"
#: Line colours of successive financial years on the cumulative chart (projection solid,
#: budget dashed, same colour).
YEAR_COLOURS = ("1F4E79", "C55A11", "548235", "7030A0", "BF9000")
#: The sign convention, stated on every sheet that shows a variance.
SIGN_CONVENTION = (
    "Sign convention: variance = projected spend - budget. A positive variance is a projected "
    "overspend (adverse, shown in red); a negative variance is an underspend (favourable, "
    "shown with a minus sign, not red)."
)
#: Under the Change since previous sheet.
CHANGE_SIGN = (
    "Change = now - then: a positive change is more spend than the earlier run had for the "
    "month (shown in red), a negative one less."
)


def header(ws: Worksheet, row: int, names: Sequence[str], first: int = 1) -> None:
    for j, name in enumerate(names, start=first):
        c = ws.cell(row=row, column=j, value=name)
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="bottom")


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (isinstance(value, str) and value.startswith("="))


#: Most lines a table's header is wrapped to: its column is widened (to 30 at most) rather
#: than the whole header row made as tall, blank above every other header on the page.
HEADER_LINES = 3


def finish_header(ws: Worksheet, row: int, last_data_row: int | None = None) -> None:
    """Right-align headers over numeric columns and make the row tall enough for its wrap.

    Spreadsheets do not grow a row for wrapped text on opening, so without a height the
    wrapped header spills over the first data row. Call after the column widths are set.
    """
    last = last_data_row or ws.max_row
    lines = 1
    for j in range(1, ws.max_column + 1):
        c = ws.cell(row=row, column=j)
        if not isinstance(c.value, str):
            continue
        below = [ws.cell(row=r, column=j).value for r in range(row + 1, last + 1)]
        # an empty column (the Summary's Budget with no budget) aligned as a figure's: left,
        # its header ran into the one before it ("P90 Budget", read as one heading)
        numeric = any(_is_number(v) for v in below) or all(v is None for v in below)
        c.alignment = Alignment(wrap_text=True, vertical="bottom",
                                horizontal="right" if numeric else "left")  # fmt: skip
        letter = get_column_letter(j)
        width = max(ws.column_dimensions[letter].width or 8.43, width_for_words(c.value))
        while wrapped_lines(c.value, width, bold=True) > HEADER_LINES and width < 30:
            width += 1  # Budget's "Spend to date (£, estimated ...)" took 6 lines at 14
        ws.column_dimensions[letter].width = width  # each word whole: not "accommoda / tion"
        lines = max(lines, wrapped_lines(c.value, width, bold=True))
    ws.row_dimensions[row].height = 15 * lines + 3


#: A column of whole pounds in the table sheets (Budget, Scenario comparison), in
#: characters: room for -£99,999,999 and no more; at 16, Budget printed on four pages
#: across, the last with two columns of figures, and the Scenario comparison on two.
MONEY_WIDTH = 14


def widths(ws: Worksheet, first: int = 14, rest: int = 14) -> None:
    for j in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(j)].width = first if j == 1 else rest


def axes(chart: Any, x_title: str, y_title: str) -> None:
    """Visible axes with titles, £ ticks and gridlines."""
    show_axes(chart, x_title, y_title)
    chart.y_axis.numFmt = '"£"#,##0'
    chart.y_axis.majorGridlines = ChartLines()


#: The largest chart (centimetres) an A4 landscape page holds at full size inside its
#: margins: a sheet printed at full size cut a larger one across four pages.
PAGE_CM = (24.0, 15.0)


def first_page_cm(ws: Worksheet) -> float:
    """How wide (cm) the columns of a sheet's first printed page are, when it prints across
    pages at full size (:func:`print_setup`), in the workbooks' font (Calibri 11: a column
    ``w`` characters wide is ``7w + 5`` pixels at 96 dpi); a page's width for a sheet
    printed one page wide."""
    widths = sheet_widths(ws)
    ends = page_ends(widths, KEYS.get(ws.title, 1))
    if len(ends) == 1:
        return PAGE_CM[0]
    return sum(7 * w + 5 for w in widths[: ends[0]]) / 96 * 2.54


def chart_room_cm(ws: Worksheet) -> float:
    """How tall (cm) a chart on a page of its own may be: :data:`PAGE_CM`'s height less
    the header row printed above it on every page (:func:`print_setup`), in points as set
    (15 when not). The Cumulative sheet's chart, 15 cm under its 48-point header row
    (1.7 cm), printed its legend's last rows on a page of their own."""
    return PAGE_CM[1] - (ws.row_dimensions[1].height or 15) / 72 * 2.54


def heading_on_new_page(ws: Worksheet, row: int, text: str) -> None:
    """A section's bold ``text`` at ``row``, with a page break above it: the Summary's
    scenario heading printed alone at the foot of page 1, its table on page 2."""
    ws.cell(row=row, column=1, value=text).font = BOLD
    ws.row_breaks.append(Break(id=row - 1))


def chart_on_new_page(ws: Worksheet, chart: Any, row: int) -> None:
    """Anchor ``chart`` at ``row`` with a page break above it, so it is never split, made
    no larger than a page at full size holds (:data:`PAGE_CM`), nor wider than the first
    printed page's columns (:func:`first_page_cm`: the Cumulative sheet's chart, 24 cm, ran
    onto its second page across), its shape kept. Call after the column widths are set."""
    width = min(PAGE_CM[0], first_page_cm(ws))
    shrink = min(1.0, width / chart.width, chart_room_cm(ws) / chart.height)
    chart.width, chart.height = chart.width * shrink, chart.height * shrink
    ws.row_breaks.append(Break(id=row - 1))
    ws.add_chart(chart, f"A{row}")


def note_lines(ws: Worksheet, row: int, text: str, width: int = 100) -> int:
    """``text`` under a table from ``row``, a line of at most ``width`` characters a row:
    one long cell widens the printed page (LibreOffice fits the overflowing text to the
    page too, so the table prints at a fraction of its size). Returns the rows used."""
    lines = textwrap.wrap(text, width)
    for i, line in enumerate(lines):
        ws.cell(row=row + i, column=1, value=line)
    return len(lines)


#: Sheets of quarters and years: printed one page wide, their sixteen columns shrank to 44%.
ACROSS = ("Quarterly", "Financial years")
#: The key columns a sheet printed across pages repeats on each (its period and months,
#: or its year and cost line); any other sheet its first column.
KEYS = {"Monthly": 1, "Quarterly": 2, "Financial years": 2, "Budget": 2,
        "Scenario comparison": 2}  # fmt: skip
#: Tables with a column of words after one of figures, printed apart
#: (:func:`~sufficiency.io.xlsx_gaps.indent_after_figures`): the Scenario comparison's
#: difference ran into its scenario's name ("-£1,789,497 Step-downs"), under headers read
#: as one ("Difference (scenario - base) Scenario"), and the Budget's last figure into its basis.
WORDS_AFTER_FIGURES = ("Budget", "Scenario comparison")


def print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide if it fits at 85% or more, else at full size on pages
    across with its key columns (:data:`KEYS`) on each (printed one page wide, Monthly
    shrank to 38%, Budget to 48%); a note in one cell wrapped on the first page (it
    widened the printed page); header rows repeated, sheet name and page in the footer."""
    keep = KEYS.get(ws.title, 1)
    if ws.title in WORDS_AFTER_FIGURES:
        indent_after_figures(ws)
    notes_as_paragraphs(ws, keep)
    print_sheet(ws, keep)
    if not ws.print_title_rows:
        ws.print_title_rows = "1:1"
