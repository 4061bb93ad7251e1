"""Formula cells a workbook holds no value for: written by a program that does not calculate.

Excel works out every formula when it saves a workbook and saves the value beside the
formula; a reader reads that value. A workbook written by a program (a report tool, a
script, a case system's export library) may hold formulas with no value saved, until
Excel opens it and saves it again. Such a cell read as blank: a register whose
``risk_exclusions`` a formula filled read as homes taking any risk, and one whose
``adapted`` did as no home adapted, without a word. Each such cell of a column a reader
uses is an error of its row (:func:`sufficiency.io.cells.excel_errors`), naming it.

openpyxl's read-only mode does not say which cells hold formulas, so the sheet's XML is
scanned (only where it holds a formula at all), a row at a time.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl.utils import column_index_from_string

from sufficiency.io.xlsx_hidden import sheet_pieces

_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.S)
#: A formula whose value is text may be worked out as the empty text, saved as ``<v></v>``.
_TEXT = re.compile(rb"""\bt\s*=\s*["'](?:str|inlineStr)["']""")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")


def uncalculated_cells(path: Path, part: str | None) -> list[tuple[int, int]]:
    """The cells of worksheet ``part`` of workbook ``path`` holding a formula and no value
    worked out for it: (row, column), 1 for the first of each; none when the part cannot
    be read."""
    if not part:
        return []
    out: list[tuple[int, int]] = []
    try:
        for piece in sheet_pieces(path, part, b"</row>"):  # whole rows
            if _FORMULA.search(piece):
                out += _uncalculated(piece)
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return out


def _uncalculated(text: bytes) -> list[tuple[int, int]]:
    out = []
    for cell in _CELL.finditer(text):
        attrs, body = cell.group(1), cell.group(2) or b""
        if not _FORMULA.search(body):
            continue
        value = _VALUE.search(body)
        if (value is not None and value.group(1)) or (value is not None and _TEXT.search(attrs)):
            continue
        if ref := _REF.search(attrs):
            out.append((int(ref.group(2)), column_index_from_string(ref.group(1).decode())))
    return out


#: What is said of such a cell.
UNCALCULATED_MESSAGE = (
    "holds a formula whose value was never worked out (the workbook was written by a "
    "program, and Excel has not saved it since), so it has no value to read; open the "
    "workbook in Excel and save it, or paste the column as values"
)
