"""An apostrophe before an ID, written into the file: ``'100314``.

Excel reads an apostrophe typed before a value as "keep this as text" and does not show
it; some case systems' exports, forcing an ID to stay text in Excel (its leading zeros
kept), write that apostrophe into the CSV itself, in one table only. Read as written,
``'100314`` was another child than the ``100314`` of the other tables: a year's 903
episodes had thousands of children with no row in the header, no date of birth, and
the forecast refused. Such an apostrophe is read as the marker it is: taken off, with
one note a table naming its columns (values are not quoted: the column may hold dates
of birth).

A cell is so read when the apostrophe is followed by letters, digits and ``. / _ -``
with at least one digit and no space (``'100314``, ``'R001``, ``'01/04/2025``): a word
in a note (``'twas``), a quotation (``'yes'``) or the apostrophe this tool's own CSVs
put before formula-like text (``'=A1``, ``'+20%``) is left as written.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.errors import Problem

__all__ = ["text_marks"]

#: A cell written with Excel's text marker before an ID, a code or a date.
_MARKED = r"'(?=[^\s']*\d)[A-Za-z0-9][A-Za-z0-9./_-]*"


def text_marks(
    data: pd.DataFrame, source: str, labels: dict[str, str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """``data`` (a table's cells as text, columns by their lower-case names) with the
    apostrophe taken off each cell written ``'100314``, and one note saying in which
    columns (``labels``: each column's name as written in the file)."""
    some = [c for c in data.columns if data[c].str.startswith("'", na=False).any()]
    if not some:
        return data, []
    hit = data[some].apply(lambda s: s.str.fullmatch(_MARKED).fillna(False)).astype(bool)
    counts = hit.sum()
    columns = [str(c) for c in some if counts[c]]
    if not columns:
        return data, []
    out = data.copy()
    for c in columns:
        out[c] = data[c].mask(hit[c], data[c].str.slice(1))
    named = ", ".join(labels.get(c, c) for c in columns)
    note = Problem(
        source, None, None, None,
        f"writes {int(counts.sum()):,} cell(s) with an apostrophe before them (in "
        f"{'column' if len(columns) == 1 else 'columns'} {named}), as an export writes an "
        "ID to keep it text in Excel ('100314): read without the apostrophe",
        severity="warning", code="text_formulas",
    )  # fmt: skip
    return out, [note]
