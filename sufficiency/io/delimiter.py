"""Which character a CSV puts between its columns, as Excel's ways of saving a table write it.

"CSV", "CSV UTF-8" and "CSV (Macintosh)" put commas between columns; "Text (Tab
delimited)" and "Unicode Text" put tabs (``.txt``); Excel set to a European language
saves "CSV" with semicolons, and numbers with decimal commas (``691,21``). A file whose
every line holding a tab (or a semicolon) splits into more cells at it than at commas,
a title row apart, is read so and said once; one that also holds a number written with
a comma is refused, as ``1,234`` may be a thousand and more (a UK export) or one and a
bit (a European one), and cannot be told apart. Vertical bars are refused as before.
"""

from __future__ import annotations

import csv
import re

import pandas as pd

from sufficiency.errors import Problem

#: What a file so delimited is, in the note that says how it was read.
_WHAT = {
    "\t": "tabs between columns (Excel's 'Text (Tab delimited)' or 'Unicode Text')",
    ";": "semicolons between columns (Excel's CSV in a European language)",
}
#: A number written with a comma: a decimal comma or a thousands separator.
_COMMA_NUMBER = re.compile(r"[-+]?\d[\d.]*,\d+")


def _widths(lines: list[str], delimiter: str) -> list[int]:
    return [len(next(csv.reader([ln], delimiter=delimiter))) for ln in lines]


def delimiter(lines: list[str]) -> str | None:
    """The character between columns of a file whose first lines are ``lines``: a tab or
    a semicolon when every line split at it into two cells or more splits into more at
    it than at commas, and every other line is a title (at most two cells at commas),
    else a comma;
    ``None`` when nothing but a vertical bar could be (refused)."""
    first = [ln for ln in lines if ln.strip()]
    try:
        commas = _widths(first, ",")
        for candidate in ("\t", ";"):
            at = _widths(first, candidate)
            pairs = list(zip(at, commas, strict=True))
            split = [(a, c) for a, c in pairs if a > 1]
            # a line in one cell at it is a title only if it is one at commas too (at most
            # 'SSDA903 episodes 2025-26, Anytown'): a comma file's header is not
            titles = all(c <= 2 for a, c in pairs if a == 1)
            if split and titles and all(a > c for a, c in split):
                return candidate
    except csv.Error:  # a cell past the csv module's size limit: not this check's to say
        return ","
    if first and not any("," in ln for ln in first) and any("|" in ln for ln in first):
        return None
    return ","


def read_note(source: str, delimiter: str) -> Problem:
    """The note that a file was read with ``delimiter`` between its columns."""
    return Problem(source, None, None, None, f"read with {_WHAT[delimiter]}",
                   severity="warning", code="delimiter")  # fmt: skip


def comma_number(data: pd.DataFrame, source: str, delimiter: str,
                 first_row: int, columns: dict[str, str]) -> Problem | None:  # fmt: skip
    """The first cell of a table read with ``delimiter`` that is a number written with a
    comma, as an error of the file (the value not quoted: it may be a date of birth's
    neighbour in a sensitive column), or ``None``."""
    for name in data.columns:
        column = data[name].dropna()
        found = column.str.fullmatch(_COMMA_NUMBER)
        if found.any():
            row = first_row + int(column.index[found.to_numpy(bool)][0])
            return Problem(
                source, row, columns.get(name, name), None,
                f"has {_WHAT[delimiter].split(' (')[0]} and a number written with a comma "
                f"(row {row}, column {columns.get(name, name)}): a decimal comma and a "
                "thousands separator cannot be told apart; save it as CSV (comma-separated), "
                "with full stops for decimal points and no thousands separators",
                code="malformed_file",
            )  # fmt: skip
    return None
