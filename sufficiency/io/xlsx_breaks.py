"""Page breaks that keep a table's groups of rows together on the printed page.

The match report prints each child's figures on a row and each sentence about them on a
row of its own under it (:mod:`sufficiency.matching.text_rows`). Left to the spreadsheet,
a page ended wherever the rows ran out of room: on the sample night 7 of Children
placed's 8 pages after its first and 8 of Other options' 16 began with a row's "Why this
home", "Why not" or "Flags", its figures at the foot of the page before.
:func:`keep_together` puts a manual row break before each group that would cross the foot
of a page. LibreOffice honours manual row breaks on a sheet fitted one page wide with
``fitToHeight`` 0 (measured: 60 rows, a break every 5, printed on 12 pages at 87% and at
45%); the breaks are worked out from the rows' heights, the sheet's margins and the scale
it prints at (a page held 451 points at full size inside the default 1-inch margins).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS

#: A4's short side, in points (the height of a landscape page).
A4_LANDSCAPE_HEIGHT = 595.3
#: A row's height when none is set (Calibri 11), in points.
DEFAULT_ROW_HEIGHT = 15.0
#: The share of a page's height the breaks count on: the spreadsheets round the print
#: scale and row heights their own ways, and a group that just overfilled the page was
#: split by the spreadsheet after all.
SLACK = 0.97
#: Excel keeps at most 1,026 manual page breaks a sheet; past them the rows run on.
MAX_BREAKS = 1026


def print_scale(ws: Any, widths: Sequence[float]) -> float:
    """The scale the sheet ``ws`` prints at: its ``scale`` when it is not fitted to the
    page, else as much of its columns' ``widths`` (characters) as an A4 landscape page
    holds, at most full size."""
    properties = ws.sheet_properties.pageSetUpPr
    if properties is None or not properties.fitToPage:
        return (ws.page_setup.scale or 100) / 100
    return min(1.0, A4_LANDSCAPE_CHARS / max(sum(widths), 1.0))


def _height(ws: Any, row: int) -> float:
    height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
    return float(height) if height is not None else DEFAULT_ROW_HEIGHT


def keep_together(
    ws: Any, starts: Sequence[int], widths: Sequence[float], header_rows: int = 1
) -> list[int]:
    """Row breaks on the sheet ``ws`` so that each group of rows, from each of ``starts``
    (rows, from 1, ascending) to the row before the next (the last to the sheet's last
    row), prints on one page when it fits one: a page holds the sheet's height inside its
    margins at the scale it prints at (:func:`print_scale`, its columns ``widths``), less its
    first ``header_rows`` (repeated atop each page). A group taller than a page starts a
    page and runs on. Returns the first row of each page the breaks begin."""
    from openpyxl.worksheet.pagebreak import Break

    margins = ws.page_margins
    inside = A4_LANDSCAPE_HEIGHT - 72 * (float(margins.top) + float(margins.bottom))
    header = sum(_height(ws, r) for r in range(1, header_rows + 1))
    room = inside * SLACK / print_scale(ws, widths) - header
    ends = dict(zip(starts, [*starts[1:], ws.max_row + 1], strict=True))
    begun: list[int] = []
    used = 0.0
    for row in range(header_rows + 1, ws.max_row + 1):
        height = _height(ws, row)
        if row in ends and used > 0 and len(begun) < MAX_BREAKS:
            group = sum(_height(ws, r) for r in range(row, ends[row]))
            if used + group > room:
                ws.row_breaks.append(Break(id=row - 1))
                begun.append(row)
                used = 0.0
        if used > 0 and used + height > room:  # the spreadsheet's own break, within a group
            used = 0.0
        used += height
    return begun
