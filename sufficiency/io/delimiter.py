"""Which character a CSV puts between its columns, as Excel's ways of saving a table write it.

"CSV", "CSV UTF-8" and "CSV (Macintosh)" put commas between columns; "Text (Tab
delimited)" and "Unicode Text" put tabs (``.txt``); Excel set to a European language
saves "CSV" with semicolons, and numbers with decimal commas (``691,21``). A file whose
every line holding a tab (or a semicolon) splits into more cells at it than at commas,
a title row apart, is read so and said once; its figures are read as
:mod:`sufficiency.io.european` says (a number written with a comma refused the whole
file: one figure blocked a night). Case-management systems and databases export with
vertical bars (``CHILD|DECOM|RNE``): a file every line of which splits at them so is read
so too, and said (a 903 history so exported was refused, every table "uses vertical
bars"); its figures are read as written, as a comma file's (a bar says nothing of the
language of the Excel that wrote it).
"""

from __future__ import annotations

import csv

from sufficiency.errors import Problem

#: What a file so delimited is, in the note that says how it was read.
_WHAT = {
    "\t": "tabs between columns (Excel's 'Text (Tab delimited)' or 'Unicode Text')",
    ";": "semicolons between columns (Excel's CSV in a European language)",
    "|": "vertical bars between columns (as case-management systems and databases export)",
}


def _widths(lines: list[str], delimiter: str) -> list[int]:
    return [len(next(csv.reader([ln], delimiter=delimiter))) for ln in lines]


def delimiter(lines: list[str]) -> str:
    """The character between columns of a file whose first lines are ``lines``: a tab, a
    semicolon or a vertical bar when every line split at it into two cells or more splits
    into more at it than at commas, and every other line is a title (at most two cells at
    commas), else a comma."""
    first = [ln for ln in lines if ln.strip()]
    try:
        commas = _widths(first, ",")
        for candidate in ("\t", ";", "|"):
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
    return ","


def read_note(source: str, delimiter: str) -> Problem:
    """The note that a file was read with ``delimiter`` between its columns."""
    return Problem(source, None, None, None, f"was read with {_WHAT[delimiter]}",
                   severity="warning", code="delimiter")  # fmt: skip
