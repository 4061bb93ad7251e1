"""Rows and columns a worksheet hides: filtered out, or hidden by hand, in Excel.

A placement team filters its referrals sheet to tonight's children, or hides the rows of
children already placed; a file reader sees every row, hidden or not. The rows are read
(which rows the team meant is not known), and a warning names them. openpyxl's read-only
mode, which large sheets need, does not say which rows are hidden, so the sheet's XML is
scanned for ``<row r="7" hidden="1">``, a piece at a time.

A commissioner hides a column of last year's fees (``weekly_cost`` as it was) beside
this year's: the hidden column was read like any other without a word, its old fees
matched if its name was the one read. A hidden column with a name is read as before
(which was meant is not known) and a warning names it, from the sheet's
``<col min="6" max="6" hidden="1"/>``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from sufficiency.errors import Problem
from sufficiency.io.unnamed import some_rows

_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*>")
_HIDDEN = re.compile(rb'\bhidden\s*=\s*["\'](?:1|true)["\']')
_NUMBER = re.compile(rb'\br\s*=\s*["\'](\d+)["\']')
_COL = re.compile(rb"<(?:[\w.-]+:)?col\b[^>]*>")
_SPAN = re.compile(rb'\b(min|max)\s*=\s*["\'](\d+)["\']')
_CHUNK = 1 << 20


def sheet_pieces(path: Path, part: str, cut_at: bytes) -> Iterator[bytes]:
    """The XML of worksheet ``part`` of workbook ``path``, a piece at a time, each cut
    before the last ``cut_at`` in it (what follows is read with the next piece, so a tag
    or row cut by a piece's end is read whole). Raises ``KeyError``, ``OSError`` or
    ``zipfile.BadZipFile`` when the part cannot be read."""
    with zipfile.ZipFile(path) as book, book.open(part.lstrip("/")) as sheet:
        tail, chunk = b"", b"start"
        while chunk:
            chunk = sheet.read(_CHUNK)
            text = tail + chunk
            cut = text.rfind(cut_at) if chunk else len(text)  # at the end, the rest
            if cut <= 0:  # a tag longer than a piece: read on, it is read whole with the next
                tail = text
                continue
            yield text[:cut]
            tail = text[cut:]


def hidden_rows(path: Path, part: str | None) -> list[int]:
    """The row numbers (1 for the first) the worksheet ``part`` of workbook ``path``
    marks hidden; none when the part cannot be read."""
    if not part:
        return []
    out: list[int] = []
    try:
        for piece in sheet_pieces(path, part, b"<"):
            out += [int(n.group(1)) for tag in _ROW.findall(piece)
                    if _HIDDEN.search(tag) and (n := _NUMBER.search(tag))]  # fmt: skip
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return out


def hidden_columns(path: Path, part: str | None, header: list[str]) -> list[str]:
    """The columns of ``header`` (the sheet's header row, column A first) that worksheet
    ``part`` of workbook ``path`` marks hidden and that have a name, each as ``name (F)``;
    none when the part cannot be read. Column widths come before the cells in the XML."""
    if not part:
        return []
    hidden: set[int] = set()
    try:
        for piece in sheet_pieces(path, part, b"<"):
            for tag in _COL.findall(piece):
                span = {k: int(v) for k, v in _SPAN.findall(tag)}
                if _HIDDEN.search(tag) and b"min" in span:
                    hidden |= set(range(span[b"min"], span.get(b"max", span[b"min"]) + 1))
            if b"sheetData" in piece:
                break
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return [f"{header[c - 1].strip()} ({get_column_letter(c)})" for c in sorted(hidden)
            if c <= len(header) and header[c - 1].strip()]  # fmt: skip


def hidden_note(
    source: str, sheet: str, rows: list[int], columns: Sequence[str] = ()
) -> tuple[Problem, ...]:
    """The warnings naming the hidden data ``rows`` and named ``columns`` of ``sheet``
    (none if there are none)."""
    if not columns:
        return _hidden_rows_note(source, sheet, rows)
    return (
        *_hidden_rows_note(source, sheet, rows),
        Problem(source, None, None, None,
                f"has {len(columns):,} column(s) hidden in Excel (sheet {sheet}: "
                f"{', '.join(columns)}): they are read like the others, as which were meant "
                "is not known; delete a hidden column (of old values, say) if it should not be "
                "read (hiding a column does not remove it)", severity="warning",
                code="hidden_columns"),
    )  # fmt: skip


def _hidden_rows_note(source: str, sheet: str, rows: list[int]) -> tuple[Problem, ...]:
    if not rows:
        return ()
    return (
        Problem(source, None, None, None,
                f"has {len(rows):,} row(s) hidden in Excel (sheet {sheet}, "
                f"row{'s' if len(rows) > 1 else ''} {some_rows(rows)}): "
                "they are read like the others, as which rows were meant is not known; delete "
                "them if they do not belong (a filter hides rows, it does not remove them)",
                severity="warning", code="hidden_rows"),
    )  # fmt: skip
