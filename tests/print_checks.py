"""What a printed sheet must be, checked on its page setup (tests/render checks the PDFs):
one page wide at 85% or more, or at full size on A4 landscape pages across with its key
columns repeated on each and each page's columns within the page."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE, sheet_widths


def assert_prints_readably(ws: Any, keep: int) -> None:
    """``ws`` prints on A4 landscape one page wide at :data:`MIN_PRINT_SCALE` (85%) or more,
    or at full size across pages, its first ``keep`` columns on each."""
    widths = sheet_widths(ws)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert sum(widths) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert not ws.col_breaks.brk, ws.title
        return
    assert ws.page_setup.scale == 100, ws.title
    assert ws.print_title_cols == f"$A:${get_column_letter(keep)}", ws.title
    ends = [b.id for b in ws.col_breaks.brk] + [len(widths)]
    assert len(ends) > 1, ws.title
    for start, end in zip([keep, *ends], ends, strict=False):
        assert sum(widths[:keep]) + sum(widths[start:end]) <= A4_LANDSCAPE_CHARS, ws.title
