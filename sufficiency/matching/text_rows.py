"""Children placed and Other options as a placement team prints and reads them: each row's
figures (child, home, type, provider, cost, miles, next best option) on one line, and
under it each of its sentences (why this home, why not, flags) on a row of its own across
the page, its header as a label in column A and the sentence in one merged cell, wrapped,
the row as tall as its lines. A row without flags has no Flags row.

In narrow wrapped columns beside the figures, the sentences made each child's row ten
lines tall and more: on the sample night the workbook printed on 62 pages, Children
placed on 19 and Other options on 34 (every split of the page's width between the columns
was tried). :func:`write_texts` writes a row's sentences, :func:`fit_texts` sets their
rows' heights, and :func:`fold_texts` reads a sheet so laid out back into its table, a
column per sentence, as the web pages show it (a workbook of the old layout read as it is).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, widen_pages
from sufficiency.io.xlsx_breaks import keep_together
from sufficiency.io.xlsx_text import PADDING as PADDING_POINTS
from sufficiency.io.xlsx_text import text_points, wrapped_lines
from sufficiency.matching.report import CHILD_COLUMNS, OPTION_COLUMNS

#: The columns printed as rows of their own under their row's figures, in this order.
TEXT_COLUMNS: tuple[str, ...] = ("why", "why_not", "flags")
#: Each sheet's columns in their table's order (:func:`fold_texts` puts them back so).
ORDER: dict[str, tuple[str, ...]] = {
    "Children placed": CHILD_COLUMNS,
    "Other options": OPTION_COLUMNS,
}
#: A sentence's label in column A: its column's header, in grey italics.
LABEL_FONT = Font(name="Calibri", italic=True, color="595959")
LABEL = Alignment(vertical="top", wrap_text=False)
TEXT = Alignment(vertical="top", horizontal="left", wrap_text=True)
#: A thin line over each row of figures: where one child's (or option's) lines begin.
RULE = Border(top=Side(style="thin", color="A6A6A6"))
#: Points per printed line of 11-point text, and a row's padding.
LINE_HEIGHT, PADDING = 15.0, 3.0


def labels(columns: Sequence[str]) -> dict[str, str]:
    """The label of each of ``columns`` that is printed as a row of its own (its header)."""
    return {c: vocabulary.column(c) for c in columns if c in TEXT_COLUMNS}


def label_width(columns: Sequence[str]) -> int:
    """Column A's least width (characters) for the labels of ``columns`` to print whole
    on one line, a character to spare (a column ``w`` wide draws ``7w + 5`` pixels)."""
    points = max((text_points(t) for t in labels(columns).values()), default=0.0)
    return math.ceil(((points + PADDING_POINTS) / 0.75 - 5) / 7) + 1


def write_texts(ws: Worksheet, row: int, texts: Mapping[str, Any], last_column: int) -> list[int]:
    """Each non-blank text of ``texts`` (by column) on a row of its own from ``row``, its
    label in column A, the text merged across columns B to ``last_column``; returns the rows
    written (their heights are set by :func:`fit_texts` once the columns are sized)."""
    written = []
    for column, label in labels(list(texts)).items():
        value = texts[column]
        if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value):
            continue
        head = ws.cell(row=row, column=1, value=label)
        head.font, head.alignment = LABEL_FONT, LABEL
        cell = ws.cell(row=row, column=2, value=str(value))
        cell.alignment = TEXT
        if last_column > 2:
            _merge_row(ws, row, 2, last_column)
        written.append(row)
        row += 1
    return written


def _merge_row(ws: Worksheet, row: int, first: int, last: int) -> None:
    """``ws.merge_cells`` of one row's columns ``first`` to ``last``, without its check
    against every range merged before, which made the sheet quadratic in its text rows
    (openpyxl 3.1: 6,000 merges 5.8 s; the national benchmark's 5,000 children and their
    options, about 470 s of writing where the whole workbook had taken 10-14 s). Each
    text row is a row of its own, so no two ranges overlap."""
    merged = MergedCellRange(ws, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")
    ws.merged_cells.ranges.add(merged)
    ws._clean_merge_range(merged)  # what merge_cells does after its check


def rule_over(ws: Worksheet, row: int, last_column: int) -> None:
    """A thin line over ``row``'s cells: a child's (or option's) lines begin there."""
    for j in range(1, last_column + 1):
        ws.cell(row=row, column=j).border = RULE


def fit_texts(ws: Worksheet, rows: Sequence[int], widths: Sequence[float]) -> None:
    """Each of ``rows`` (written by :func:`write_texts`) as tall as its text's lines across
    columns B onwards, ``widths`` characters each (the merged cell's width: LibreOffice and
    Excel grow no row for a merged cell's wrapped text), and each other row under the
    header as tall as its most wrapped cell, measured in the font's widths (a character of
    each column its indent): estimated, a type of home that printed on one line was given
    two, and every option's row a blank line."""
    # the merged cell draws each column's 7w + 5 pixels: 5 more a column than one as wide
    across, texts = sum(widths[1:]) + 5 * (len(widths) - 2) / 7, set(rows)
    # one pass over the rows: ws[r] finds the sheet's last column anew over every cell, for
    # every row (quadratic: 92 s of the 108 s writing 2,000 children's workbook)
    rows_after_header = ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=ws.max_column)
    for r, cells in enumerate(rows_after_header, start=2):
        if r in texts:
            lines = wrapped_lines(ws.cell(r, 2).value, across)
        else:
            lines = max((_indented(c.value, widths[c.column - 1]) for c in cells
                         if isinstance(c.value, str)), default=1)  # fmt: skip
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + PADDING


