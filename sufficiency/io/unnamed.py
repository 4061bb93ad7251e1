"""Columns without a header: dropped, and said so where they hold values.

A spreadsheet column with no header (a spacer column, or one a user typed notes into
beside the table) is no field. An empty one is dropped without a word; one holding
values is dropped with a warning naming its column letter (as Excel shows it), the
sheet and the first rows holding something, so what was typed there is not lost in
silence: cells to the right of a workbook's last named column were dropped unseen.
CSV and XLSX are read alike: pandas names a CSV's blank header cell ``Unnamed: 3``.

A CSV row with more cells than its header is another thing (an unquoted comma: which
value is in which column is unknown), an error of the row, which is set aside. A
workbook's cells stay in their columns, so only the unnamed column's values are lost,
and its rows are read: a warning, as for a column with an unknown name.
"""

from __future__ import annotations

import re

import pandas as pd
from openpyxl.utils import get_column_letter

from sufficiency.errors import Problem

_PANDAS_BLANK = re.compile(r"Unnamed: \d+(\.\d+)?")
#: Rows named in the warning before the rest are only counted.
_SHOWN = 5


def some_rows(rows: list[int] | list[str]) -> str:
    """The first :data:`_SHOWN` row numbers and how many more (``5, 9 and 3 more``)."""
    shown = ", ".join(map(str, rows[:_SHOWN]))
    return shown + (f" and {len(rows) - _SHOWN:,} more" if len(rows) > _SHOWN else "")


def is_unnamed(label: object) -> bool:
    """Whether a header cell names no column (blank, or pandas' name for a blank one)."""
    text = str(label).strip()
    return not text or _PANDAS_BLANK.fullmatch(text) is not None


def drop_unnamed(
    df: pd.DataFrame, source: str, first_data_row: int, sheet: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """``df`` (cells as text, the header in its columns) without its unnamed columns, and
    a warning for each that held a value. ``first_data_row`` numbers ``df``'s index as
    spreadsheet rows; ``sheet`` is named for a workbook."""
    unnamed = [j for j, c in enumerate(df.columns) if is_unnamed(c)]
    if not unnamed:
        return df, []
    problems = []
    for j in unnamed:
        cells = df.iloc[:, j].astype("string").str.strip()
        held = cells.index[(cells.fillna("") != "").to_numpy(bool)]
        if not len(held):
            continue
        rows = [first_data_row + int(i) for i in held]
        shown = some_rows(rows)
        where = f"sheet {sheet}, " if sheet else ""
        problems.append(
            Problem(source, None, get_column_letter(j + 1), None,
                    f"has no header but holds values ({where}row{'s' if len(rows) > 1 else ''} "
                    f"{shown}): they are not read; give the column a header if it holds a "
                    "field, or clear it", severity="warning", code="unnamed_column")
        )  # fmt: skip
    keep = [j for j in range(len(df.columns)) if j not in set(unnamed)]
    return df.iloc[:, keep], problems


def second_header(df: pd.DataFrame, source: str, first_data_row: int) -> Problem | None:
    """The error of a table whose header goes on in the row below it, or ``None``.

    That row (``df``'s first, right below the header) is a second header row when the
    cells it fills are those of groups, and fill them whole: a group being a named column
    and the unnamed ones right of it (a name merged across its columns), its columns
    named in the row below. A record is not so shaped: its ID and other fields fill
    columns of their own (a column left blank beside one is a spacer, not filled).
    Its cells are not quoted (were it data, they may be a child's details), only their
    columns."""
    if df.empty or int(df.index[0]) != 0:
        return None
    blank = [is_unnamed(c) for c in df.columns]
    cells = df.iloc[0].astype("string").str.strip().fillna("")
    filled = {j for j, v in enumerate(cells) if v}
    groups, j = [], 0
    while j < len(blank):
        end = j + 1
        while end < len(blank) and blank[end]:
            end += 1
        if not blank[j] and end > j + 1:  # a named column, unnamed ones right of it
            groups.append(set(range(j, end)))
        j = end
    whole = [g for g in groups if g <= filled]
    if not whole or filled != set().union(*whole):
        return None
    letters = ", ".join(get_column_letter(j + 1) for j in sorted(filled))
    return Problem(
        source, first_data_row, None, None,
        f"holds names in columns {letters}, under a name merged across several columns or "
        "under none: the header goes on into this row, and a header over two rows cannot be "
        "read (the fields of those columns would be lost); give each column its whole name "
        "in one header row (Foster care suitability, not Suitability above Foster), and "
        "delete this row",
        code="two_row_header",
    )  # fmt: skip
