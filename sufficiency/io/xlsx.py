"""Save openpyxl workbooks atomically and byte-for-byte reproducibly.

openpyxl stamps the save time into the document properties and into every zip
entry, so two saves of the same workbook differ. We fix both: the properties get
a timestamp the caller chooses (the run date), and the zip is rewritten with a
constant entry time, so the same inputs give the same file and its SHA-256 can
prove a re-run identical.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sufficiency.io.atomic import atomic_path, ensure_private_dir
from sufficiency.io.xlsx_text import wrapped_lines

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: A chance worked out from simulated futures, as a workbook cell shows it: whole points,
#: a tenth of a point below 1% and above 99% (``0.4%``, ``99.6%``), so a few futures in a
#: thousand read neither as none nor as all, as :func:`sufficiency.figures.chance` says it
#: in a sentence (``0%`` showed a chance of 0.4%; Excel and LibreOffice both read the
#: conditions).
CHANCE = "[<0.01]0.0%;[>0.99]0.0%;0%"
#: The formulas our workbooks write: a sum over a range, or one cell less another.
_OUR_FORMULA = re.compile(r"=(SUM\([A-Z]{1,3}\d+:[A-Z]{1,3}\d+\)|[A-Z]{1,3}\d+-[A-Z]{1,3}\d+)")


def _text_not_formulas(wb: Any) -> None:
    """Text from the inputs that begins with "=" (a scenario's name, a lever's label, a
    decision's reason, a value quoted in a data-quality finding) is shown as written and
    never run as a formula: only the formulas the workbooks themselves write stay ones."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # the cells that exist; iter_rows would add empty ones
            if cell.data_type == "f" and not (
                isinstance(cell.value, str) and _OUR_FORMULA.fullmatch(cell.value)
            ):
                cell.data_type = "s"


def _normalise_zip(src: Path, dst: Path, when: dt.datetime) -> None:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl sets "modified" to the save time whatever we ask for.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2",
                              data)  # fmt: skip
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)


def save_workbook(
    wb: Any, path: Path | str, timestamp: dt.datetime | dt.date | None = None
) -> Path:
    """Save ``wb`` to ``path`` atomically with fixed timestamps; return the path."""
    when = timestamp or dt.datetime(2000, 1, 1)
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "sufficiency"
    wb.properties.lastModifiedBy = "sufficiency"
    _text_not_formulas(wb)
    target = Path(path)
    ensure_private_dir(target.parent)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".xlsx-") as work:
        raw = Path(work) / "raw.xlsx"
        wb.save(raw)
        with atomic_path(target) as fixed:
            _normalise_zip(raw, fixed, when)
    return target


#: The footer of every printed page: the sheet's name and the page ("Shortfall - page 3 of
#: 10"); the match report, the forecast and the region printed pages with neither.
FOOTER = "&A - page &P of &N"


def print_a4_landscape(ws: Any) -> None:
    """Print the sheet ``ws`` on A4 landscape, one page wide and as many pages long as
    it needs (openpyxl page setup), its name and page in the footer (:data:`FOOTER`)."""
    if not ws.oddFooter.center.text:
        ws.oddFooter.center.text = FOOTER
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


#: Column width, in characters, an A4 landscape page holds at full size inside the
#: spreadsheets' default margins (about 10 inches), in Calibri (Carlito: its widths):
#: LibreOffice printed columns of 130 characters on one page and broke before a 131st
#: (104 was measured in DejaVu Sans, wider, when Carlito was not installed; Excel's
#: columns of Calibri take about 5 pixels more each than their characters).
A4_LANDSCAPE_CHARS = 124
#: The smallest a table is printed at to fit one page wide (85%; at 80% its 11-point font
#: printed under 9 points): a wider one goes on across pages at full size
#: (tests/render's ``test_every_sheet_prints_at_85_percent_or_more``).
MIN_PRINT_SCALE = 0.85


