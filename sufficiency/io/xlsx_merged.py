"""Cells merged down several rows of a worksheet's table.

A placement team merges the ``sibling_group`` cell of two siblings' rows, or one
``needed_by`` over a family's rows: Excel shows the value beside each row, but the file
holds it in the first row's cell only, the others empty. Read as held, the second
sibling was in no group (matched apart from the first, said only as "a group of one
member") and the second child needed a home "today" (the blank's default). The value of
a cell merged down rows is read in each of its rows, as Excel shows it, and a warning
names the cells. openpyxl's read-only mode does not give merged cells, so the sheet's
XML is scanned for ``<mergeCell ref="E2:E3"/>``, a piece at a time.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string

from sufficiency.errors import Problem
from sufficiency.io.unnamed import some_rows
from sufficiency.io.xlsx_hidden import sheet_pieces

_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*\bref\s*=\s*["\']([A-Z]+)(\d+):([A-Z]+)(\d+)')


def merged_down(path: Path, part: str | None) -> list[tuple[int, int, int]]:
    """Each range of worksheet ``part`` of workbook ``path`` merged down more than one row,
    as (its first column, 1 for A; its first row; its last row); none when the part cannot
    be read."""
    if not part:
        return []
    out = []
    try:
        for piece in sheet_pieces(path, part, b"<"):
            for c1, r1, _, r2 in _MERGE.findall(piece):
                if int(r2) > int(r1):
                    out.append((column_index_from_string(c1.decode()), int(r1), int(r2)))
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return out


def fill_merged(
    df: pd.DataFrame, ranges: list[tuple[int, int, int]], first_row: int, source: str
) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """``df`` (a sheet's table: index 0 is row ``first_row`` of the sheet, column 0 is A)
    with the value of each cell of ``ranges`` (:func:`merged_down`) within its rows read in
    each of the range's rows, and a warning naming them."""
    out, said = df.copy(), []
    for col, r1, r2 in ranges:
        top, rows = r1 - first_row, range(max(r1, first_row) - first_row, r2 - first_row + 1)
        if top < 0 or col > len(df.columns) or top not in df.index:
            continue  # a header's cell, or a cell right of the table
        below = [i for i in rows if i != top and i in df.index]
        if not below or not str(df.iat[df.index.get_loc(top), col - 1]).strip():
            continue
        for i in below:
            out.iat[out.index.get_loc(i), col - 1] = df.iat[df.index.get_loc(top), col - 1]
        said.append(f"{str(df.columns[col - 1]).strip()} rows {r1} to {r2}")
    if not said:
        return df, ()
    return out, (
        Problem(source, None, None, None,
                f"has cells merged down several rows ({some_rows(said)}): each merged cell's "
                "value is read in every row it spans, as Excel shows it (the file holds it in "
                "the first row only); check them, and unmerge the cells to give each row its "
                "own value", severity="warning", code="merged_cells"),
    )  # fmt: skip