def keep_rows_together(ws: Worksheet, rows: Sequence[int], widths: Sequence[float]) -> list[int]:
    """Row breaks keeping each row of figures and its sentences' ``rows`` (written by
    :func:`write_texts`) on one printed page (:func:`~sufficiency.io.xlsx_breaks.keep_together`):
    a page began with a child's "Why not", the figures it spoke of on the page before.
    Returns the first row of each page the breaks begin."""
    texts = set(rows)
    starts = [r for r in range(2, ws.max_row + 1) if r not in texts]
    return keep_together(ws, starts, widths)


def fold_texts(frame: pd.DataFrame, title: str) -> pd.DataFrame:
    """The sheet ``title`` as pandas reads it (headers in row 1) back in its table: each
    row labelled in its first column with a sentence's header, its text in the second and
    nothing after, folded into that column of the row of figures above it; the columns in
    the table's order. A sheet of the old layout (its sentences in columns) is returned as
    it is, and so is a sheet of no rows of figures."""
    order = [vocabulary.column(c) for c in ORDER[title]]
    said = labels(ORDER[title])
    if frame.empty or any(h in frame.columns for h in said.values()) or frame.shape[1] < 3:
        return frame
    first, second = frame.columns[0], frame.columns[1]
    rest = frame.iloc[:, 2:]
    label = frame[first].astype(object)
    blank = rest.map(
        lambda v: v is None or v is pd.NA or v == "" or (isinstance(v, float) and v != v)
    )
    is_text = label.isin(list(said.values())) & blank.all(axis=1) & frame[second].notna()
    table = frame.loc[~is_text].copy()
    for header in said.values():
        table[header] = pd.Series([pd.NA] * len(table), index=table.index, dtype=object)
    owner = None
    for i in frame.index:
        if not is_text[i]:
            owner = i
        elif owner is not None:
            table.at[owner, str(label[i])] = frame.at[i, second]
    table = table[[c for c in order if c in table.columns]]
    return table.reset_index(drop=True)


def fill_page(frame: pd.DataFrame, printed: Sequence[int]) -> list[int]:
    """``printed`` (the columns of figures' widths, characters) with the room an A4
    landscape page has left at full size given first to the columns of words (type of
    home, provider) that it lets print on one line, the least widened first, then where it
    saves the most printed lines: without the sentences beside them, Children placed's row
    of figures took 115 of 124 characters, and its type of home and provider wrapped on
    two lines each (a row is as tall as its most wrapped cell: widening one alone saved
    none)."""
    widths = [int(w) for w in printed]
    words = {k: [v if isinstance(v, str) else "" for v in frame[c]]
             for k, c in enumerate(map(str, frame.columns))
             if k > 0 and frame[c].map(lambda v: isinstance(v, str)).any()}  # fmt: skip
    wanted = [max(w, max((len(t) for t in words.get(k, [])), default=0) + 3)
              for k, w in enumerate(widths)]  # fmt: skip
    one_line = {k: next((w for w in range(widths[k], wanted[k] + 1)
                         if all(_indented(t, w) == 1 for t in texts)), wanted[k])
                for k, texts in words.items()}  # fmt: skip
    for k in sorted(one_line, key=lambda k: (one_line[k] - widths[k], k)):
        if sum(widths) + one_line[k] - widths[k] <= A4_LANDSCAPE_CHARS:
            widths[k] = one_line[k]
    if sum(widths) >= A4_LANDSCAPE_CHARS:
        return widths
    return widen_pages(wanted, widths, [len(widths)], keep=1, texts=words, lines=_indented)


def _indented(text: str, width: float) -> int:
    """Lines ``text`` prints on in a column ``width`` wide, a character of it its indent."""
    return wrapped_lines(text, width - 1)