def page_ends(widths: list[int], keep: int = 2) -> list[int]:
    """The last column (from 1) of each printed page of a table whose columns are
    ``widths`` characters wide, its first ``keep`` repeated on every page: one page when
    it fits at :data:`MIN_PRINT_SCALE` or more, else each page at full size as many
    columns as :data:`A4_LANDSCAPE_CHARS` holds, at least one more."""
    if sum(widths) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE:
        return [len(widths)]  # one page wide, at 85% or more
    kept = sum(widths[:keep])
    ends: list[int] = []
    used = kept
    for j, w in enumerate(widths[keep:], start=keep + 1):
        first = ends[-1] + 1 if ends else keep + 1  # the page's first column not kept
        if j > first and used + w > A4_LANDSCAPE_CHARS:
            ends.append(j - 1)
            used = kept
        used += w
    return [*ends, len(widths)]


def print_across(ws: Any, widths: list[int], keep: int = 2) -> list[int]:
    """Print the sheet ``ws`` on A4 landscape at full size, over as many pages across as
    its columns (``widths``, in characters) need, its first ``keep`` columns (and its
    ``print_title_rows``) repeated on each: printed one page wide, a table of sixteen
    columns shrank to half size, unreadable. A table that fits one page prints one page
    wide (:func:`print_a4_landscape`). Returns the last column of each page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    ends = page_ends(widths, keep)
    print_a4_landscape(ws)
    if len(ends) > 1:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = 100
        ws.print_title_cols = f"A:{get_column_letter(keep)}"
        for end in ends[:-1]:
            ws.col_breaks.append(Break(id=end))
    return ends


def sheet_widths(ws: Any) -> list[int]:
    """The widths, in characters, of the sheet ``ws``'s columns (a column not sized at
    the spreadsheets' default, 8.43, about 9)."""
    from openpyxl.utils import get_column_letter

    return [round(ws.column_dimensions[get_column_letter(c)].width or 9)
            for c in range(1, ws.max_column + 1)]  # fmt: skip


def print_sheet(ws: Any, keep: int = 1) -> list[int]:
    """Print the sheet ``ws`` as its columns' widths need (:func:`print_across`): one page
    wide when it fits at :data:`MIN_PRINT_SCALE` or more, else at full size on pages
    across, its first ``keep`` columns (the row's key: its month, period or child) on each.
    Printed one page wide, a workbook's tables of months or years (sixteen to eighteen
    columns) shrank to 38-48%. Returns the last column of each page."""
    return print_across(ws, sheet_widths(ws), keep)


def narrow_to_page(widths: list[int], least: dict[int, int]) -> list[int]:
    """``widths`` (characters) with the columns of text in ``least`` (by index from 0; their
    cells wrap) narrowed, the widest first and none below its ``least``, until the table
    fits an A4 landscape page at full size (:data:`A4_LANDSCAPE_CHARS`) or cannot be
    narrowed more: a sheet of sentences printed one page wide shrank to unreadable."""
    widths = list(widths)
    floor = {k: m for k, m in least.items() if widths[k] > m}
    while sum(widths) > A4_LANDSCAPE_CHARS:
        room = [k for k in floor if widths[k] > floor[k]]
        if not room:
            break
        widths[max(room, key=lambda k: (widths[k], k))] -= 1
    return widths


def widen_pages(
    widths: list[int],
    narrowed: list[int],
    ends: list[int],
    keep: int,
    texts: Mapping[int, Sequence[str]] | None = None,
    lines: Callable[[str, float], int] | None = None,
) -> list[int]:
    """``narrowed`` (:func:`narrow_to_page`) with the columns of each printed page (their
    last columns ``ends``, from 1; the first ``keep`` on every page) widened back towards
    ``widths`` while the page holds them at full size: narrowed to fit one page, a table
    that prints across pages anyway wrapped its sentences in columns half as wide as its
    pages have room for. Given the cells' ``texts`` of the columns of text (by index from
    0, a row each) and how many ``lines`` a text takes in a width (default
    :func:`wrapped_lines`), each character goes where it saves the most printed lines, a
    row as tall as its most wrapped cell (:func:`_fewest_lines`); else to the most
    narrowed column: Other options' Why not was widened to 65 beside Flags at 19, whose
    approvals then ran to ten lines and put a child's row on a page of its own."""
    out = list(narrowed)
    start = keep
    for end in ends:
        cols = range(start, end)
        free = A4_LANDSCAPE_CHARS - sum(out[:keep]) - sum(out[k] for k in cols)
        out = _fewest_lines(out, widths, cols, free, texts or {}, lines or wrapped_lines)
        start = end
    return out


