"""Rows a worksheet hides: filtered out, or hidden by hand, in Excel.

A placement team filters its referrals sheet to tonight's children, or hides the rows of
children already placed; a file reader sees every row, hidden or not. The rows are read
(which rows the team meant is not known), and a warning names them. openpyxl's read-only
mode, which large sheets need, does not say which rows are hidden, so the sheet's XML is
scanned for ``<row r="7" hidden="1">``, a piece at a time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sufficiency.errors import Problem
from sufficiency.io.unnamed import some_rows

_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*>")
_HIDDEN = re.compile(rb'\bhidden\s*=\s*["\'](?:1|true)["\']')
_NUMBER = re.compile(rb'\br\s*=\s*["\'](\d+)["\']')
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
            cut = text.rfind(cut_at) if chunk else -1  # at the end, the rest
            cut = cut if cut > 0 else len(text)
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


def hidden_note(source: str, sheet: str, rows: list[int]) -> tuple[Problem, ...]:
    """The warning naming the hidden data ``rows`` of ``sheet`` (none if there are none)."""
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