def one_page_widths(
    least: list[int],
    widths: list[int],
    texts: Mapping[int, Sequence[str]],
    lines: Callable[[str, float], int] | None = None,
) -> list[int] | None:
    """Widths (characters) printing a table one page wide at :data:`MIN_PRINT_SCALE` or
    more: each column from its ``least`` (the columns of text, by index from 0 in ``texts``,
    wrap), the room left given where it saves the most printed lines, none beyond its
    ``widths``; None when the ``least`` do not fit. Printed across at full size instead,
    match_report.xlsx's Children placed took 22 pages, two across for each four children,
    the figures apart from the sentences about them."""
    room = int(A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE) - sum(least)
    if room < 0:
        return None
    cols = range(len(least))
    return _fewest_lines(list(least), widths, cols, room, texts, lines or wrapped_lines)


def _fewest_lines(
    out: list[int],
    widths: list[int],
    cols: range,
    free: int,
    texts: Mapping[int, Sequence[str]],
    lines: Callable[[str, float], int],
) -> list[int]:
    """``out`` with up to ``free`` characters given to the columns ``cols`` (none beyond
    its ``widths``), a step at a time to the column and step that save the most printed
    lines a character (each row as tall as its most wrapped cell of ``texts``, on any
    page); what saves nothing goes to the most narrowed column."""
    out = list(out)
    rows = max((len(t) for t in texts.values()), default=0)
    cache: dict[tuple[int, int], list[int]] = {}

    def tall(k: int, w: int) -> list[int]:
        if (k, w) not in cache:
            cache[k, w] = [lines(t, w) if t else 1 for t in texts[k]]
        return cache[k, w]

    def others(k: int) -> list[int]:
        """Each row's lines in every column of text but ``k``."""
        per = [tall(j, out[j]) for j in texts if j != k]
        return [max((p[r] for p in per), default=1) for r in range(rows)]

    while free > 0:
        best: tuple[float, int, int] | None = None  # (lines saved a character, column, step)
        for k in cols:
            if k not in texts:
                continue
            rest = others(k)
            now = sum(map(max, rest, tall(k, out[k])))
            for step in range(1, min(free, widths[k] - out[k]) + 1):
                saved = (now - sum(map(max, rest, tall(k, out[k] + step)))) / step
                if saved > 0 and (best is None or saved > best[0]):
                    best = (saved, k, step)
        if best is None:
            room = [k for k in cols if out[k] < widths[k]]
            if not room:
                break
            k = max(room, key=lambda k: (widths[k] - out[k], -k))
            out[k] += 1
            free -= 1
            continue
        _, k, step = best
        out[k] += step
        free -= step
    return out


#: The label in column A of a note printed beside the columns repeated on every page.
NOTE_LABEL, NOTES_LABEL = "Note", "Notes"


def paragraphs(ws: Any, lines: dict[int, str], widths: list[int], first: int = 1) -> None:
    """Each of ``lines`` (by row) a paragraph across columns ``widths`` wide from column
    ``first`` (a table's, or its first printed page's), wrapped, its row as tall as its
    lines: a headline sentence or a note under a table in one cell ran far past the table
    and, printed one page wide, shrank the sheet to unreadable, or printed across pages, was
    cut at the page's edge. On a sheet printed across, ``first`` is the first column not
    repeated on every page (:func:`first_page_note`)."""
    from openpyxl.styles import Alignment

    for row, text in lines.items():
        cell = ws.cell(row=row, column=first, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(widths) > 1:
            end = first + len(widths) - 1
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        ws.row_dimensions[row].height = 15 * wrapped_lines(text, sum(widths)) + 3
        if first > 1:
            _label_note(ws, row, first)


def _label_note(ws: Any, row: int, first: int) -> None:
    """The note at ``row`` (a paragraph from column ``first``, beside the columns repeated on
    every page) labelled "Note" in column A, or, under notes already labelled, the label
    made "Notes": unlabelled, a note began a column or two in, under the table's first
    figures, as if indented for no reason (spend's Quarterly, the forecast's Demand by
    category)."""
    from openpyxl.styles import Alignment, Font

    starts = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    top = row
    while top > 1 and (top - 1, first) in starts and ws.cell(row=top - 1, column=1).value in (
        None, NOTE_LABEL, NOTES_LABEL,
    ):  # fmt: skip
        top -= 1
    label = ws.cell(row=top, column=1, value=NOTE_LABEL if top == row else NOTES_LABEL)
    label.font = Font(name="Calibri", bold=True)
    label.alignment = Alignment(vertical="top")


def first_page_note(ws: Any, row: int, text: str, keep: int) -> None:
    """``text`` at ``row`` a paragraph (:func:`paragraphs`) on the first printed page of a
    sheet printed as its columns need (:func:`print_sheet`, its first ``keep`` columns on
    each page): printed across from column A, the note was cut at the first page's edge and
    its first words repeated on every page after it with the columns kept."""
    widths = sheet_widths(ws)
    ends = page_ends(widths, keep)
    if len(ends) == 1:
        paragraphs(ws, {row: text}, widths)
    else:
        paragraphs(ws, {row: text}, widths[keep : ends[0]], first=keep + 1)


def notes_as_paragraphs(ws: Any, keep: int = 1) -> list[int]:
    """Each note of the sheet ``ws`` (a row whose one value is text in column A, not
    wrapped, longer than the table's one printed page is wide, or, printed across, than its
    first ``keep`` columns repeated on each page) a paragraph on the first page
    (:func:`first_page_note`): in one cell, a note ran far past the table, and LibreOffice,
    printing what the cell shows, fitted the note to the page too, so spend's Summary
    printed at 59% and the forecast's at 41%; printed across, it was cut at the first
    page's edge and its first words printed again on every page. Returns the rows made
    paragraphs."""
    from copy import copy

    widths = sheet_widths(ws)
    ends = page_ends(widths, keep)
    page = sum(widths) if len(ends) == 1 else sum(widths[:keep])
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    done = []
    for row in range(1, ws.max_row + 1):
        cell = ws.cell(row=row, column=1)
        text = cell.value
        if not isinstance(text, str) or (row, 1) in merged or cell.alignment.wrap_text:
            continue
        if len(text) <= page or any(
            ws.cell(row=row, column=c).value is not None for c in range(2, len(widths) + 1)
        ):
            continue
        font = copy(cell.font)
        cell.value = None
        first_page_note(ws, row, text, keep)
        placed = next(c for c in ws[row] if c.value == text)
        placed.font = font
        done.append(row)
    return done


def wrap_values(ws: Any, width: int) -> None:
    """An item-and-value sheet (a workbook's Assumptions): column B ``width`` characters
    wide, items and values wrapped, each row as tall as its lines, the two columns no
    wider than an A4 landscape page at full size (:data:`A4_LANDSCAPE_CHARS`; the items
    narrowed first, to 30 characters at least). Unwrapped, one long caution ran off the
    page and, printed one page wide, shrank the sheet to unreadable; wrapped, items 90
    characters wide beside values 45 printed the forecast's at 77% and items 40 beside
    values 90 the spend's at 80%."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    items = ws.column_dimensions["A"].width or 9
    items = min(items, max(A4_LANDSCAPE_CHARS - width, 30))
    width = min(width, A4_LANDSCAPE_CHARS - round(items))
    ws.column_dimensions["A"].width = items
    ws.column_dimensions["B"].width = width
    for item, cell in ws.iter_rows(min_row=2, min_col=1, max_col=2):
        item.alignment = cell.alignment = wrap
        lines = max(wrapped_lines(str(item.value), items), wrapped_lines(str(cell.value), width))
        if lines > 1:
            ws.row_dimensions[cell.row].height = 15 * lines


def show_axes(chart: Any, x_title: str, y_title: str) -> None:
    """Give an openpyxl chart titled axes that are drawn (openpyxl writes its axes deleted,
    so Excel may show none) and a legend below the plot."""
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
